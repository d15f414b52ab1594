"""Front matter, back matter and page furniture: the one pattern set of both paths.

``patterns/text/back_matter.jsonl`` holds the one list of back_matter kinds (a section heading ->
its kind); ``patterns/text/furniture.jsonl`` the lines that are page furniture (stamps, journal
block, running heads, article-type labels) or front matter (received/accepted dates,
correspondence, affiliations, licence) and the affiliation words. The PDF reader
(``pipeline.ingest.front``, ``marks``) and the text path's reflow (``pipeline.cleanup.front``)
both ask these functions, so a pattern added there serves both.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import load_jsonl
from .sections import normalise_heading


@lru_cache(maxsize=None)
def affiliation_words(name: str = "text/furniture.jsonl") -> tuple[str, ...]:
    """The words that mark an affiliation line ("Department", "Hospital", "Universität")."""
    return tuple(r["word"] for r in load_jsonl(name) if r.get("kind") == "affiliation" and "word" in r)


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[tuple[str, re.Pattern, dict], ...]:
    """(kind, case-insensitive regex, row) of the rows of a pattern file with a ``re`` field;
    ``{affiliation}`` in a regex is the alternation of the file's affiliation words."""
    alt = "|".join(re.escape(w) for w in affiliation_words(name))
    return tuple((r.get("kind", ""), re.compile(r["re"].replace("{affiliation}", alt), re.I), r)
                 for r in load_jsonl(name) if "re" in r)


def compiled(name: str):
    """(kind, case-insensitive regex) rows of a pattern file with a ``re`` field."""
    return tuple((kind, rx) for kind, rx, _ in rows(name))


def furniture_row(text: str) -> dict | None:
    """The first furniture / front-matter row that matches a line or block, else None."""
    t = text.strip()
    for _, rx, row in rows("text/furniture.jsonl"):
        if rx.search(t):
            return row
    return None


def furniture_kind(text: str) -> str | None:
    """stamp | journal | type | front for a furniture / front-matter line or block, else None."""
    row = furniture_row(text)
    return row["kind"] if row else None


def kept_as(text: str) -> str | None:
    """The back_matter kind a front-matter line is kept as when it leaves the text
    ("Correspondence: ..." -> correspondence, "Copyright ..." -> licence), else None."""
    row = furniture_row(text)
    return row.get("back_matter") if row else None


def label_kind(text: str) -> str | None:
    """type | front for a front-matter label line of hard-wrapped text, else None. Affiliation
    rows are left to the front-region scan, and a line that starts in lowercase continues a
    sentence ("received chemotherapy in March 2019"), so it is never a label."""
    t = text.strip()
    if not t or t[0].islower():
        return None
    for kind, rx, row in rows("text/furniture.jsonl"):
        if kind in ("type", "front") and not row.get("affiliation") and rx.search(t):
            return kind
    return None


def back_matter_kind(heading: str) -> str | None:
    """The back_matter kind of a section heading ("4. References" -> "references"), else None."""
    t = normalise_heading(heading)
    for kind, rx in compiled("text/back_matter.jsonl"):
        if rx.search(t):
            return kind
    return None
