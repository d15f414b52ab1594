"""The one character table (``patterns/text/characters.jsonl``), read by both paths.

The PDF reader maps each drawn glyph with :func:`normalise` (``drawn=True``: a soft hyphen a page
draws is a hyphen) and decides the context-dependent rows (greek mu is the micro sign only before
a unit letter) on each rendered line with :func:`in_context`, so glyph boxes are kept; cleanup
maps typed text with :func:`char_edits`, which applies the same table and the same decision.
NFKC is applied only to the ranges the table names (ligatures, mathematical letters, full-width
ASCII): full NFKC would also flatten ² in m² and ½ (Unicode TR15, "compatibility decomposition").
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..resources import load_jsonl


@lru_cache(maxsize=1)
def _table():
    plain, drawn, context, ranges, sup = {}, {}, {}, [], {}
    for r in load_jsonl("text/characters.jsonl"):
        if "range" in r:
            lo, hi = (int(x, 16) for x in r["range"].split("-"))
            ranges.append((lo, hi))
        elif "superscript" in r:
            sup[r["char"]] = r["superscript"]
        elif r.get("when") == "unit":
            context[r["char"]] = r["to"]
        else:
            plain[r["char"]] = r["to"]
            drawn[r["char"]] = r.get("drawn", r["to"])
    return plain, drawn, context, tuple(ranges), sup


def _mapped(ch: str, table: dict) -> str | None:
    if ch in table:
        return table[ch]
    o = ord(ch)
    for lo, hi in _table()[3]:
        if lo <= o <= hi:
            return unicodedata.normalize("NFKC", ch)
    return None


@lru_cache(maxsize=4096)
def normalise(t: str, drawn: bool = False) -> str:
    """``t`` with every context-free row of the table applied (``drawn``: the glyph meaning)."""
    if t.isascii() and "\r" not in t:
        return t
    plain, dr, context, _, _ = _table()
    table = dr if drawn else plain
    out = []
    for ch in t:
        if ch in context:
            out.append(ch)
            continue
        new = _mapped(ch, table)
        out.append(ch if new is None else new)
    return "".join(out)


def superscript_digits() -> dict:
    """Superscript digit -> digit, for the scientific-notation repair."""
    return _table()[4]


def _unit_context(text: str, i: int) -> bool:
    """Micro prefix: after a number, space or punctuation and before a unit letter."""
    return i + 1 < len(text) and text[i + 1] in "gLlmMsUu" and (i == 0 or not text[i - 1].isalpha())


def in_context(text: str, i: int) -> str | None:
    """The replacement of the context-dependent character ``text[i]``, or None to keep it."""
    context = _table()[2]
    return context[text[i]] if text[i] in context and _unit_context(text, i) else None


def char_edits(text: str) -> list:
    """Edits ``(start, end, new, "unicode")`` applying the whole table to ``text``."""
    plain, _, context, _, _ = _table()
    edits = []
    for i, ch in enumerate(text):
        if ord(ch) < 0x80 and ch != "\r":
            continue
        new = in_context(text, i) if ch in context else None
        if new is None:
            new = _mapped(ch, plain)
        if new is not None and new != ch:
            edits.append((i, i + 1, new, "unicode"))
    return edits
