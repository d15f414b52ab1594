"""Stage 1: read the input (a PDF or raw extracted text) into a :class:`Document`.

Text input becomes ``raw`` as is. PDF input is read at character level with pypdfium2 or
pdfplumber (see ``pdf_reader``); the reader's text becomes ``raw`` and each of its characters keeps page and
bounding box in ``boxes``. Unreadable inputs raise :class:`InputError` with a one-line reason.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..document import Document
from ..errors import InputError

MAX_BYTES = int(os.environ.get("DOSELINE_MAX_BYTES", 200 * 1024 * 1024))
MAX_PAGES = int(os.environ.get("DOSELINE_MAX_PAGES", 500))


def read_text(text: str, path: str = "-", data: bytes | None = None) -> Document:
    if not text.strip():
        raise InputError(f"{path}: empty input, no text to read")
    data = data if data is not None else text.encode("utf-8")
    return Document(raw=text, source={"path": path, "sha256": Document.sha256(data),
                                      "format": "text", "pages": None})


def read_stream(stream, path: str = "-") -> Document:
    """Text from a text stream (standard input), under the same size limit as a file."""
    try:
        text = stream.read(MAX_BYTES + 1)  # characters: at least as many bytes
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    data = text.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: input too large (> {MAX_BYTES / 1e6:.0f} MB limit,"
                         " set DOSELINE_MAX_BYTES to raise it)")
    return read_text(text, path, data)


def ingest(path: str | Path) -> Document:
    """Read a .pdf or a text file (anything else is tried as UTF-8 text)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a file")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"{p}: empty file")
    if size > MAX_BYTES:
        raise InputError(f"{p}: file too large ({size / 1e6:.0f} MB > {MAX_BYTES / 1e6:.0f} MB limit,"
                         " set DOSELINE_MAX_BYTES to raise it)")
    data = p.read_bytes()
    looks_pdf = data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]
    if p.suffix.lower() == ".pdf" or looks_pdf:
        if not looks_pdf:
            raise InputError(f"{p}: not a PDF (no %PDF header)")
        from .pdf_reader import read_pdf  # the PDF backends are only imported for PDFs
        return read_pdf(p, data, max_pages=MAX_PAGES)
    if b"\x00" in data[:4096]:
        raise InputError(f"{p}: binary file, neither a PDF nor text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{p}: not UTF-8 text and not a PDF") from None
    return read_text(text, str(p), data)
