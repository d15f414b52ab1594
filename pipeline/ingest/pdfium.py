"""The pypdfium2 character backend (the default): PDFium's text page, with the same glyphs the
layout code gets from pdfplumber.

PDFium parses content streams in C++, about ten times faster than pdfminer (issue 14). Glyphs are
built to pdfminer's geometry so the layout rules hold unchanged: ``x0`` is the character's origin
on the baseline, ``x1`` the origin plus the glyph's advance width, ``top``/``bottom`` the font's
descent + size box around the baseline, ``size`` the font size times the text matrix scale.
Per character only two calls cross into PDFium (origin, text object); everything that is constant
over a run of text (font, size, matrix, descent, name) is read once per text object, advance widths
once per (font, character). The page's rotation and crop box are applied: coordinates are those of
the page as displayed, characters outside the crop box are not on the page.

The per-character loop runs in C when the optional extension ``_pdfium_chars`` is built (setup.py;
``DOSELINE_PURE_PYTHON=1`` turns it off): the same statements as :func:`_glyphs_python`, without
three ctypes calls and a Python iteration per character (issue 14). Without a compiler the
package installs without it and this module's Python loop runs, with the same glyphs.

A damaged file that pdfminer refuses (truncated, broken cross-reference table) often opens in
PDFium, which rebuilds the cross-reference table; a page that fails to load is recorded as lost
(``PAGE_LOSS_OK``) and the others are read.
"""
from __future__ import annotations

import ctypes
import importlib
import os
from itertools import compress
from operator import attrgetter
from pathlib import Path

from ..errors import InputError
from .lines import Glyph
from .settings import SETTINGS as S

PAGE_LOSS_OK = True
_SPACE_AFTER = attrgetter("space_after")
HYPHEN_MARKS = {"\ufffe": "-", "\x02": "-"}  # PDFium's marks for a hyphen drawn at a line end


def _raw():
    import pypdfium2.raw as R
    return R


_FAST = None


def _fast(R):
    """Per-character PDFium calls re-typed over plain addresses: the text object comes back as an
    int (a dict key without ``ctypes.cast``), and the text page goes in as an int, which skips
    ctypes' pointer type checks on every call (issue 14: the per-character loop was ~45% of ingest).
    """
    global _FAST
    if _FAST is None:
        c = ctypes
        vp, dp = c.c_void_p, c.POINTER(c.c_double)

        def proto(fn, restype, *args):
            return c.CFUNCTYPE(restype, *args)(c.cast(fn, vp).value)
        _FAST = (proto(R.FPDFText_GetTextObject, vp, vp, c.c_int),
                 proto(R.FPDFText_GetCharOrigin, c.c_int, vp, c.c_int, dp, dp),
                 proto(R.FPDFText_IsGenerated, c.c_int, vp, c.c_int),
                 proto(R.FPDFText_GetLooseCharBox, c.c_int, vp, c.c_int, c.POINTER(R.FS_RECTF)),
                 proto(R.FPDFText_GetCharBox, c.c_int, vp, c.c_int, dp, dp, dp, dp))
    return _FAST


def open_pdf(path: Path, data: bytes | None = None):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower() or "security" in msg.lower():
            raise InputError(f"{path}: encrypted PDF, cannot read without the password") from None
        raise InputError(f"{path}: corrupt PDF ({msg})") from None


def page_count(pdf) -> int:
    return len(pdf)


def close(pdf) -> None:
    pdf.close()


class _Fonts:
    """Per-page caches: text object -> (font, size, name, descent, upright, scale), font -> name,
    (font, character) -> advance at font size 1."""

    def __init__(self):
        self.objects = {}
        self.names = {}
        self.widths = {}


def page_data(pdf, i: int):
    """(glyphs, width, height, graphics) of page ``i`` (0-based), in displayed page coordinates
    (top-left origin, rotation applied), like :func:`pipeline.ingest.plumber.page_data`."""
    R = _raw()
    page = pdf[i]
    try:
        return _page_data(R, page, _Fonts())  # handles are only valid while the page is open
    finally:
        page.close()


