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
