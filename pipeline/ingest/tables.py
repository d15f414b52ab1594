"""Table rows -> text, one row per line with cells separated by " | " (the reference convention
of ``../shared/pdfs/gold/README.md``)."""
from __future__ import annotations

from collections import Counter

from .lines import Line
from .settings import SETTINGS as S


def _split_cells(l: Line) -> list:
    out, cur = [], [l.glyphs[0]]
    for g in l.glyphs[1:]:
        if g.script == 0 and cur[-1].script == 0 and g.x0 - cur[-1].x1 > S.cell_gap * max(g.size, cur[-1].size):
            out.append(Line(l.page, cur, l.col, l.kind, l.tag))
            cur = [g]
        else:
            cur.append(g)
    out.append(Line(l.page, cur, l.col, l.kind, l.tag))
    return out


def _table_text(rows: list) -> tuple[list, list]:
    """Table lines -> (row pieces list, footnote lines).

    Rows are baseline groups (lines closer than 0.8 em merge into one row, for multi-line header
    cells); cells are split at gaps wider than ``cell_gap`` em and stacked by x-overlap. Columns come
    from the rows with the most common cell count; a row missing a column gets an empty cell, so
    a header over the row labels reads "| Group A | Group B"."""
    rows = sorted(rows, key=lambda l: (l.base, l.x0))
    groups = []
    for l in rows:
        if groups and l.base - groups[-1][-1].base < 0.8 * l.size:
            groups[-1].append(l)
        else:
            groups.append([l])
    width = (max(l.x1 for l in rows) - min(l.x0 for l in rows)) if rows else 0
    foot, table = [], []
    sizes = Counter(round(l.size, 1) for l in rows for _ in l.glyphs)
    tsize = sizes.most_common(1)[0][0] if sizes else 0
    for gi, g in enumerate(groups):
        long_line = len(g) == 1 and len(g[0].glyphs) > 50 and g[0].x1 - g[0].x0 > 0.6 * width
        smaller = all(l.size < tsize - 0.5 for l in g) and sum(len(l.glyphs) for l in g) > 20
        if (gi >= 1 and (long_line or smaller)) or foot:
            foot.extend(g)
            continue
        cells = []
        for l in sorted((c for l in g for c in _split_cells(l)), key=lambda l: l.x0):
            for c in cells:
                if l.x0 < c["x1"] + 2 and l.x1 > c["x0"] - 2:
                    c["lines"].append(l)
                    c["x0"], c["x1"] = min(c["x0"], l.x0), max(c["x1"], l.x1)
                    break
            else:
                cells.append({"x0": l.x0, "x1": l.x1, "lines": [l]})
        table.append(cells)
    # column grid from the rows with the modal number of cells
    counts = Counter(len(r) for r in table if len(r) >= 2)
    cols = []
    if counts:
        n = counts.most_common(1)[0][0]
        for r in table:
            if len(r) != n:
                continue
            for c in r:
                for col in cols:
                    if c["x0"] < col[1] and c["x1"] > col[0]:
                        col[0], col[1] = min(col[0], c["x0"]), max(col[1], c["x1"])
                        break
                else:
                    cols.append([c["x0"], c["x1"]])
        cols.sort()
    out = []
    for cells in table:
        slots = [[] for _ in cols] if cols else [[c] for c in cells]
        if cols:
            for c in cells:
                ov = [min(c["x1"], col[1]) - max(c["x0"], col[0]) for col in cols]
                k = max(range(len(cols)), key=lambda i: ov[i])
                if ov[k] <= 0:  # nearest column by centre
                    cx = (c["x0"] + c["x1"]) / 2
                    k = min(range(len(cols)), key=lambda i: abs((cols[i][0] + cols[i][1]) / 2 - cx))
                slots[k].append(c)
            if len([s for s in slots if s]) < 2:  # a section label row ("Gender"): no grid
                slots = [[c] for c in cells]
        pieces = []
        for si, slot in enumerate(slots):
            if si:  # "A | B", "| B" (empty first cell), "A |" (empty last cell)
                pieces.append((" |" if si > 1 or slots[0] else "|", None))
                if slot:
                    pieces.append((" ", None))
            lines = sorted((l for c in slot for l in c["lines"]), key=lambda l: (l.base, l.x0))
            for li, l in enumerate(lines):
                if li:
                    pieces.append((" ", None))
                pieces.extend(l.render())
        out.append(pieces)
    return out, foot
