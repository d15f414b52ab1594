"""Headings, sections and which patient (case) each section tells about; the glossary footnote.

Heading lexicon and case rules are data (patterns/cleanup/headings.jsonl). A heading line is a
short line without sentence-final punctuation between blocks (IMRaD and CARE case-report
section names are recognised by the lexicon; others by shape). ``case`` of a section:

* "Case 2", "Patient 1", "Case II" -> that number;
* "Case presentation" / "Case report" -> "1" when the report tells of one patient, else null;
* "Introduction", "Discussion", "Abstract", ... -> null, and they end any case scope;
* any other heading inherits the case of the section it follows (a subsection of "Case 1").
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import load_jsonl

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+")
TERMINAL = re.compile(r"[.!?:;,]['\"”’)\]]*$")


@lru_cache(maxsize=1)
def _lexicon():
    titles, pats = {}, []
    for r in load_jsonl("cleanup/headings.jsonl"):
        if "pattern" in r:
            pats.append((re.compile(r["pattern"], re.I), r["case"]))
        else:
            titles[r["title"]] = r["case"]
    return titles, pats


def normalise_heading(title: str) -> str:
    t = NUMBERING.sub("", title.strip())
    return re.sub(r"\s+", " ", t).strip(" .:").lower()


def heading_role(title: str) -> tuple[str | None, str | None]:
    """(role, number): role 'reset' | 'single' | 'number' | None (not in the lexicon)."""
    t = normalise_heading(title)
    titles, pats = _lexicon()
    for pat, role in pats:
        m = pat.match(t)
        if m:
            return role, case_number(m.group(1))
    if t in titles:
        return titles[t], None
    for key, role in titles.items():  # "discussion and conclusions", "case presentation and ..."
        if role == "reset" and t.startswith(key + " "):
            return role, None
    return None, None


def case_number(tok: str) -> str | None:
    """A patient number as written: "2", "II", "two", "second" -> "2"."""
    tok = tok.lower().rstrip(".")
    if tok.isdigit():
        return str(int(tok))
    for table in (ROMAN, WORDNUM, ORDINALS):
        if tok in table:
            return str(table[tok])
    return None


def in_lexicon(title: str) -> bool:
    return heading_role(title)[0] is not None


def looks_like_heading(line: str, max_words: int = 10, max_chars: int = 90) -> bool:
    """Shape of a heading line: short, starts with a capital (or numbering), no final
    sentence punctuation, not a caption label or a table row."""
    s = line.strip()
    if not s or len(s) > max_chars or TERMINAL.search(s) or s.endswith(("-", "/", "–", "×")):
        return False
    if " | " in s or "\t" in s:
        return False
    body = NUMBERING.sub("", s)
    if not body or not (body[0].isupper() or body[0].isdigit()):
        return False
    words = body.split()
    if len(words) > max_words:
        return False
    if sum(w[0].isdigit() for w in words) > len(words) / 2:
        return False
    if s.count("(") != s.count(")"):
        return False
    return True


def build_sections(text: str, headings: list[tuple[int, int]], abstract: tuple[int, int] | None = None
                   ) -> list[dict]:
    """Sections from heading spans ``(start, end)`` in ``text``; a section runs from its heading
    to the next heading (the last one to the end of the text)."""
    titles = [text[s:e].strip() for s, e in headings]
    roles = [heading_role(t) for t in titles]
    numbers = {n for r, n in roles if r == "number" and n}
    single = len(numbers) <= 1
    sections = []
    if abstract and abstract[1] > abstract[0]:
        sections.append({"title": "Abstract", "start": abstract[0], "end": abstract[1], "case": None})
    current = None
    for k, ((s, e), title, (role, num)) in enumerate(zip(headings, titles, roles)):
        if role == "number":
            current = num if num else current
        elif role == "single":
            current = (next(iter(numbers)) if numbers else "1") if single else None
        elif role == "reset":
            current = None
        end = headings[k + 1][0] if k + 1 < len(headings) else len(text)
        while end > s and text[end - 1] in "\n ":
            end -= 1
        sections.append({"title": title, "start": s, "end": end, "case": current})
    return sections


# ---------------------------------------------------------------------------------------------
# the glossary footnote
# ---------------------------------------------------------------------------------------------
GLOSSARY_HEAD = re.compile(r"^\s*(?:Abbreviations?|ABBREVIATIONS?|Glossary)\s*[:.]\s*")


def parse_glossary(block: str) -> list[dict]:
    """"Abbreviations: ALL, Acute lymphoblastic leukemia; CR, Complete remission; ..." ->
    [{short, long}] in order; an entry without ", " is skipped."""
    m = GLOSSARY_HEAD.match(block)
    body = block[m.end():] if m else block
    out = []
    for part in re.split(r";\s*", body.strip().rstrip(".")):
        if ", " not in part:
            continue
        short, long = part.split(", ", 1)
        short, long = short.strip(), long.strip().rstrip(".")
        if short and long and len(short) <= 20:
            out.append({"short": short, "long": long})
    return out
