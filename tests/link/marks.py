"""Test texts with entities marked inline: ``[[surface|TYPE]]`` or ``[[surface|TYPE|json-norm]]``.

``run`` links such a text (recognition skipped) and ``readable`` spells the records out with entity
texts, so a test states the expected decision directly."""
from __future__ import annotations

import json
import re

from pipeline.document import Document
from pipeline.link.linker import link

MARK = re.compile(r"\[\[(.+?)\|([A-Z]+)(?:\|(.+?))?\]\](?!\])")


def parse(marked: str):
    """Text and entities from inline marks."""
    text, ents, pos = [], [], 0
    out_len = 0
    for m in MARK.finditer(marked):
        before = marked[pos:m.start()]
        text.append(before)
        out_len += len(before)
        surface, typ, norm = m.group(1), m.group(2), m.group(3)
        ents.append({"id": f"T{len(ents) + 1}", "type": typ, "start": out_len,
                     "end": out_len + len(surface), "text": surface,
                     "norm": json.loads(norm) if norm else surface.lower()})
        text.append(surface)
        out_len += len(surface)
        pos = m.end()
    text.append(marked[pos:])
    return "".join(text), ents


def run(marked: str, sections=None):
    text, ents = parse(marked)
    doc = Document(raw=text)
    doc.entities = ents
    doc.sections = sections or []
    return link(doc)


def readable(doc) -> list:
    """Records as tuples of entity texts: (drug, dose, unit, freq, route, days, dates, regimen, case)."""
    E = {e["id"]: e["text"] for e in doc.entities}
    t = lambda x: E[x] if x else None
    return [(t(r["drug"]), t(r["dose"]), t(r["unit"]), t(r["frequency"]), t(r["route"]),
             tuple(E[x] for x in r["days"]), tuple(E[x] for x in r["dates"]), t(r["regimen"]), r["case"])
            for r in doc.records]
