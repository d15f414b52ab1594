"""The whole pipeline: ingest -> cleanup -> recognize -> link, each a Document -> Document step."""
from __future__ import annotations

import time
from pathlib import Path

from .cleanup.repair import cleanup
from .document import Document
from .ingest.read import ingest, read_text
from .link.anchors import derive_dates
from .link.linker import link
from .recognize.stage import recognize

STAGES = (("cleanup", cleanup), ("recognize", recognize), ("link", link), ("anchor", derive_dates))


def process(doc: Document) -> Document:
    for name, stage in STAGES:
        t0 = time.perf_counter()
        doc = stage(doc)
        doc.timings[name] = time.perf_counter() - t0
    return doc


def run_path(path: str | Path) -> Document:
    t0 = time.perf_counter()
    doc = ingest(path)
    doc.timings["ingest"] = time.perf_counter() - t0
    return process(doc)


def run_text(text: str, path: str = "-") -> Document:
    return process(read_text(text, path))


WARMUP = "The patient received cyclophosphamide 500 mg/m2 intravenously on day 1 and daily thereafter."


def warm_up() -> Document:
    """Load what the first document would otherwise pay for (spaCy pipelines, lexicons, wordfreq,
    pdfplumber), so a batch worker's or a benchmark's first file is timed like the others."""
    import logging
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # per-glyph colour warnings flood stderr
    import pdfplumber  # noqa: F401  imported by the PDF reader on its first file
    from .nlp import sentences
    sentences(WARMUP)
    return run_text(WARMUP, "warm-up")
