"""PDF to text at character level with pdfplumber (placeholder: plain extract_text per page).

Replaced by the layout-aware reader (columns, superscripts, headers, captions, back matter)."""
from __future__ import annotations

from pathlib import Path

from .document import Document
from .errors import InputError


def open_pdf(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError
    from pdfminer.pdfparser import PDFSyntaxError
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # forces the page tree to be read
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{path}: encrypted PDF, cannot read without the password") from None
    except PDFSyntaxError as exc:
        raise InputError(f"{path}: corrupt PDF ({exc})") from None
    except Exception as exc:  # pdfminer raises many types on broken files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError(f"{path}: encrypted PDF, cannot read without the password") from None
        raise InputError(f"{path}: corrupt PDF ({name}: {exc})") from None
    return pdf


def read_pdf(path: Path, data: bytes, max_pages: int = 500) -> Document:
    pdf = open_pdf(path)
    with pdf:
        n = len(pdf.pages)
        if n == 0:
            raise InputError(f"{path}: PDF has no pages")
        if n > max_pages:
            raise InputError(f"{path}: {n} pages exceeds the {max_pages}-page limit (DOSELINE_MAX_PAGES)")
        parts, boxes = [], []
        for i, page in enumerate(pdf.pages, 1):
            for ch in page.chars:
                pass
            t = page.extract_text() or ""
            parts.append(t + "\n\n")
            boxes.extend([None] * (len(t) + 2))
    raw = "".join(parts)
    if not raw.strip():
        raise InputError(f"{path}: no text layer (scanned or image-only PDF); OCR it first")
    return Document(raw=raw, boxes=boxes,
                    source={"path": str(path), "sha256": Document.sha256(data),
                            "format": "pdf", "pages": n})
