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
