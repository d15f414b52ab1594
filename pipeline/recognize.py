"""Stage 3: entity recognition (placeholder: none)."""
from __future__ import annotations

from .document import Document


def recognize(doc: Document) -> Document:
    return doc
