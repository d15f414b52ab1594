"""The document that flows through every stage, and the offset map that keeps it traceable.

Every stage is a function ``Document -> Document``. The cleanup stages never edit ``text`` in
place: they describe the new text as pieces of the old one (kept slices and inserted strings) and
:meth:`Document.splice` composes the character map, so each character of the final ``text`` still
knows where it came from in ``raw`` (the input text, or the text the PDF reader produced, whose
characters carry page and bounding box in ``boxes``). Every change is logged in ``repairs``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Sequence, Union

SCHEMA_ID = "doseline.document/1"
ENTITY_TYPES = ("DRUG", "REGIMEN", "DOSE", "UNIT", "DAY", "DATE", "FREQUENCY", "ROUTE")
RECORD_SLOTS = ("drug", "dose", "unit", "frequency", "route", "regimen")
RECORD_LISTS = ("days", "dates")

# A piece of a splice: a slice (start, end) of the current text, or a literal string to insert.
Piece = Union[tuple, str]


@dataclass
class Document:
    raw: str
    text: str = ""
    offsets: list = field(default_factory=list)  # text index -> raw index
    boxes: list | None = None  # raw index -> (page, x0, top, x1, bottom) or None (PDF input)
    source: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    records: list = field(default_factory=list)
    repairs: list = field(default_factory=list)
    back_matter: list = field(default_factory=list)
    abbreviations: list = field(default_factory=list)
    blocks: list = field(default_factory=list)  # layout blocks (captions, tables, glossary) in text
    timings: dict = field(default_factory=dict)
    spacy_doc: object = field(default=None, repr=False, compare=False)  # recognize's spaCy Doc

    def __post_init__(self):
        if not self.text and not self.offsets:
            self.text = self.raw
            self.offsets = list(range(len(self.raw)))
        if len(self.offsets) != len(self.text):
            raise ValueError("offsets must map every character of text")

    # ---- provenance -------------------------------------------------------------------------
    def source_span(self, start: int, end: int) -> tuple[int | None, int | None]:
        """Raw offsets covering text[start:end] (inserted characters are skipped)."""
        idx = [self.offsets[i] for i in range(start, end) if self.offsets[i] >= 0]
        if not idx:
            return None, None
        return min(idx), max(idx) + 1

    def page_bbox(self, start: int, end: int) -> tuple[int | None, list | None]:
        """1-based page and [x0, top, x1, bottom] of text[start:end] (PDF input only).

        A span that crosses a page takes the page of its first character and the box of the
        characters on that page."""
        if self.boxes is None:
            return None, None
        boxes = []
        for i in range(start, end):
            j = self.offsets[i]
            if 0 <= j < len(self.boxes) and self.boxes[j] is not None:
                boxes.append(self.boxes[j])
        if not boxes:
            return None, None
        page = boxes[0][0]
        on_page = [b for b in boxes if b[0] == page]
        return page, [
            round(min(b[1] for b in on_page), 2),
            round(min(b[2] for b in on_page), 2),
            round(max(b[3] for b in on_page), 2),
            round(max(b[4] for b in on_page), 2),
        ]

    # ---- editing ----------------------------------------------------------------------------
    def splice(self, pieces: Sequence[Piece], kind: str | None = None, log: Iterable[dict] = ()):
        """Rebuild ``text`` from slices of the current text and inserted strings.

        Inserted characters map to the raw offset of the text position they were inserted at
        (the next kept character), so provenance never points nowhere. ``log`` entries are
        repairs already described by the caller; ``kind`` logs every inserted string."""
        new_text: list[str] = []
        new_off: list[int] = []
        n = len(self.text)
        for k, p in enumerate(pieces):
            if isinstance(p, str):
                if not p:
                    continue
                anchor = self._anchor_after(pieces, k, n)
                new_text.append(p)
                new_off.extend([anchor] * len(p))
            else:
                s, e = p
                if not (0 <= s <= e <= n):
                    raise ValueError(f"bad slice {p} for text of length {n}")
                new_text.append(self.text[s:e])
                new_off.extend(self.offsets[s:e])
        for r in log:
            self.repairs.append(r)
        self.text = "".join(new_text)
        self.offsets = new_off
        return self

    def _anchor_after(self, pieces, k, n):
        for p in pieces[k + 1:]:
            if not isinstance(p, str) and p[1] > p[0]:
                return self.offsets[p[0]]
        for p in reversed(pieces[:k]):
            if not isinstance(p, str) and p[1] > p[0]:
                return self.offsets[p[1] - 1]
        return self.offsets[-1] if n else 0

    def replace(self, edits: Iterable[tuple[int, int, str, str]]):
        """Apply non-overlapping (start, end, replacement, kind) edits, logging each as a repair."""
        edits = sorted(edits, key=lambda e: (e[0], e[1]))
        pieces: list[Piece] = []
        log = []
        pos = 0
        for s, e, new, kind in edits:
            if s < pos:
                raise ValueError(f"overlapping edits at {s}")
            pieces.append((pos, s))
            pieces.append(new)
            before = self.text[s:e]
            if before != new:
                src_s, src_e = self.source_span(s, e)
                if src_s is None:  # pure insertion: anchor at the following raw character
                    src_s = src_e = self.offsets[s] if s < len(self.offsets) else len(self.raw)
                log.append({"kind": kind, "source_start": src_s, "source_end": src_e,
                            "before": before, "after": new})
            pos = e
        pieces.append((pos, len(self.text)))
        return self.splice(pieces, log=log)

    # ---- identity ---------------------------------------------------------------------------
    @staticmethod
    def sha256(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()
