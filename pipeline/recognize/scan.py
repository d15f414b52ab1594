"""Whole-word rule patterns that scan fast: ``(?<!EDGE)CORE`` found by searching ``CORE``.

Python's ``re`` skips ahead to a pattern's literal prefix (or its first-character set) before
trying to match; a leading lookbehind such as ``(?<![\\w.])`` hides that prefix, so every rule
tried a match at every character of the document (measured on the bundled report: 2.4 ms per
rule instead of 0.04 ms, for about a hundred route, frequency and regimen rules).

:class:`LeftBounded` returns exactly the matches of ``re.compile(f"(?<!{edge}){core}")``: the
lookbehind is zero-width, so at any position the full pattern matches iff the edge holds there
and ``CORE`` matches, with the same span and groups. Searching ``CORE`` from ``pos`` finds the
leftmost candidate; where the edge fails, the search resumes one character later (not after the
candidate), as the full pattern's scan would. Lookbehinds see the text before ``pos``.
"""
from __future__ import annotations

import re


class LeftBounded:
    """``finditer`` of ``(?<!edge)core`` (flags apply to both), by a prefix-optimised search."""

    def __init__(self, edge: str, core: str, flags: int = 0):
        self.full = re.compile(rf"(?<!{edge}){core}", flags)  # the reference, and the fallback
        self.pattern = self.full.pattern
        self.flags = self.full.flags
        self._core = re.compile(core, flags)
        self._edge = re.compile(rf"(?<!{edge})", flags)

    def finditer(self, text: str) -> list:
        out, pos, n = [], 0, len(text)
        core, edge = self._core, self._edge
        while pos <= n:
            m = core.search(text, pos)
            if m is None:
                break
            s, e = m.span()
            if s == e:  # empty matches follow finditer's own rules: leave them to the reference
                return list(self.full.finditer(text))
            if edge.match(text, s) is None:
                pos = s + 1
                continue
            out.append(m)
            pos = e
        return out

    def search(self, text: str, pos: int = 0):
        return self.full.search(text, pos)

    def match(self, text: str, pos: int = 0):
        return self.full.match(text, pos)
