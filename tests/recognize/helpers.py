"""Run the recognizer on a sentence and list entities of one type."""
from __future__ import annotations

from pipeline.document import Document
from pipeline.recognize.stage import recognize


def ents(text: str, label: str) -> list[tuple[str, object]]:
    d = Document(raw=text)
    recognize(d)
    return [(e["text"], e["norm"]) for e in d.entities if e["type"] == label]
