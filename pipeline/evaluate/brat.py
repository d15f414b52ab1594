"""Reads brat standoff documents: the text, its spans (fragments kept) and its relations.

brat standoff: https://brat.nlplab.org/standoff.html (``T`` text-bound spans, possibly
discontinuous ``start end;start end``; ``E`` events whose trigger is a ``T``; ``R`` relations
``TYPE Arg1:X Arg2:Y``). Offsets count characters of the ``.txt`` with its newlines kept, so the
text is read exactly (no newline translation).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..datasets.brat import brat_fragments, read_exact


@dataclass
class BratSpan:
    id: str
    label: str
    start: int  # extent of all fragments
    end: int
    text: str
    fragments: list = field(default_factory=list)


@dataclass
class BratDoc:
    name: str
    text: str
    spans: dict  # T id -> BratSpan
    relations: list  # (type, arg1 T id, arg2 T id), event ids resolved to their trigger


def parse_ann(ann: str) -> tuple[dict, list]:
    spans, events, raw_rels = {}, {}, []
    for line in ann.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        kind = parts[0][:1]
        if kind == "T" and len(parts) >= 2:
            label, _, locs = parts[1].partition(" ")
            frags = brat_fragments(locs)
            spans[parts[0]] = BratSpan(parts[0], label, min(a for a, _ in frags),
                                       max(b for _, b in frags),
                                       parts[2] if len(parts) > 2 else "", frags)
        elif kind == "E" and len(parts) >= 2:
            trigger = parts[1].split()[0]
            events[parts[0]] = trigger.partition(":")[2]
        elif kind == "R" and len(parts) >= 2:
            f = parts[1].split()
            if len(f) >= 3:
                raw_rels.append((f[0], f[1].partition(":")[2], f[2].partition(":")[2]))
    rels = [(t, events.get(a, a), events.get(b, b)) for t, a, b in raw_rels]
    return spans, [r for r in rels if r[1] in spans and r[2] in spans]


def read_brat(txt_path: str | Path) -> BratDoc:
    """One brat document: the ``.txt`` (offsets count characters, newlines kept) and its ``.ann``."""
    txt_path = Path(txt_path)
    text = read_exact(txt_path)
    ann_path = txt_path.with_suffix(".ann")
    ann = read_exact(ann_path) if ann_path.exists() else ""
    spans, rels = parse_ann(ann)
    return BratDoc(txt_path.stem, text, spans, rels)


def list_corpus(directory: str | Path, limit: int | None = None) -> list[Path]:
    files = sorted(Path(directory).glob("*.txt"))
    return files[:limit] if limit else files
