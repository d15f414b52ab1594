"""Stage 2: repair the text (placeholder: identity)."""
from __future__ import annotations

from .document import Document


def cleanup(doc: Document) -> Document:
    return doc
