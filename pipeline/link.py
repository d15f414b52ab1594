"""Stage 4: relation linking into administration records (placeholder: none)."""
from __future__ import annotations

from .document import Document


def link(doc: Document) -> Document:
    return doc