def _transform(page, R):
    """Page space -> displayed (x, y-down) coordinates: crop box origin, rotation."""
    cx0, cy0, cx1, cy1 = page.get_cropbox()
    w, h = cx1 - cx0, cy1 - cy0
    rot = page.get_rotation() % 360
    if rot == 90:
        return (lambda x, y: (y - cy0, x - cx0)), h, w, rot, (cx0, cy0, cx1, cy1)
    if rot == 180:
        return (lambda x, y: (cx1 - x, y - cy0)), w, h, rot, (cx0, cy0, cx1, cy1)
    if rot == 270:
        return (lambda x, y: (cy1 - y, cx1 - x)), h, w, rot, (cx0, cy0, cx1, cy1)
    return (lambda x, y: (x - cx0, cy1 - y)), w, h, rot, (cx0, cy0, cx1, cy1)


# page-space vector -> displayed vector (x right, y down), per page rotation (clockwise degrees)
_ROT = {0: lambda a, b: (a, -b), 90: lambda a, b: (b, a), 180: lambda a, b: (-a, b), 270: lambda a, b: (-b, -a)}
_DIRECTIONS = {r: (f, f) for r, f in _ROT.items()}


def _object_info(R, fonts: _Fonts, okey: int, buf, rot: int, raw, k: int):
    key = (okey, rot)
    info = fonts.objects.get(key)
    if info is not None:
        return info
    obj = ctypes.cast(okey, R.FPDF_PAGEOBJECT)
    fs, m, desc = ctypes.c_float(), R.FS_MATRIX(), ctypes.c_float()
    R.FPDFTextObj_GetFontSize(obj, fs)
    R.FPDFText_GetMatrix(raw, k, m)  # page space: a form XObject's matrix included
    font = R.FPDFTextObj_GetFont(obj)
    fkey = ctypes.cast(font, ctypes.c_void_p).value
    name = fonts.names.get(fkey)
    if name is None:
        n = R.FPDFFont_GetBaseFontName(font, buf, len(buf))
        name = buf.raw[:max(0, n - 1)].decode("utf-8", "replace") if n else ""
        fonts.names[fkey] = name
    # the text's x and y directions as displayed (y down): upright text reads along +x with its
    # ascenders towards -y; the page rotation turns the content with it
    dx, dy = _DIRECTIONS[rot]
    X, Y = dx(m.a, m.b), dy(m.c, m.d)
    upright = abs(X[1]) < 1e-6 and abs(Y[0]) < 1e-6 and X[0] > 0 and Y[1] < 0
    size = fs.value * -Y[1] if upright else 0.0
    d = R.FPDFFont_GetDescent(font, 1.0, desc) and desc.value or 0.0
    info = (font, fkey, size, name, d * size, upright, fs.value * X[0] if upright else 0.0)
    fonts.objects[key] = info
    return info


def _font_width(R, fonts: _Fonts, font, fkey, ch: str) -> float:
    """Advance width of ``ch`` at font size 1 from the font, once per (font, character).

    The advance is normally the right edge of PDFium's loose box: the union of the advance box
    (origin to origin + the drawn code's width) and the glyph's ink box, so where it reaches past
    the ink, its right edge is the advance (per glyph: horizontal scaling, Tz, varies by run).
    Where the ink overhangs (italic or hooked "f", "T"), this width is taken, looked up from
    Unicode (that lookup alone picks the wrong code in some re-encoded subset fonts: "Ta bl e",
    and it misses the run's horizontal scaling: "Fig ur e"). The ink's right edge is read once
    per (text object, character) in :func:`_glyphs`: ``FPDFText_GetCharBox`` computes the glyph
    outline's box and was the costliest call per character."""
    key = (fkey, ch)
    w = fonts.widths.get(key)
    if w is None:
        out = ctypes.c_float()
        w = out.value if len(ch) == 1 and R.FPDFFont_GetGlyphWidth(font, ord(ch), 1.0, out) else 0.0
        fonts.widths[key] = w
    return w


def _page_data(R, page, fonts: _Fonts):
    to_disp, W, H, rot, crop = _transform(page, R)
    tp = page.get_textpage()
    try:
        glyphs = _glyphs(R, tp, fonts, to_disp, rot, crop)
    finally:
        tp.close()
    graphics, images = _graphics(R, page, to_disp, W, H)
    if images:
        glyphs = [g for g in glyphs if not any(b[0] <= (g.x0 + g.x1) / 2 <= b[2] and b[1] <= (g.top + g.bottom) / 2 <= b[3]
                                              for b in images)]
    # real space glyphs: mark the glyph after a glyph followed by a space
    for i in compress(range(len(glyphs) - 1), map(_SPACE_AFTER, glyphs)):
        a, b = glyphs[i], glyphs[i + 1]
        if abs(a.base - b.base) < 0.3 * a.size and b.x0 >= a.x1 - 0.5:
            b.space_before = True
    return glyphs, W, H, graphics


