"""Glyphs -> lines: the geometry of one page (pdfplumber's ``utils/geometry`` counterpart).

Follows the classic geometric layout analysis of born-digital PDFs (Breuel 2002, "Two geometric
algorithms for layout analysis"): glyphs are grouped by **baseline** (the text matrix, not the
glyph box, so math fonts and bold dashes with odd ascents stay on their line), then split into
line fragments at gaps wider than ``frag_gap`` em, so two columns never share a line; smaller
glyphs raised or lowered against a neighbouring line are attached to it as superscripts /
subscripts (``script`` = +1 / -1); word spaces come from glyph gaps relative to the font size
(``space_gap`` em: kerning stays below 0.05 em in every PDF measured, word and thin spaces above
0.1 em). Thresholds: :mod:`.settings`.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import compress, repeat
from operator import add, attrgetter, gt, itemgetter, mul, or_, sub
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..cleanup.chars import in_context, normalise
from .settings import SETTINGS as S
from .spacing import rejoin


BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi|\.b$|-b$|,bold", re.I)


@lru_cache(maxsize=None)
def _is_bold(font: str) -> bool:
    return bool(BOLD_RE.search(font))


@dataclass(slots=True)  # ~150k per 50 pages: no per-glyph __dict__
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
    rounded: tuple | None = None  # (x0, top, x1, bottom) to 0.01 pt: round_boxes, per page in build_lines
    # (no code moves a glyph after build_lines; one that did would have to reset ``rounded``)

    @property
    def bold(self) -> bool:
        return _is_bold(self.font)


def round2(values: list) -> list:
    """``[round(v, 2) for v in values]``, bit for bit, in a few numpy operations per list.

    ``round(x, 2)`` rounds the exact decimal value of ``x`` to hundredths (half to even) and returns
    the double nearest to that decimal, which is ``n / 100.0`` for the integer ``n`` (IEEE division
    is correctly rounded). ``n`` is ``floor(100 x)`` plus one when the fraction exceeds one half;
    ``100 x`` in floating point is within 1e-11 of the exact product for page coordinates, so only
    fractions within 1e-6 of one half (exact ties among them), zeros (the sign of -0.0), huge or
    non-finite values and non-floats go through ``round`` itself. ``round`` costs about 1 us per
    call: two per glyph were a third of the layout's time (issue 14)."""
    if not values or {*map(type, values)} != _FLOATS:
        return [round(v, 2) for v in values]
    with np.errstate(all="ignore"):  # inf and nan: taken by round below
        y = np.array(values, dtype=np.float64) * 100.0
        n = np.floor(y)
        f = y - n
        m = n + (f > 0.5)
        out = (m / 100.0).tolist()
        bad = (np.abs(f - 0.5) < 1e-6) | (m == 0) | ~(np.abs(y) < 1e12)
    if bad.any():
        for k in np.flatnonzero(bad).tolist():
            out[k] = round(values[k], 2)
    return out


_FLOATS = {float}


def round_boxes(glyphs: list) -> None:
    """Set ``rounded`` (x0, top, x1, bottom to hundredths, as in the document's boxes) on every
    glyph of a page with one :func:`round2` call: rounding was the costliest step of rendering."""
    n = len(glyphs)
    r = round2([*map(_X0, glyphs), *map(_TOP, glyphs), *map(_X1, glyphs), *map(_BOTTOM, glyphs)])
    list(map(setattr, glyphs, repeat("rounded"), zip(r[:n], r[n:2 * n], r[2 * n:3 * n], r[3 * n:])))


class _Normalised(dict):
    """Glyph text -> its drawn meaning (:func:`normalise`), computed once per distinct text."""

    def __missing__(self, t: str) -> str:
        if len(self) > 50_000:  # a bound for long runs over many fonts
            self.clear()
        v = self[t] = normalise(t, drawn=True)
        return v


_NORMALISED = _Normalised()
_TEXT, _SCRIPT, _SIZE, _SPACE_BEFORE = (attrgetter(a) for a in ("text", "script", "size", "space_before"))
_X0, _X1, _TOP, _BOTTOM = (attrgetter(a) for a in ("x0", "x1", "top", "bottom"))
_BASE, _FONT = attrgetter("base"), attrgetter("font")
_ROUNDED = attrgetter("rounded")


