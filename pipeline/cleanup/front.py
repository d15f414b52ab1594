"""Text path, line classes of hard-wrapped extracted text: running headers, float starts
(captions, glossary), front-matter labels, title, author and affiliation lines.

Rules are data: the furniture and front-matter rows of ``patterns/text/furniture.jsonl`` (the
set the PDF reader uses, through :mod:`pipeline.cleanup.matter`) and ``patterns/cleanup/float_starts.jsonl``. Author lines are recognised by the shape of person names (capitalised
tokens, initials, particles), a line of two or more names or one name with an affiliation mark.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..resources import load_jsonl
from .matter import affiliation_words, furniture_kind, label_kind
from .sections import TERMINAL, in_lexicon
from .textlines import Line


SENT_END = re.compile(r"[.!?]['\"”’)\]]*$")


@lru_cache(maxsize=1)
def _patterns():
    floats = [(r["kind"], re.compile(r["pattern"])) for r in load_jsonl("cleanup/float_starts.jsonl")]
    affil = re.compile(r"(?<![^\W\d_])(?:%s)\b" % "|".join(re.escape(w) for w in affiliation_words()))
    return floats, affil


# ---------------------------------------------------------------------------------------------
def header_lines(lines: list[Line]) -> set[int]:
    floats = _patterns()[0]
    out = set()
    keys = Counter()
    key_of = {}
    for l in lines:
        t = l.text
        if furniture_kind(t) in ("stamp", "journal"):
            out.add(l.idx)
            continue
        # "words + page number" repeated across the document
        m = re.fullmatch(r"(\d{1,4}\s+)?([A-Za-z][\w&,.:\- ]{3,80}?)(\s+\d{1,4})?", t)
        if m and (m.group(1) or m.group(3)) and len(m.group(2).split()) >= 2 \
                and not any(p.match(t) for _, p in floats) and not in_lexicon(t):
            key = re.sub(r"\d+", "#", t)
            keys[key] += 1
            key_of[l.idx] = key
    names = set()
    for idx, key in key_of.items():
        if keys[key] >= 2:
            out.add(idx)
            names.add(re.sub(r"^#\s+|\s+#$", "", key))
    same = Counter(l.text for l in lines)
    for l in lines:  # the journal name alone, as on the title page; short lines on every page
        if l.text in names:
            out.add(l.idx)
        elif same[l.text] >= 3 and 2 <= len(l.text.split()) <= 8 and not TERMINAL.search(l.text) \
                and not in_lexicon(l.text) and not float_start(l.text):
            out.add(l.idx)
    return out


_CAPTION_LABEL = re.compile(r"\S+\s+S?\d+[A-Za-z]?\.?")


def caption_label_only(text: str) -> bool:
    """A caption line that is its label alone ("Figure 2", "Table S1."), its text on the next line."""
    return _CAPTION_LABEL.fullmatch(text) is not None


def float_start(text: str) -> str | None:
    for kind, p in _patterns()[0]:
        if p.match(text):
            return kind
    return None


_PARTICLES = {"van", "von", "de", "der", "da", "di", "del", "la", "le", "bin", "al", "dos", "du"}


def _name_token(t: str) -> bool:
    t = re.sub(r"[\d*†‡,]+$", "", t)
    if t in _PARTICLES:
        return True
    if re.fullmatch(r"[A-Z]\.?(?:-[A-Z]\.?)?", t):  # initials "J." "J.-P."
        return True
    parts = t.split("-")
    return all(p and p[0].isupper() and all(c.isalpha() or c in "'’" for c in p[1:])
               and (len(p) == 1 or any(c.islower() for c in p[1:])) for p in parts)


def _name_like(item: str) -> bool:
    item = re.sub(r"[\d*†‡§¶#,]+$", "", item.strip()).strip()
    toks = item.split()
    return 2 <= len(toks) <= 5 and all(_name_token(t) for t in toks)


def author_line(text: str) -> list[str] | None:
    """Person names of an author line ("A. Smith1, Bo Chen2 and C. Meyer*"), or None. A single
    name needs an affiliation or correspondence mark, so a two-word title line is no author. A
    line with an affiliation word ("1Service de Chirurgie, Hôpital X") is an affiliation."""
    if _patterns()[1].search(text):
        return None
    items = [re.sub(r"^[\d*†‡§¶#,]+\s*", "", x).strip()
             for x in re.split(r",\s*|\s+and\s+|\s*&\s*", text.strip().rstrip(","))]
    items = [x for x in items if x]
    names = [re.sub(r"[\d*†‡§¶#,]+$", "", x).strip() for x in items if _name_like(x)]
    if len(items) >= 2 and len(names) >= 0.7 * len(items):
        return names
    if len(items) == 1 and names and re.search(r"[\d*†‡§¶]$", text.strip()):
        return names
    return None


def _mark_labels(lines: list[Line]) -> None:
    """Front-matter labels ("KEYWORDS", "Received ...", "Copyright ...") are dropped with the
    lines that continue a wrapped one (adjacent, not a heading, not a new text frame)."""
    k = 0
    while k < len(lines):
        l = lines[k]
        if l.kind == "body" and label_kind(l.text):
            l.kind = "drop"
            k += 1
            while k < len(lines) and lines[k].kind == "body" and lines[k].sep == 1 \
                    and lines[k].indent == 0 and not in_lexicon(lines[k].text) \
                    and not float_start(lines[k].text) and len(lines[k - 1].text) >= 50 \
                    and not SENT_END.search(lines[k - 1].text):
                lines[k].kind = "drop"
                k += 1
            continue
        k += 1


def front_matter(lines: list[Line], body_start_guess: int = 30):
    """Title lines, author lines (names) and affiliation lines at the top of the text."""
    affil = _patterns()[1]
    n = len(lines)
    title, authors, front = [], [], []
    i = 0
    while i < n and lines[i].kind != "body":  # journal block, labels, stamps before the title
        i += 1
    first = i
    # title: lines until an author line, a wider gap, or a sentence end (at most 12 lines)
    while i < n and i < first + 12:
        l = lines[i]
        if l.kind != "body" or (i > first and (l.sep > 1 or author_line(l.text) is not None)):
            break
        if float_start(l.text) or label_kind(l.text):
            break
        title.append(i)
        i += 1
        if SENT_END.search(l.text):
            break
    j = i
    while j < n and j < body_start_guess and lines[j].kind != "body":
        j += 1
    while j < n and j < body_start_guess:
        names = author_line(lines[j].text)
        if names is None:
            break
        authors.extend(names)
        front.append(j)
        j += 1
    if not authors:  # no author block: only the first line block is the title
        return title, [], []
    # affiliations: lines with an affiliation word, or continuing an open one
    prev_open = False
    while j < n and j < body_start_guess:
        t = lines[j].text
        if lines[j].kind != "body":
            j += 1
            continue
        if affil.search(t) or prev_open or re.match(r"^[\d*†‡§¶]+\s*[A-Z]", t) or "@" in t:
            front.append(j)
            depth = sum(lines[k].text.count("(") - lines[k].text.count(")") for k in front)
            prev_open = depth > 0 or t.endswith((",", "-", " and", ";"))
            j += 1
            continue
        break
    return title, authors, front