def _extension():
    """The compiled per-character loop (``_pdfium_chars``, built by setup.py), or None: not built
    (no C compiler at install time) or switched off with ``DOSELINE_PURE_PYTHON=1``."""
    if os.environ.get("DOSELINE_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:  # by name: the compiled module is not a .py file the import graph knows
        return importlib.import_module("._pdfium_chars", __package__)
    except ImportError:
        return None


_ADDRESSES = None


def _chars_compiled(ext, R, raw: int, n: int):
    """(objects, xs, ys, lefts, rights, flags) of every character in one call to the extension."""
    global _ADDRESSES
    if _ADDRESSES is None:
        vp = ctypes.c_void_p
        _ADDRESSES = tuple(ctypes.cast(fn, vp).value for fn in (
            R.FPDFText_GetTextObject, R.FPDFText_GetCharOrigin, R.FPDFText_GetLooseCharBox,
            R.FPDFText_IsGenerated))
    return ext.page_chars(raw, n, *_ADDRESSES)


def _chars_python(R, raw: int, n: int, text):
    """The same lists through ctypes, one character at a time (the fallback). Only what
    :func:`_glyphs` reads is asked for: the generated flag of spaces, the rest of other characters."""
    get_obj, get_origin, is_gen, loose, _ = _fast(R)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rect = R.FS_RECTF()
    objs, xs, ys, lefts, rights, flags = [0] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0] * n
    for k in range(n):
        if text[k].isspace():
            flags[k] = 2 if is_gen(raw, k) else 0
            continue
        objs[k] = get_obj(raw, k) or 0
        get_origin(raw, k, ox, oy)
        xs[k], ys[k] = ox.value, oy.value
        if loose(raw, k, rect):
            flags[k], lefts[k], rights[k] = 1, rect.left, rect.right
    return objs, xs, ys, lefts, rights, flags


def _glyphs(R, tp, fonts, to_disp, rot, crop):
    n = tp.count_chars()
    if n <= 0:
        return []
    text = tp.get_text_range(0, n)
    if len(text) != n:  # PDFium counts UTF-16 units; fall back to one call per character
        text = [chr(R.FPDFText_GetUnicode(tp.raw, k)) for k in range(n)]
    raw = ctypes.cast(tp.raw, ctypes.c_void_p).value
    ext = _extension()
    if ext is not None and isinstance(text, str):
        out = _glyphs_compiled(ext, R, tp, raw, text, fonts, to_disp, rot, crop)
        if out is not None:
            return out
    return _glyphs_python(R, tp, raw, n, text, ext, fonts, to_disp, rot, crop)


def _glyphs_compiled(ext, R, tp, raw: int, text: str, fonts, to_disp, rot, crop):
    """The glyph loop of :func:`_glyphs_python` in C (``page_glyphs``): the same statements, with
    Python called back once per text object (:func:`_object_info`) and where the advance comes
    from the font (:func:`_font_width`). None when the page needs the Python loop (surrogates)."""
    global _GLYPH_ADDRESSES
    if _GLYPH_ADDRESSES is None:
        vp = ctypes.c_void_p
        _GLYPH_ADDRESSES = tuple(ctypes.cast(fn, vp).value for fn in (
            R.FPDFText_GetTextObject, R.FPDFText_GetCharOrigin, R.FPDFText_GetLooseCharBox,
            R.FPDFText_IsGenerated, R.FPDFText_GetCharBox))
    buf = ctypes.create_string_buffer(512)
    res = ext.page_glyphs(raw, text, _GLYPH_ADDRESSES,
                          lambda obj, k: _object_info(R, fonts, obj, buf, rot, tp.raw, k),
                          lambda info, c0: _font_width(R, fonts, info[0], info[1], c0),
                          tuple(map(float, crop)), rot, float(S.min_glyph_size))
    if res is None:
        return None
    texts, x0s, x1s, tops, bottoms, sizes, names, bases, space_after, ligatures = res
    out = list(map(Glyph, texts, x0s, x1s, tops, bottoms, sizes, names, bases))
    for i in space_after:
        out[i].space_after = True
    if ligatures and rot in (0, 180):
        loose, rect = _fast(R)[3], R.FS_RECTF()
        for i, k, y in ligatures:
            if loose(raw, k, rect):
                g = out[i]
                g.x1 = max(g.x1, to_disp(rect.right, y)[0])  # a ligature: as wide as its advance box
    return out


_GLYPH_ADDRESSES = None


