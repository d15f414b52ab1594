"""Lines -> columns -> reading order (pdfplumber's ``utils/clustering`` counterpart).

The whitespace-gutter idea of the XY-cut (Nagy & Seth 1984): a page is two-column when a
vertical gutter near the middle separates enough text on both sides; fragments that cross the
gutter are full-width and cut the page into bands, each read left column first, then right.
"""
from __future__ import annotations

from .settings import SETTINGS as S


def find_gutter(lines: list, width: float, min_side: float | None = None, min_glyphs: int = 0):
    """x of a vertical gutter near mid-page separating two columns, or None.

    A candidate x splits the fragments into left, right and crossing ones; it is a gutter when
    both sides carry at least 15% of the text and, in the vertical zone where both columns have
    text, almost nothing crosses it (full-width title/abstract blocks above the columns do not
    count against it). ``min_side`` lowers the share one side must carry, for a column that
    holds only a few lines of a page (the tail of the references beside the discussion)."""
    frs = [l for l in lines if len(l.glyphs) >= 3]
    total = sum(len(l.glyphs) for l in frs)
    if total < 200:
        return None
    best = None
    geo = [(l.x0, l.x1, l.top, l.bottom, len(l.glyphs)) for l in frs]
    for xi in range(int(width * 0.3), int(width * 0.7) + 1, 2):
        x = float(xi)
        L = [g for g in geo if g[1] <= x]
        R = [g for g in geo if g[0] >= x]
        left = sum(g[4] for g in L)
        right = sum(g[4] for g in R)
        share = S.gutter_min_side if min_side is None else min_side
        if min(left, right) < max(share * total, min_glyphs):
            continue
        ztop = max(_pct([g[2] for g in L], 0.1), _pct([g[2] for g in R], 0.1))
        zbot = min(_pct([g[3] for g in L], 0.9), _pct([g[3] for g in R], 0.9))
        cross = sum(g[4] for g in geo if g[0] < x < g[1] and g[3] > ztop and g[2] < zbot)
        inzone = sum(g[4] for g in L + R if g[3] > ztop and g[2] < zbot)
        score = cross / max(inzone, 1)
        if best is None or score < best[0] - 1e-9 or (abs(score - best[0]) < 1e-9 and abs(x - width / 2) < abs(best[1] - width / 2)):
            best = (score, x)
    if best is None or best[0] > S.gutter_max_cross:
        return None
    x = best[1]
    lo = max([l.x1 for l in frs if l.x1 <= x] or [x])
    hi = min([l.x0 for l in frs if l.x0 >= x] or [x])
    return (lo + hi) / 2


def _pct(vals, q):
    """The q-quantile of vals (nearest rank below), None when there are none."""
    vals = sorted(vals)
    if not vals:
        return None
    return vals[min(len(vals) - 1, max(0, int(q * (len(vals) - 1))))]


def assign_columns(lines: list, gutter):
    """L / R by the gutter, F when a fragment crosses it; a short column-side fragment that
    continues a full-width block (last line of a title or abstract) with no line of the other
    column beside it is full-width too."""
    for l in lines:
        if gutter is None:
            l.col = "F"
        elif l.x1 <= gutter + 1:
            l.col = "L"
        elif l.x0 >= gutter - 1:
            l.col = "R"
        else:
            l.col = "F"
    if gutter is None:
        return
    order = sorted(lines, key=lambda l: l.top)
    for i, l in enumerate(order):
        if l.col == "F":
            continue
        other = "R" if l.col == "L" else "L"
        s = l.size
        above = [m for m in order[:i] if m.bottom <= l.top + 1 and m.kind == l.kind]
        if not above:
            continue
        m = max(above, key=lambda m: m.bottom)
        if m.col != "F" or l.top - m.bottom >= 1.0 * s:
            continue
        near = 0.3 * s if abs(m.size - l.size) < 0.3 else 2.5 * s
        if any(o.col == other and o.top < l.bottom + near and o.bottom > l.top - near for o in order):
            continue
        l.col = "F"


def reading_order(lines: list) -> list:
    """Bands cut by full-width lines; in each band the left column, then the right."""
    lines = sorted(lines, key=lambda l: (l.top, l.x0))
    out, band = [], []

    def flush():
        band.sort(key=lambda l: ({"L": 0, "R": 1}.get(l.col, 0), l.top, l.x0))
        out.extend(band)
        band.clear()

    for l in lines:
        if l.col == "F":
            # a full-width line cuts the band only when no column line is beside it
            flush()
            out.append(l)
        else:
            band.append(l)
    flush()
    return out


def merge_row_fragments(lines: list, body: float, gutter) -> list:
    """Re-join fragments of one justified line that a wide word gap split apart
    ("Studies   in   Epidemiology"), never across the gutter (table rows are split into cells
    again later, at narrower gaps)."""
    rows = {}
    out = []
    for l in sorted(lines, key=lambda l: (l.base, l.x0)):
        if l.kind != "text":
            out.append(l)
            continue
        key = None
        for k in rows:
            pb, sz = k
            if abs(pb - l.base) < 0.2 * l.size and abs(sz - l.size) < 0.3:
                key = k
                break
        if key is None:
            rows[(l.base, l.size)] = [l]
        else:
            rows[key].append(l)
    for frs in rows.values():
        frs.sort(key=lambda l: l.x0)
        cur = frs[0]
        for f in frs[1:]:
            gap = f.x0 - cur.x1
            crosses = gutter is not None and cur.x1 < gutter < f.x0
            # one column, or a column-side piece and a full-width piece of the same row (a bold
            # float label "FIGURE 12" before a full-width caption line): the row is full-width
            same = f.col == cur.col or "F" in (f.col, cur.col)
            if same and gap < (S.row_join_gap if f.size >= body - 0.6 else S.row_join_gap_small) * f.size \
                    and not crosses:
                if f.col != cur.col:
                    cur.col = "F"
                cur.glyphs = cur.glyphs + f.glyphs
            else:
                out.append(cur)
                cur = f
        out.append(cur)
    return out
