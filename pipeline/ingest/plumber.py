"""The pdfplumber character backend (``--backend pdfplumber``): pdfminer's layout of each character.

The reference backend of the tests: slower (pdfminer interprets every content stream in Python)
but the one the layout rules were first written against. Same interface as :mod:`.pdfium`:
:func:`open_pdf` and, per page, :func:`page_data` -> (glyphs, width, height, graphics boxes).
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

from ..errors import InputError
from .lines import Glyph
from .settings import SETTINGS as S


def open_pdf(path: Path, data: bytes | None = None):
    """pdfplumber's PDF of ``data`` (the file's bytes, already read) or of ``path``; errors as
    one-line :class:`InputError` naming ``path``."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # colour-space chatter on stderr
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError
    from pdfminer.pdfparser import PDFSyntaxError
    try:
        pdf = pdfplumber.open(io.BytesIO(data) if data is not None else path)
        _ = pdf.pages  # forces the page tree to be read
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{path}: encrypted PDF, cannot read without the password") from None
    except PDFSyntaxError as exc:
        raise InputError(f"{path}: corrupt PDF ({exc})") from None
    except Exception as exc:  # pdfminer raises many types on broken files
        if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception):
            exc = exc.args[0]  # pdfplumber wraps pdfminer's error (e.g. PDFPasswordIncorrect)
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError(f"{path}: encrypted PDF, cannot read without the password") from None
        raise InputError(f"{path}: corrupt PDF ({name}: {exc})") from None
    return pdf


def page_count(pdf) -> int:
    return len(pdf.pages)


def page_data(pdf, i: int):
    """(glyphs, width, height, graphics) of page ``i`` (0-based); graphics are the boxes of the
    vector graphics and images narrower than the page (chart areas)."""
    page = pdf.pages[i]
    imgs = []  # figure images: text drawn over them is chart text
    area = float(page.width) * float(page.height)
    for im in page.images:
        w_, h_ = im["x1"] - im["x0"], im["bottom"] - im["top"]
        if w_ > 60 and h_ > 60 and w_ * h_ < 0.5 * area:  # not a scanned page under OCR text
            imgs.append((im["x0"], im["top"], im["x1"], im["bottom"]))
    glyphs = page_glyphs(page, imgs)
    gr = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in
          page.rects + page.curves + page.lines + page.images]
    graphics = [g for g in gr if (g[2] - g[0]) < 0.95 * float(page.width)]
    return glyphs, float(page.width), float(page.height), graphics


def close(pdf) -> None:
    pdf.close()


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
        if size < S.min_glyph_size:
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