def _glyphs_python(R, tp, raw: int, n: int, text, ext, fonts, to_disp, rot, crop):
    objs, xs, ys, lefts, rights, flags = (_chars_compiled(ext, R, raw, n) if ext is not None
                                          else _chars_python(R, raw, n, text))
    charbox = _fast(R)[4]
    buf = ctypes.create_string_buffer(512)
    ink0, ink1, ink2, ink3 = (ctypes.c_double() for _ in range(4))  # left, right, bottom, top
    cx0, cy0, cx1, cy1 = crop
    out = []
    append = out.append
    last_obj, info = None, None
    prev_origin = None
    pending = None
    ligatures, last = [], None  # (glyph, char index, origin y) of glyphs of several letters
    ink_off = {}
    min_size, marks = S.min_glyph_size, HYPHEN_MARKS
    for k, ch, obj, x, y, fl, left, right in zip(range(n), text, objs, xs, ys, flags, lefts, rights):
        if ch.isspace():
            if ch == " " and out and not fl & 2:
                out[-1].space_after = True
            continue
        if not obj:  # a letter PDFium generated for a ligature glyph ("Th"): it joins the glyph
            pending = (ch, x, y)
            continue
        if obj != last_obj:
            info = _object_info(R, fonts, obj, buf, rot, tp.raw, k)
            last_obj = obj
            prev_origin = None
        font, fkey, size, name, desc, upright, xscale = info
        if not upright or size < min_size:
            continue
        if ch in marks:
            ch = marks[ch]
        elif "\ud800" <= ch <= "\udbff" and k + 1 < n:  # a UTF-16 surrogate pair: one character
            ch = (ch + text[k + 1]).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        elif "\udc00" <= ch <= "\udfff":
            continue
        if not (cx0 - 1 <= x <= cx1 + 1 and cy0 - 1 <= y <= cy1 + 1):
            continue
        if prev_origin == (x, y) and out:  # a ligature PDFium split into its letters: one glyph
            out[-1].text += ch
            if ligatures[-1:] != [last]:
                ligatures.append(last)
            continue
        prev_origin = (x, y)
        if pending is not None:
            if abs(pending[1] - x) < 0.01 and abs(pending[2] - y) < 0.01:
                ch = pending[0] + ch
            pending = None
        if rot == 0:  # to_disp inlined for upright pages (most): one call less per glyph
            x0, base = x - cx0, cy1 - y
        else:
            x0, base = to_disp(x, y)
        c0 = ch[0]
        # the advance (see _font_width): the loose box's right edge where it reaches past the ink
        if xscale > 0 and fl & 1 and abs(left - x) < 0.01:
            okey = (obj, c0)
            off = ink_off.get(okey, ink_off)
            if off is ink_off:  # ink right edge - origin: once per (text object, character)
                off = ink_off[okey] = ink1.value - x if charbox(raw, k, ink0, ink1, ink2, ink3) else None
            if off is not None and right > x + off + 0.01:
                adv = (right - x) / xscale
            else:
                adv = _font_width(R, fonts, font, fkey, c0)
        else:
            adv = _font_width(R, fonts, font, fkey, c0)
        g = Glyph(ch, x0, x0 + adv * xscale, base - desc - size, base - desc, size, name, base)
        append(g)
        last = (g, k, y)
        if len(ch) > 1:
            ligatures.append(last)
    for g, k, y in ligatures:
        if rot in (0, 180) and flags[k] & 1:
            g.x1 = max(g.x1, to_disp(rights[k], y)[0])  # a ligature: as wide as its advance box
    return out


def _graphics(R, page, to_disp, W, H):
    """Boxes of the vector graphics and images narrower than the page (chart areas), and the
    boxes of figure images (text drawn over them is chart text)."""
    graphics, images = [], []
    area = W * H
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=(R.FPDF_PAGEOBJ_IMAGE, R.FPDF_PAGEOBJ_PATH)):
        if not R.FPDFPageObj_GetBounds(obj.raw, l, b, r, t):
            continue
        xa, ya = to_disp(l.value, t.value)
        xb, yb = to_disp(r.value, b.value)
        box = (min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))
        if box[2] - box[0] < 0.95 * W:
            graphics.append(box)
        if obj.type == R.FPDF_PAGEOBJ_IMAGE:
            w_, h_ = box[2] - box[0], box[3] - box[1]
            if w_ > 60 and h_ > 60 and w_ * h_ < 0.5 * area:
                images.append(box)
    return graphics, images
