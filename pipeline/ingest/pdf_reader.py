"""PDF to text at character level, layout-aware: the stage's entry point for PDFs.

A character backend reads each page's glyphs (text, box, baseline, font size and name) and the
boxes of its graphics: :mod:`.pdfium` (pypdfium2, the default: PDFium's text page, fast) or
:mod:`.plumber` (pdfplumber/pdfminer, ``--backend pdfplumber`` or ``DOSELINE_PDF_BACKEND``).
The layout code is the same for both: :mod:`.lines` (glyphs -> lines), :mod:`.columns` (columns,
reading order), :mod:`.marks` (captions, tables, charts, footnotes, headers), :mod:`.blocks`
(paragraphs, floats) and :mod:`.front` (front and back matter) turn them into the article text of
the reference convention (``../shared/pdfs/gold/README.md``). Thresholds: :mod:`.settings`.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..document import Document
from ..errors import InputError
from .blocks import assemble
from .front import _empty_meta
from .lines import build_lines

BACKENDS = ("pdfium", "pdfplumber")


def backend_module(name: str | None = None):
    """The backend module for ``name`` (default: ``DOSELINE_PDF_BACKEND`` or pdfium)."""
    name = name or os.environ.get("DOSELINE_PDF_BACKEND") or "pdfium"
    if name == "pdfplumber":
        from . import plumber
        return plumber
    if name == "pdfium":
        from . import pdfium
        return pdfium
    raise ValueError(f"unknown PDF backend {name!r} (one of {', '.join(BACKENDS)})")


def open_pdf(path: Path, data: bytes | None = None, backend: str | None = None):
    return backend_module(backend).open_pdf(path, data)


def read_pdf(path: Path, data: bytes, max_pages: int = 500, backend: str | None = None) -> Document:
    mod = backend_module(backend)
    try:
        pdf = mod.open_pdf(path, data)  # parse the bytes ingest read (and hashed), not a second read
    except InputError as exc:
        # PDFium rebuilds a broken cross-reference table that pdfminer refuses: try it before
        # giving up (an encrypted file stays an error)
        if mod.__name__.endswith("pdfium") or "encrypted" in str(exc):
            raise
        mod = backend_module("pdfium")
        try:
            pdf = mod.open_pdf(path, data)
        except InputError:
            raise exc from None
    try:
        try:
            n = mod.page_count(pdf)
        except Exception as exc:  # pragma: no cover
            raise InputError(f"{path}: corrupt PDF ({type(exc).__name__})") from None
        if n == 0:
            raise InputError(f"{path}: PDF has no pages")
        if n > max_pages:
            raise InputError(f"{path}: {n} pages exceeds the {max_pages}-page limit (DOSELINE_MAX_PAGES)")
        pages, heights, widths, graphics, lost = [], [], [], [], []
        for i in range(n):
            try:
                glyphs, w, h, gr = mod.page_data(pdf, i)
            except InputError:
                raise
            except Exception as exc:
                if getattr(mod, "PAGE_LOSS_OK", False) and n > 1:
                    lost.append(i + 1)  # a damaged page: the others are still read
                    glyphs, w, h, gr = [], 612.0, 792.0, []
                else:
                    raise InputError(f"{path}: corrupt PDF ({type(exc).__name__}: {exc})") from None
            graphics.append(gr)
            pages.append(build_lines(glyphs, i + 1) if glyphs else [])
            heights.append(h)
            widths.append(w)
    finally:
        mod.close(pdf)
    no_text = f"{path}: no text layer (scanned or image-only PDF); OCR it first"
    if len(lost) == n:
        raise InputError(f"{path}: corrupt PDF (no page could be read)")
    if not any(pages):
        raise InputError(no_text)
    source = {"path": str(path), "sha256": Document.sha256(data), "format": "pdf", "pages": n}
    if lost:
        source["pages_lost"] = lost
    try:
        doc = assemble(pages, heights, widths, graphics)
    except InputError:
        raise InputError(no_text) from None
    except Exception as exc:  # a layout this reader does not handle: plain text, flagged
        doc = _fallback(pages)
        source["layout_error"] = f"{type(exc).__name__}: {exc}"
    doc.source = source
    return doc


def _fallback(pages) -> Document:
    """Lines in top-to-bottom order per page, when the layout analysis fails on a file."""
    parts = []
    for lines in pages:
        for l in sorted(lines, key=lambda l: (l.top, l.x0)):
            parts.extend(l.render())
            parts.append(("\n", None))
        parts.append(("\n", None))
    raw = "".join(t for t, _ in parts)
    boxes = [b for t, b in parts for _ in t]
    return Document(raw=raw, boxes=boxes, metadata=_empty_meta())
