"""Overlap resolution of the candidates the recognizer components propose, and the token splits
that make every entity a token span ("3750IU" -> "3750" "IU"). Used by the ``doseline_entities``
component (:mod:`pipeline.recognize.entities`)."""
from __future__ import annotations

import bisect

from spacy.tokens import Doc


def resolve(cands: list[dict], priority: dict) -> list[dict]:
    """Non-overlapping entities: longer spans first, then type priority."""
    order = sorted(cands, key=lambda c: (-(c["end"] - c["start"]), priority[c["type"]], c["start"]))
    # the kept spans are disjoint and non-empty, so sorted by start they are sorted by end too:
    # the only one that can overlap [s, e) is the first ending after s (bisect, not a scan)
    starts: list[int] = []
    ends: list[int] = []
    out = []
    for c in order:
        s, e = c["start"], c["end"]
        k = bisect.bisect_right(ends, s)
        if k < len(ends) and starts[k] < e:
            continue
        starts.insert(k, s)
        ends.insert(k, e)
        out.append(c)
    return sorted(out, key=lambda c: (c["start"], c["end"]))


def split_tokens(doc: Doc, text: str, cuts: set[int]) -> Doc:
    """Split tokens at character offsets inside them, so every entity is a token span."""
    import bisect
    cuts_sorted = sorted(cuts)
    todo = []
    for tok in doc:
        a, b = tok.idx, tok.idx + len(tok)
        i = bisect.bisect_right(cuts_sorted, a)
        inner = []
        while i < len(cuts_sorted) and cuts_sorted[i] < b:
            inner.append(cuts_sorted[i])
            i += 1
        if inner:
            todo.append((tok, [a] + inner + [b]))
    if not todo:
        return doc
    with doc.retokenize() as retok:
        for tok, pts in todo:
            orths = [text[x:y] for x, y in zip(pts, pts[1:])]
            retok.split(tok, orths, heads=[(tok, 0)] * len(orths))
    return doc
