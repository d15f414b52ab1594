"""Page geometry for the PDF reader: glyphs -> lines -> columns -> reading order.

Works on pdfplumber's character objects (``page.chars``). The rules follow the classic
geometric layout analysis of born-digital PDFs (Breuel 2002, "Two geometric algorithms for
layout analysis"; the whitespace-gutter idea of the XY-cut, Nagy & Seth 1984):

* glyphs are grouped by **baseline** (the text matrix, not the glyph box, so math fonts and bold
  dashes with odd ascents stay on their line), then split into line fragments at gaps wider than
  ``FRAG_GAP`` em, so two columns never share a line;
* smaller glyphs whose baseline is raised or lowered against a neighbouring line are attached to
  it as superscripts / subscripts (``script`` = +1 / -1);
* word spaces come from glyph gaps relative to the font size (``SPACE_GAP`` em: kerning stays
  below 0.05 em in every PDF measured, word and thin spaces above 0.1 em);
* a page is two-column when a vertical gutter near the middle separates enough text on both
  sides; fragments that cross the gutter are full-width and cut the page into bands, each read
  left column first, then right column.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

FRAG_GAP = 1.0  # em: a wider gap ends a line fragment (column gutter, table cell)
SPACE_GAP = 0.09  # em: a wider gap is a word space
BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi|\.b$|-b$|,bold", re.I)

# characters written differently in the reference convention
CHAR_MAP = {
    "\u03bc": "\u00b5",  # greek mu -> micro sign
    "\u2218": "\u00b0",  # ring operator used as degree sign
    "\u00a0": " ",
    "\u2010": "-", "\u2011": "-", "\u00ad": "-",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}


def norm_char(t: str) -> str:
    """Ligatures expanded, mathematical letters to plain letters, µ as U+00B5; dashes kept."""
    out = []
    for ch in t:
        if ch in CHAR_MAP:
            out.append(CHAR_MAP[ch])
            continue
        o = ord(ch)
        if 0x1D400 <= o <= 0x1D7FF or 0xFB00 <= o <= 0xFB4F:
            ch = unicodedata.normalize("NFKC", ch)
        out.append(CHAR_MAP.get(ch, ch))
    return "".join(out)


@lru_cache(maxsize=None)
def _is_bold(font: str) -> bool:
    return bool(BOLD_RE.search(font))


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    base: float
    script: int = 0  # +1 superscript, -1 subscript
    space_before: bool = False  # a real space glyph preceded it
    space_after: bool = False  # a real space glyph followed it (page_glyphs' first pass)

    @property
    def bold(self) -> bool:
        return _is_bold(self.font)


class Line:
    """A line fragment: glyphs on one baseline with no gap wider than FRAG_GAP em.

    Geometry is computed once per glyph list (the cache is cleared when ``glyphs`` is set)."""

    def __init__(self, page: int, glyphs: list, col: str = "F", kind: str = "text", tag: str = ""):
        self.page = page
        self.col = col  # 'L', 'R' or 'F' (full width / single column)
        self.kind = kind  # text, caption, table, chart, header, drop
        self.tag = tag
        self.glyphs = glyphs

    def __setattr__(self, name, value):
        if name == "glyphs":
            object.__setattr__(self, "_c", {})
        object.__setattr__(self, name, value)

    def _geo(self):
        c = self._c
        if not c and self.glyphs:
            gl = self.glyphs
            main = [g for g in gl if g.script == 0] or gl
            c["x0"] = min(g.x0 for g in gl)
            c["x1"] = max(g.x1 for g in gl)
            c["top"] = min(g.top for g in main)
            c["bottom"] = max(g.bottom for g in gl)
            bases = sorted(g.base for g in main)
            c["base"] = bases[len(bases) // 2]
            sizes = [g.size for g in main]
            c["size"] = max(set(sizes), key=sizes.count)
            vis = [g for g in gl if g.text.strip()]
            c["bold_frac"] = sum(g.bold for g in vis) / max(len(vis), 1)
        return c

    x0 = property(lambda self: self._geo()["x0"])
    x1 = property(lambda self: self._geo()["x1"])
    top = property(lambda self: self._geo()["top"])
    bottom = property(lambda self: self._geo()["bottom"])
    base = property(lambda self: self._geo()["base"])
    size = property(lambda self: self._geo()["size"])
    bold_frac = property(lambda self: self._geo()["bold_frac"])

    def render(self, start: int = 0, end: int | None = None):
        """(text, box) pieces; box None for inserted spaces and '^'."""
        out = []
        gl = self.glyphs[start:end]
        prev = None
        for k, g in enumerate(gl):
            t = norm_char(g.text)
            if prev is not None:
                gap = g.x0 - prev.x1
                em = min(g.size, prev.size) if g.script == prev.script else max(g.size, prev.size)
                if g.space_before or gap > SPACE_GAP * em:
                    out.append((" ", None))
            if g.script == 1 and (prev is None or prev.script != 1):
                # m² for the area unit; other superscripts as ^
                nxt = gl[k + 1] if k + 1 < len(gl) else None
                if (t == "2" and prev is not None and prev.text == "m" and
                        (nxt is None or nxt.script != 1)):
                    t = "\u00b2"
                elif t not in ("\u00b0",):
                    out.append(("^", None))
            box = (self.page, round(g.x0, 2), round(g.top, 2), round(g.x1, 2), round(g.bottom, 2))
            for ch in t:
                out.append((ch, box))
            prev = g
        return out

    def text(self) -> str:
        c = self._c
        if "text" not in c:
            c["text"] = "".join(t for t, _ in self.render())
        return c["text"]


def page_glyphs(page, drop_boxes=()) -> list:
    """Upright, visible glyphs of a page (inside no image box), with baselines; space glyphs mark
    the following glyph instead of being kept."""
    h = float(page.height)
    out = []
    for c in page.chars:
        t = c.get("text", "")
        if not c.get("upright", True):
            continue
        if t.startswith("(cid:"):  # a glyph with no Unicode mapping: nothing to read
            continue
        if not t or t.isspace():
            if out:
                out[-1].space_after = True
            continue
        size = float(c.get("size") or 0)
        if size < 1.5:
            continue
        x0, x1, top, bottom = float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"])
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in drop_boxes):
            continue
        m = c.get("matrix")
        base = h - float(m[5]) if m else bottom
        out.append(Glyph(t, x0, x1, top, bottom, size, c.get("fontname", ""), base))
    # real space glyphs: mark the glyph after a glyph followed by a space
    for a, b in zip(out, out[1:]):
        if a.space_after and abs(a.base - b.base) < 0.3 * a.size and b.x0 >= a.x1 - 0.5:
            b.space_before = True
    return out


def _dedupe(gl: list) -> list:
    """Drop overprinted duplicates (fake bold, shadows)."""
    out = []
    for g in gl:
        if out and out[-1].text == g.text and abs(out[-1].x0 - g.x0) < 0.15 * g.size \
                and abs(out[-1].base - g.base) < 0.15 * g.size:
            continue
        out.append(g)
    return out


def build_lines(glyphs: list, page_no: int) -> list:
    """Baseline rows -> fragments -> superscripts/subscripts attached to their host line."""
    gl = sorted(glyphs, key=lambda g: (g.base, g.x0))
    rows = []
    for g in gl:
        if rows and g.base - rows[-1][0] <= 0.25 * min(g.size, rows[-1][1]):
            rows[-1][2].append(g)
        else:
            rows.append([g.base, g.size, [g]])
    frags = []
    for _, _, row in rows:
        row.sort(key=lambda g: g.x0)
        row = _dedupe(row)
        cur = [row[0]]
        for g in row[1:]:
            em = max(g.size, cur[-1].size)
            if g.x0 - cur[-1].x1 > FRAG_GAP * em:
                frags.append(Line(page_no, cur))
                cur = [g]
            else:
                cur.append(g)
        frags.append(Line(page_no, cur))
    # attach small raised/lowered fragments to the line they belong to
    big = []
    small = []
    for f in frags:
        small.append(f) if len(f.glyphs) <= 6 else big.append(f)
    hosts = list(big)
    result = list(big)
    for f in small:
        fs, fb = f.size, f.base
        best, bd = None, None
        for h in hosts + [s for s in small if s is not f and len(s.glyphs) > len(f.glyphs)]:
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
        if best is None:
            result.append(f)
            continue
        sc = 1 if fb < best.base else -1
        for g in f.glyphs:
            g.script = sc
        best.glyphs = sorted(best.glyphs + f.glyphs, key=lambda g: g.x0)
        f.glyphs = []
    return [f for f in result if f.glyphs]


def find_gutter(lines: list, width: float):
    """x of a vertical gutter near mid-page separating two columns, or None.

    A candidate x splits the fragments into left, right and crossing ones; it is a gutter when
    both sides carry at least 15% of the text and, in the vertical zone where both columns have
    text, almost nothing crosses it (full-width title/abstract blocks above the columns do not
    count against it)."""
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
        if left < 0.15 * total or right < 0.15 * total:
            continue
        ztop = max(_pct([g[2] for g in L], 0.1), _pct([g[2] for g in R], 0.1))
        zbot = min(_pct([g[3] for g in L], 0.9), _pct([g[3] for g in R], 0.9))
        cross = sum(g[4] for g in geo if g[0] < x < g[1] and g[3] > ztop and g[2] < zbot)
        inzone = sum(g[4] for g in L + R if g[3] > ztop and g[2] < zbot)
        score = cross / max(inzone, 1)
        if best is None or score < best[0] - 1e-9 or (abs(score - best[0]) < 1e-9 and abs(x - width / 2) < abs(best[1] - width / 2)):
            best = (score, x)
    if best is None or best[0] > 0.08:
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
            pb, col, sz = k
            if col == l.col and abs(pb - l.base) < 0.2 * l.size and abs(sz - l.size) < 0.3:
                key = k
                break
        if key is None:
            rows[(l.base, l.col, l.size)] = [l]
        else:
            rows[key].append(l)
    for frs in rows.values():
        frs.sort(key=lambda l: l.x0)
        cur = frs[0]
        for f in frs[1:]:
            gap = f.x0 - cur.x1
            crosses = gutter is not None and cur.x1 < gutter < f.x0
            if gap < (4.0 if f.size >= body - 0.6 else 2.0) * f.size and not crosses:
                cur.glyphs = cur.glyphs + f.glyphs
            else:
                out.append(cur)
                cur = f
        out.append(cur)
    return out
