"""Stage 2, cleanup (plain functions, not spaCy components: they rewrite the text). In: a Document's
``raw`` text. Out: its clean ``text``, with every edit in the offset map and in ``repairs``, and its sections."""
from .repair import cleanup

__all__ = ["cleanup"]
