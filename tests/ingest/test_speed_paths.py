"""The fast paths of issue 14 (bench/ingest_speed.py) give what the plain code gave."""
import pytest

from pipeline.ingest.blocks import Block
from pipeline.ingest.lines import Glyph, Line


def _g(t, x0, base=100.0, size=10.0, font="Times", script=0):
    return Glyph(t, x0, x0 + 5, base - size, base + 2, size, font, base, script)


def test_line_geometry_follows_its_glyphs():
    l = Line(1, [_g("a", 10), _g("b", 15, font="Times-Bold")])
    assert (l.x0, l.x1, l.top, l.bottom, l.base, l.size) == (10, 20, 90, 102, 100, 10)
    assert l.bold_frac == 0.5
    l.glyphs = [_g("c", 50, base=200, size=12)]  # a new glyph list: geometry recomputed
    assert (l.x0, l.x1, l.base, l.size, l.bold_frac) == (50, 55, 200, 12, 0.0)
    l.glyphs = []
    with pytest.raises(KeyError):  # as the dict-backed properties did
        l.x0
    with pytest.raises(AttributeError):
        l.not_a_field


def test_line_render_keeps_boxes_and_rounding():
    l = Line(3, [_g("m", 10.004), _g("2", 15.1, base=96, size=6, script=1), _g("x", 40.5)])
    pcs = l.render()
    assert "".join(t for t, _ in pcs) == "m\u00b2 x"
    assert pcs[0][1] == (3, 10.0, 90.0, 15.0, 102.0)
    assert pcs[1][1] == (3, 15.1, 90.0, 20.1, 98.0)


@pytest.mark.parametrize("pieces", [
    [(c, None) for c in "short text-"],
    [(c, None) for c in "x" * 200 + "end-"],
    [("", None)] * 50 + [("ab", None)] * 70 + [("", None)] * 90,  # empty and multi-letter pieces
])
def test_block_tail_is_a_suffix_long_enough(pieces):
    b = Block.__new__(Block)
    b.pieces = list(pieces)
    full = b.text()
    for n in (1, 2, 81):
        t = b.tail(n)
        assert full.endswith(t)
        assert len(t) >= min(n, len(full))


def test_round2_is_round_bit_for_bit():
    """round2 (numpy, per page) gives exactly round(v, 2): ties, zeros of both signs, negatives,
    huge and non-finite values, ints."""
    import math
    import random
    import struct

    from pipeline.ingest.lines import round2
    rnd = random.Random(7)
    vals = [rnd.uniform(-900, 900) for _ in range(20000)] + [k / 1000 for k in range(-3000, 3000)]
    vals += [k / 8 for k in range(-400, 400)] + [0.0, -0.0, -0.001, 0.005, -0.005, 2.675, 1.005, 1e300, math.inf]
    vals += [math.nextafter(v, d) for v in (0.125, 0.375, 2.675) for d in (0, 1)]
    bits = lambda xs: [struct.pack("d", x) for x in xs]
    assert bits(round2(vals)) == bits([round(v, 2) for v in vals])
    assert round2([10, 2.5]) == [10, 2.5] and type(round2([10, 2.5])[0]) is int
    assert math.isnan(round2([math.nan])[0])


def test_render_run_and_glyph_paths_agree():
    """A line without scripts or multi-letter glyphs goes through the per-line path; forcing the
    glyph-by-glyph path gives the same pieces (spaces from gaps and from space glyphs)."""
    gl = [_g(c, 10 + 5.37 * i + (3 if i in (3, 7) else 0)) for i, c in enumerate("abcdefghij")]
    gl[5].space_before = True
    l = Line(2, gl)
    run = l._render(0, None)
    assert "".join(t for t, _ in run) == "abc de fg hij"
    assert run == l._render_glyphs(l.glyphs)
    assert all(isinstance(b[1], float) for _, b in run if b)


def _attach_quadratic(big, small):
    """The superscript attach loop as it was before the baseline index (the reference)."""
    out = []
    for f in small:
        fs, fb = f.size, f.base
        best, bd = None, None
        for h in big + [s for s in small if s is not f and len(s.glyphs) > len(f.glyphs)]:
            hs = h.size
            if hs < fs * 1.12:
                continue
            d = fb - h.base
            if not (-0.6 * hs <= d <= 0.45 * hs):
                continue
            if f.x0 < h.x0 - 0.6 * hs or f.x0 > h.x1 + 0.6 * hs:
                continue
            if abs(d) < 0.1 * hs:
                continue
            if best is None or abs(d) < bd:
                best, bd = h, abs(d)
        out.append(best)
        if best is not None:
            for g in f.glyphs:
                g.script = 1 if fb < best.base else -1
            best.glyphs = sorted(best.glyphs + f.glyphs, key=lambda g: g.x0)
            f.glyphs = []
    return out


@pytest.mark.parametrize("seed", range(6))
def test_superscript_index_attaches_like_the_quadratic_loop(seed):
    """Random pages of body lines, footnote marks, exponents, subscripts and small-print lines
    (small hosts that grow and are emptied): the indexed attach picks the same host every time."""
    import random

    from pipeline.ingest.lines import _attachments
    rnd = random.Random(seed)

    def page():
        frags = []
        for row in range(25):
            base = 100 + 14 * row + rnd.choice([0, 0, 0.3])
            for col in (50, 300):
                n = rnd.choice([3, 5, 7, 20, 30])
                size = rnd.choice([10, 10, 9, 7])
                frags.append(Line(1, [_g("a", col + 5 * i, base=base, size=size) for i in range(n)]))
                for _ in range(rnd.randint(0, 3)):  # marks raised or lowered next to the line
                    x = col + rnd.uniform(-10, 5 * n + 10)
                    dy = rnd.choice([-4, -3.5, 2, 3, 0.5, -9])
                    frags.append(Line(1, [_g("1", x + 2 * i, base=base + dy, size=rnd.choice([6, 7, 9]))
                                          for i in range(rnd.randint(1, 7))]))
        rnd.shuffle(frags)
        return [f for f in frags if len(f.glyphs) > 6], [f for f in frags if len(f.glyphs) <= 6]

    state = rnd.getstate()
    big, small = page()
    ref = [(small.index(h) + 1000 if h in small else big.index(h)) if h else None
           for h in _attach_quadratic(big, small)]
    rnd.setstate(state)
    big, small = page()
    got = []
    for f, h in _attachments(big, small):
        got.append((small.index(h) + 1000 if h in small else big.index(h)) if h else None)
        if h is not None:
            for g in f.glyphs:
                g.script = 1 if f.base < h.base else -1
            h.glyphs = sorted(h.glyphs + f.glyphs, key=lambda g: g.x0)
            f.glyphs = []
    assert got == ref
    assert sum(x is not None for x in got) > 10 and None in got
