"""Front matter, back matter and page furniture: the one pattern set of both paths.

``patterns/text/back_matter.jsonl`` holds the one list of back_matter kinds (a section heading ->
its kind); ``patterns/text/furniture.jsonl`` the lines that are page furniture (stamps, journal
block, article-type labels) or front matter (received/accepted dates, correspondence,
affiliations, licence). The PDF reader and the text path's reflow both ask these functions.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import load_jsonl
from .sections import normalise_heading


@lru_cache(maxsize=None)
def compiled(name: str):
    """(kind, case-insensitive regex) rows of a pattern file with a ``re`` field."""
    return tuple((r.get("kind", ""), re.compile(r["re"], re.I)) for r in load_jsonl(name))


def furniture_kind(text: str) -> str | None:
    """stamp | journal | type | front for a furniture / front-matter line or block, else None."""
    t = text.strip()
    for kind, rx in compiled("text/furniture.jsonl"):
        if rx.search(t):
            return kind
    return None


def back_matter_kind(heading: str) -> str | None:
    """The back_matter kind of a section heading ("4. References" -> "references"), else None."""
    t = normalise_heading(heading)
    for kind, rx in compiled("text/back_matter.jsonl"):
        if rx.search(t):
            return kind
    return None
