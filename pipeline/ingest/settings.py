"""The layout thresholds of the PDF reader, in one place.

Distances are in em of the glyphs concerned (font size), shares in parts of the page, so the
same values hold for 8-pt and 12-pt journals. Defaults were measured on the dev PDFs and checked
on ../shared/pdfs/unlabeled and publishers (see docs/notes/ingest.md); ``SETTINGS`` is the
instance the reader uses.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayoutSettings:
    frag_gap: float = 1.0  # em: a wider gap ends a line fragment (column gutter, table cell)
    space_gap: float = 0.09  # em: a wider gap is a word space (kerning < 0.05 em, spaces > 0.1 em)
    cell_gap: float = 0.6  # em: a wider gap inside a table row separates two cells
    baseline_tol: float = 0.25  # em: glyphs whose baselines differ by less share a row
    min_glyph_size: float = 1.5  # pt: smaller glyphs are invisible (hidden text layers)
    row_join_gap: float = 4.0  # em: fragments of one justified body line closer than this are re-joined
    row_join_gap_small: float = 2.0  # em: the same for small print
    gutter_min_side: float = 0.15  # share of the text each column of a two-column region carries
    gutter_max_cross: float = 0.08  # share of the text that may cross a gutter
    gutter_min_side_short: float = 0.02  # the same for a short column beside a long one ...
    gutter_min_glyphs_short: int = 120  # ... which must still carry this many glyphs
    header_top: float = 0.085  # share of the page height: running headers above
    header_bottom: float = 0.93  # share of the page height: running footers below


SETTINGS = LayoutSettings()
