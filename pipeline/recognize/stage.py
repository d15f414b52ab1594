"""The recognize stage as a function ``Document -> Document``: run the recognizer's components
(:func:`pipeline.recognize.pipeline.recognizer_nlp`) over the clean text, then write the resolved
spans as the document's entities and merge the abbreviations found.

It sits apart from the component table (:mod:`.entities`) so imports run one way:
stage -> pipeline -> entities."""
from __future__ import annotations

from spacy.tokens import Doc

from ..document import Document
from .abbreviation import plausible
from .entities import SPAN_KEY
from .pipeline import recognizer_nlp


def run_components(text: str, blocks=None, known_abbreviations=None) -> Doc:
    nlp = recognizer_nlp()
    sdoc = nlp.make_doc(text)
    sdoc.user_data["doseline"] = {"candidates": [], "text": text, "blocks": list(blocks or []),
                                  "known": list(known_abbreviations or [])}
    for _, proc in nlp.pipeline:
        sdoc = proc(sdoc)
    return sdoc


def recognize(doc: Document) -> Document:
    sdoc = run_components(doc.text, doc.blocks, doc.abbreviations)
    st = sdoc.user_data["doseline"]
    entities = []
    for i, sp in enumerate(sorted(sdoc.spans[SPAN_KEY], key=lambda s: (s.start_char, s.end_char))):
        e = {"id": f"T{i + 1}", "type": sp.label_, "start": sp.start_char, "end": sp.end_char,
             "text": sp.text, "norm": sp._.norm}
        if sp._.ids:
            e["ids"] = dict(sp._.ids)
        entities.append(e)
    doc.entities = entities
    seen = {a["short"] for a in doc.abbreviations}
    merged = list(doc.abbreviations)
    pairs = st.get("pairs", [])
    ordered = [p for p in pairs if p["source"] == "glossary"] + sorted(
        (p for p in pairs if p["source"] not in ("glossary", "document")),
        key=lambda p: (p["start"] if p.get("start") is not None else 1 << 30, p["short"], p["long"]))
    for p in ordered:
        if p["short"] not in seen and p["source"] != "document" and plausible(p):
            seen.add(p["short"])
            merged.append({"short": p["short"], "long": p["long"]})
    doc.abbreviations = merged
    doc.spacy_doc = sdoc
    return doc
