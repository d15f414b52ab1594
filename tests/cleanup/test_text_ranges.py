"""``repair._text_ranges`` (numpy over the whole text) finds what the per-character loop found."""
from __future__ import annotations

import bisect
import random

import pytest

from pipeline.cleanup.repair import _text_ranges
from pipeline.document import Document


def _loop(doc, spans):
    """The per-character loop it replaced (the reference)."""
    firsts, lasts = [None] * len(spans), [None] * len(spans)
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    starts = [spans[k][0] for k in order]
    for i, o in enumerate(doc.offsets):
        j = bisect.bisect_right(starts, o) - 1
        for jj in range(j, max(-1, j - 3), -1):
            k = order[jj]
            s, e = spans[k]
            if s <= o < e:
                if firsts[k] is None:
                    firsts[k] = i
                lasts[k] = i + 1
                break
    out = []
    t = doc.text
    for a, b in zip(firsts, lasts):
        if a is None:
            out.append(None)
            continue
        while a < b and t[a].isspace():
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        out.append((a, b) if b > a else None)
    return out


@pytest.mark.parametrize("seed", range(8))
def test_text_ranges_match_the_character_loop(seed):
    """Random texts with inserted characters (offset -1), moved text (offsets out of order),
    nested, overlapping, empty and out-of-text spans."""
    rnd = random.Random(seed)
    raw = "".join(rnd.choice("ab c\n") for _ in range(400))
    offsets = list(range(len(raw)))
    for _ in range(20):
        offsets.insert(rnd.randrange(len(offsets)), -1)
    a = rnd.randrange(300)
    offsets[a:a + 30] = offsets[a + 30:a + 60] + offsets[a:a + 30]
    text = "".join(raw[o] if o >= 0 else " " for o in offsets)
    doc = Document(raw=raw, text=text, offsets=offsets)
    spans = []
    for _ in range(25):
        s = rnd.randrange(-5, 420)
        spans.append((s, s + rnd.choice([0, 1, 5, 40, 200])))
    assert _text_ranges(doc, spans) == _loop(doc, spans)
    assert _text_ranges(doc, []) == []
