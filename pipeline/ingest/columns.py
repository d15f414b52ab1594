"""Lines -> columns -> reading order (pdfplumber's ``utils/clustering`` counterpart).

The whitespace-gutter idea of the XY-cut (Nagy & Seth 1984): a page is two-column when a
vertical gutter near the middle separates enough text on both sides; fragments that cross the
gutter are full-width and cut the page into bands, each read left column first, then right.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from .settings import SETTINGS as S


def find_gutter(lines: list, width: float, min_side: float | None = None, min_glyphs: int = 0,
                span: tuple = (0.3, 0.7)):
    """x of a vertical gutter near mid-page separating two columns, or None.

    A candidate x splits the fragments into left, right and crossing ones; it is a gutter when
    both sides carry at least 15% of the text and, in the vertical zone where both columns have
    text, almost nothing crosses it (full-width title/abstract blocks above the columns do not
    count against it). ``min_side`` lowers the share one side must carry, for a column that
    holds only a few lines of a page (the tail of the references beside the discussion); ``span``
    the part of the page width searched (wider for a side column in the margin)."""
    frs = [l for l in lines if len(l.glyphs) >= 3]
    total = sum(len(l.glyphs) for l in frs)
    if total < 200:
        return None
    best = None
    geo = [(l.x0, l.x1, l.top, l.bottom, len(l.glyphs)) for l in frs]
    # glyphs left of x (x1 <= x) and right of x (x0 >= x) by bisection: most candidates of a
    # single-column page fail the share test without building the two sides
    by_x1 = sorted(geo, key=lambda g: g[1])
    x1s = [g[1] for g in by_x1]
    left_cum = list(accumulate(g[4] for g in by_x1))
    by_x0 = sorted(geo, key=lambda g: g[0])
    x0s = [g[0] for g in by_x0]
    right_cum = list(accumulate(g[4] for g in reversed(by_x0)))[::-1]
    share = S.gutter_min_side if min_side is None else min_side
    need = max(share * total, min_glyphs)
    scores = {}  # (left count, right count) -> score: the same partition scores the same
    for xi in range(int(width * span[0]), int(width * span[1]) + 1, 2):
        x = float(xi)
        nl, nr0 = bisect_right(x1s, x), bisect_left(x0s, x)
        left = left_cum[nl - 1] if nl else 0
        right = right_cum[nr0] if nr0 < len(x0s) else 0
        if min(left, right) < need:
            continue
        key = (nl, nr0)
        if key not in scores:
            scores[key] = _cut_score(geo, x)
        score = scores[key]
        if score is None:
            continue  # the two sides are stacked, not side by side: no column shares their rows
        if best is None or score < best[0] - 1e-9 or (abs(score - best[0]) < 1e-9 and abs(x - width / 2) < abs(best[1] - width / 2)):
            best = (score, x)
    if best is None or best[0] > S.gutter_max_cross:
        return None
    x = best[1]
    lo = max([l.x1 for l in frs if l.x1 <= x] or [x])
    hi = min([l.x0 for l in frs if l.x0 >= x] or [x])
    return (lo + hi) / 2


def _cut_score(geo, x):
    """Share of the text crossing x in the rows both sides of x share, or None when the sides are
    stacked (no row in common)."""
    L = [g for g in geo if g[1] <= x]
    R = [g for g in geo if g[0] >= x]
    if max(g[3] for g in L) <= min(g[2] for g in R) or max(g[3] for g in R) <= min(g[2] for g in L):
        return None
    ztop = max(_pct([g[2] for g in L], 0.1), _pct([g[2] for g in R], 0.1))
    zbot = min(_pct([g[3] for g in L], 0.9), _pct([g[3] for g in R], 0.9))
    cross = sum(g[4] for g in geo if g[0] < x < g[1] and g[3] > ztop and g[2] < zbot)
    inzone = sum(g[4] for g in L + R if g[3] > ztop and g[2] < zbot)
    return cross / max(inzone, 1)


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


def horizontal_bands(lines: list, gap: float) -> list:
    """The horizontal cut of the XY-cut: lines (sorted by top) grouped into bands separated by a
    whitespace gap of at least ``gap`` pt that no line crosses."""
    bands, bottom = [], None
    for l in sorted(lines, key=lambda l: (l.top, l.x0)):
        if bands and l.top - bottom < gap:
            bands[-1].append(l)
            bottom = max(bottom, l.bottom)
        else:
            bands.append([l])
            bottom = l.bottom
    return bands


def region_columns(lines: list, width: float, body: float, page_gutter, accept) -> list:
    """Columns per region (the recursive XY-cut of Nagy & Seth 1984, "Hierarchical representation
    of optically scanned documents", one level deep): the page is cut into horizontal bands at
    whitespace gaps of at least 1.5 body lines, and each band with enough text looks for its own
    gutter (:func:`find_gutter` on the band alone). A band keeps the page's verdict when it finds
    the same gutter (within 2 em) or none; otherwise its lines are assigned by its own gutter and
    tagged with a region number, so :func:`reading_order` reads the band as a unit (left column,
    then right) between what comes above and below it. This handles two columns under a
    full-width part the page test called single-column (a long abstract, a page-wide table), and
    two regions with different gutters on one page. ``accept(gutter, band)`` is the caller's guard
    against tables (a gutter must separate running text). Returns the gutters found per band
    (None for a band read as one column)."""
    text = [l for l in lines if l.kind == "text" and len(l.glyphs) >= 1]
    found = []
    for n, band in enumerate(horizontal_bands(text, 1.5 * 1.2 * body)):
        g = find_gutter([l for l in band if l.size >= body - 1.2], width)
        if g is None or not accept(g, band):
            found.append(page_gutter if page_gutter is not None and _two_columns(band) else None)
            continue
        found.append(g)
        if page_gutter is not None and abs(g - page_gutter) < 2 * body:
            continue
        assign_columns(band, g)
        for l in band:
            l.region = n + 1
    return found


def reading_order(lines: list) -> list:
    """Bands cut by full-width lines and by regions with their own gutter
    (:func:`region_columns`); in each band the left column, then the right.

    A full-width run between two two-column bands has two readings: a cut (left and right
    column above it, then the columns below: a section heading or a table across the page) or
    a float the columns flow around (the left column continues below it, then the right column
    from the top). :func:`continuity` decides; a tie keeps the cut."""
    lines = sorted(lines, key=lambda l: (l.top, l.x0))
    segs = []  # ("band", lines) | ("full", lines), top to bottom
    band = []
    region = 0

    def flush():
        if band:
            segs.append(("band", list(band)))
            band.clear()

    for l in lines:
        r = getattr(l, "region", 0)
        if r != region:
            flush()
            region = r
        if l.col == "F":
            # a full-width line cuts the band only when no column line is beside it
            flush()
            if segs and segs[-1][0] == "full":
                segs[-1][1].append(l)
            else:
                segs.append(("full", [l]))
        else:
            band.append(l)
    flush()
    k = 0
    while k + 2 < len(segs):  # band, full, band: cut or flow around?
        (ka, a), (kf, f), (kb, b) = segs[k:k + 3]
        if ka == kf or kb != "band" or not _two_columns(a) or not _two_columns(b) \
                or getattr(a[0], "region", 0) != getattr(b[0], "region", 0):
            k += 1
            continue
        side = lambda ls, c: [l for l in ls if l.col == c]
        cut = [side(a, "L"), side(a, "R"), side(b, "L"), side(b, "R")]
        flow = [side(a, "L"), side(b, "L"), side(a, "R"), side(b, "R")]
        if continuity(flow) > continuity(cut):  # one band around the float, the float after L above
            segs[k:k + 3] = [("flow", side(a, "L") + f + side(b, "L") + side(a, "R") + side(b, "R"))]
        k += 1
    out = []
    for kind, ls in segs:
        if kind == "band":
            ls.sort(key=lambda l: ({"L": 0, "R": 1}.get(l.col, 0), l.top, l.x0))
        out.extend(ls)
    return out


def _two_columns(ls) -> bool:
    return any(l.col == "L" for l in ls) and any(l.col == "R" for l in ls)


_OPEN_END = re.compile(r"([^.!?:;)\]\"”’]|\w-)$")  # a line that stops mid-sentence (or mid-word)


def continuity(parts: list) -> float:
    """How well consecutive parts (lists of lines in reading order) continue each other's
    sentences: at each join, a part that stops mid-sentence followed by one starting in lower
    case (or completing a hyphenated word) scores +1, followed by a capital -1; a part that ends
    a sentence followed by a capital scores +0.5, by lower case -1. Floats and furniture do not
    count (only running-text lines). The idea is the text-coherence check of reading-order
    detection (e.g. Aiello et al. 2003, "Bidimensional relations for reading order detection",
    where word continuity across blocks settles order ambiguities)."""
    seq = [[l for l in p if l.kind == "text"] for p in parts]
    seq = [p for p in seq if p]
    score = 0.0
    for a, b in zip(seq, seq[1:]):
        end = a[-1].text().rstrip()
        start = b[0].text().lstrip()
        if not end or not start:
            continue
        first = start[0]
        if _OPEN_END.search(end):
            score += 1 if first.islower() else (-1 if first.isupper() else 0)
        else:
            score += 0.5 if first.isupper() else (-1 if first.islower() else 0)
    return score


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
