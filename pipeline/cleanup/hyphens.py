"""The one line-end hyphen decision, used by the PDF reader (joining lines of a block) and by the
text path's reflow (joining hard-wrapped lines).

A hyphen at a line end is either the typesetter's (the word was broken: "treat-|ment") or the
author's (a compound: "follow-|up", "anti-|CD7"). The decision follows the usual dictionary
approach of dehyphenation tools (e.g. GROBID and pdftotext's -nopgbrk reflow, and Lample &
Charton-style lexicon checks): the document's own spelling elsewhere first, then word
frequencies (wordfreq Zipf scale) of the two parts and of the joined word.
"""
from __future__ import annotations

import re

from .words import Vocab, zipf

_LEFT = re.compile(r"[^\W\d_]+$")
_RIGHT = re.compile(r"[^\W\d_]+")


def dehyphenate(left: str, right: str, vocab: Vocab) -> bool:
    """True when ``left`` (the text before a line-end hyphen) and ``right`` (the next line) are one
    word broken by the typesetter, so the hyphen goes; False for a real hyphen, which stays.

    In order: capitals, digits or a single letter next to the hyphen keep it ("G-CSF", "anti-CD7",
    "IL-18", "x-ray"); the document's own
    spelling elsewhere decides; two common words whose join is rare stay a compound ("follow-up",
    "long-term", "graft-versus-|host"); a known joined word is joined ("treat-ment",
    "thrombocyto-penia", "under-going"); a word plus a common word whose join is unknown stays a
    compound ("ganciclovir-related", "Anti-thymocyte"); anything else is a broken word."""
    lw, rw = _LEFT.search(left), _RIGHT.match(right)
    if not lw or not rw:
        return False
    a, b = lw.group(), rw.group()
    if not b[0].islower() or a.isupper() or a[-1].isupper() or len(a) == 1:
        return False
    if any(c.isdigit() for c in left[-3:]):
        return False
    if vocab.compounds.get(f"{a}-{b}".lower(), 0):
        return False
    joined = (a + b).lower()
    if vocab.words.get(joined, 0):
        return True
    zj, za, zb = zipf(joined), zipf(a), zipf(b)
    if min(za, zb) >= 3.0 and zj < 3.0:
        return False
    if zj >= 1.0:
        return True
    if len(b) >= 4 and len(a) >= 3 and ((zb >= 3.0 and (za >= 2.0 or len(a) >= 6)) or (za >= 3.0 and zb >= 1.0)):
        return False
    return True
