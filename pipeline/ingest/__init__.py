"""Stage 1, ingest. In: a path (PDF or text) or a text stream. Out: a :class:`~pipeline.document.Document`
with ``raw`` text (and, for PDFs, a page and bounding box per character, metadata and back matter)."""
from .read import MAX_BYTES, MAX_PAGES, ingest, read_stream, read_text

__all__ = ["ingest", "read_stream", "read_text", "MAX_BYTES", "MAX_PAGES"]