_FIRST = itemgetter(0)
_SPACE = (" ", None)


def _round_one(g: Glyph) -> tuple:
    return round(g.x0, 2), round(g.top, 2), round(g.x1, 2), round(g.bottom, 2)

_GEO = frozenset(("x0", "x1", "top", "bottom", "base", "size", "bold_frac"))


class Line:
    """A line fragment: glyphs on one baseline with no gap wider than ``frag_gap`` em.

    Geometry is computed once per glyph list (the cache is cleared when ``glyphs`` is set)."""

    def __init__(self, page: int, glyphs: list, col: str = "F", kind: str = "text", tag: str = ""):
        self.page = page
        self.col = col  # 'L', 'R' or 'F' (full width / single column)
        self.kind = kind  # text, caption, table, chart, header, drop
        self.tag = tag
        self.glyphs = glyphs

    def __setattr__(self, name, value):
        if name == "glyphs":
            d = self.__dict__
            for k in _GEO:
                d.pop(k, None)
            d["_c"] = {}
        object.__setattr__(self, name, value)

    def __getattr__(self, name):
        """Geometry on first access, then plain instance attributes (a property per access cost
        ~2 s per 50 pages: ``x0``/``top``/``size`` are read in every layout loop)."""
        if name in _GEO:
            self._geo()
            try:
                return self.__dict__[name]
            except KeyError:  # no glyphs: as the dict-backed properties did
                raise KeyError(name) from None
        raise AttributeError(name)

    def _geo(self):
        gl = self.__dict__.get("glyphs")
        if gl:
            main = ([g for g in gl if g.script == 0] or gl) if any(map(_SCRIPT, gl)) else gl
            bases = sorted(map(_BASE, main))
            sizes = list(map(_SIZE, main))
            vis = list(compress(map(_FONT, gl), map(str.strip, map(_TEXT, gl))))
            self.__dict__.update(
                x0=min(map(_X0, gl)), x1=max(map(_X1, gl)), top=min(map(_TOP, main)),
                bottom=max(map(_BOTTOM, gl)), base=bases[len(bases) // 2],
                size=max(set(sizes), key=sizes.count),
                bold_frac=sum(map(_is_bold, vis)) / max(len(vis), 1))

    def render(self, start: int = 0, end: int | None = None):
        """(text, box) pieces; box None for inserted spaces and '^'. The whole line's pieces are
        computed once (a new list each call: callers edit it)."""
        if start == 0 and end is None:
            c = self._c
            if "render" not in c:
                c["render"] = rejoin(self._render(0, None), self.size)  # tracked capitals
            return list(c["render"])
        return self._render(start, end)

    def _render(self, start: int, end: int | None):
        gl = self.glyphs[start:end]
        if not gl:
            return []
        texts = list(map(_NORMALISED.__getitem__, map(_TEXT, gl)))
        if any(map(_SCRIPT, gl)) or len("".join(texts)) != len(gl) or "" in texts:
            out = self._render_glyphs(gl)  # scripts or multi-letter glyphs: glyph by glyph
        else:
            out = self._render_run(gl, texts)
        text = "".join(map(_FIRST, out))
        if not text.isascii():  # context rows of the character table (µ)
            for i, ch in enumerate(text):
                new = in_context(text, i) if not ch.isascii() else None
                if new is not None:
                    out[i] = (new, out[i][1])
        return out

    def _render_run(self, gl: list, texts: list) -> list:
        """A line of one-letter glyphs on one baseline, per line: every list is built by ``map``
        over the whole line (no Python code per glyph), spaces are inserted per word."""
        rounded = list(map(_ROUNDED, gl))
        if None in rounded:  # glyphs that did not go through build_lines
            round_boxes(gl)
            rounded = list(map(_ROUNDED, gl))
        boxes = map(add, repeat((self.page,)), rounded)
        x0s, x1s, sizes = list(map(_X0, gl)), list(map(_X1, gl)), list(map(_SIZE, gl))
        pieces = list(zip(texts, boxes))
        # a space before glyph k: a real space glyph, or a gap wider than space_gap em of the
        # smaller of the two glyphs (the same test as _render_glyphs, on whole lists)
        wide = map(gt, map(sub, x0s[1:], x1s), map(mul, repeat(S.space_gap), map(min, sizes[1:], sizes)))
        spaced = list(compress(range(1, len(gl)), map(or_, map(_SPACE_BEFORE, gl[1:]), wide)))
        if not spaced:
            return pieces
        out, prev = [], 0
        for k in spaced:
            out += pieces[prev:k]
            out.append(_SPACE)
            prev = k
        out += pieces[prev:]
        return out

    def _render_glyphs(self, gl: list) -> list:
        out = []
        append = out.append
        page, space_gap = self.page, S.space_gap
        prev = None
        for k, g in enumerate(gl):
            t = _NORMALISED[g.text]
            script = g.script
            if prev is not None:
                gap = g.x0 - prev.x1
                em = min(g.size, prev.size) if script == prev.script else max(g.size, prev.size)
                if g.space_before or gap > space_gap * em:
                    append((" ", None))
            if script == 1 and (prev is None or prev.script != 1):
                # m² for the area unit; other superscripts as ^
                nxt = gl[k + 1] if k + 1 < len(gl) else None
                if (t == "2" and prev is not None and prev.text == "m" and
                        (nxt is None or nxt.script != 1)):
                    t = "\u00b2"
                elif t not in ("\u00b0",):
                    append(("^", None))
            box = (page, *(g.rounded or _round_one(g)))
            if len(t) == 1:
                append((t, box))
            else:
                for ch in t:
                    append((ch, box))
            prev = g
        return out

    def text(self) -> str:
        c = self._c
        if "text" not in c:
            c["text"] = "".join(t for t, _ in self.render())
        return c["text"]


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
    gl = sorted(glyphs, key=attrgetter("base", "x0"))
    round_boxes(gl)  # for Line._render_run
    rows = []
    for g in gl:
        if rows and g.base - rows[-1][0] <= S.baseline_tol * min(g.size, rows[-1][1]):
            rows[-1][2].append(g)
        else:
            rows.append([g.base, g.size, [g]])
    frags = []
    for _, _, row in rows:
        row.sort(key=attrgetter("x0"))
        row = _dedupe(row)
        cur = [row[0]]
        for g in row[1:]:
            em = max(g.size, cur[-1].size)
            if g.x0 - cur[-1].x1 > S.frag_gap * em:
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
    result = list(big)
    for f, best in _attachments(big, small):
        if best is None:
            result.append(f)
            continue
        sc = 1 if f.base < best.base else -1
        for g in f.glyphs:
            g.script = sc
        best.glyphs = sorted(best.glyphs + f.glyphs, key=_X0)
        f.glyphs = []
    return [f for f in result if f.glyphs]


def _attachments(big: list, small: list):
    """For each small fragment in turn, the line it is a superscript/subscript of (or None): the
    nearest baseline among the hosts (big fragments, then small ones with more glyphs) of a
    larger size (>= 1.12x), 0.1 to 0.6 em above or 0.1 to 0.45 em below, horizontally within
    0.6 em; the first in that order wins a tie.

    A generator: the caller attaches each fragment before the next is placed (hosts grow to the
    right and left, small hosts grow or are emptied). Hosts are looked up in a baseline index, not
    all tried for every fragment (that was quadratic in fragments per page, issue 14): a host's
    baseline and size come from its own glyphs (``script == 0``), which attaching does not change,
    so the index stays valid; its x0, x1 and glyph count are read as they are at that moment."""
    cands = big + small
    if not small or len(cands) < 2:
        yield from ((f, None) for f in small)
        return
    nbig = len(big)
    order = sorted(range(len(cands)), key=lambda i: cands[i].base)
    bases = [cands[i].base for i in order]
    top = max(c.size for c in cands)
    below, above = 0.45 * top + 1.0, 0.6 * top + 1.0  # a margin: the exact test is below
    for j, f in enumerate(small):
        fs, fb, n = f.size, f.base, len(f.glyphs)
        best, key = None, None
        for i in order[bisect_left(bases, fb - below):bisect_right(bases, fb + above)]:
            h = cands[i]
            if i >= nbig and (h is f or len(h.glyphs) <= n):
                continue
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
            k = (abs(d), i)
            if key is None or k < key:
                best, key = h, k
        yield f, best
