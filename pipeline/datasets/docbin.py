"""A spaCy ``DocBin`` of documents: every entity in ``doc.spans["doseline"]`` (overlaps allowed; span
label = type, span id = entity id), the longest non-overlapping ones in ``doc.ents``, and the document
JSON (minus text) in ``doc.user_data["doseline"]`` (:func:`from_spacy_doc`)."""
from __future__ import annotations

import bisect
import json
from pathlib import Path


SPAN_GROUP = "doseline"

# ---------------------------------------------------------------------------------------------
# spaCy DocBin
# ---------------------------------------------------------------------------------------------
def to_spacy_doc(obj: dict, vocab=None):
    """A spaCy Doc of the text, tokenized with the project's tokenizer and split at every entity
    boundary, with all entities as spans (``doc.spans["doseline"]``) and non-overlapping ones as ents."""
    from spacy.tokens import Doc, Span
    from spacy.util import filter_spans
    from ..nlp import base_nlp
    nlp = base_nlp()
    text = obj.get("text", "")
    ents = obj.get("entities", [])
    cuts = sorted({e["start"] for e in ents} | {e["end"] for e in ents})
    words, spaces = [], []
    for tok in nlp.tokenizer(text):
        s, e = tok.idx, tok.idx + len(tok.text)
        inner = cuts[bisect.bisect_right(cuts, s):bisect.bisect_left(cuts, e)]
        bounds = [s, *inner, e]
        for k in range(len(bounds) - 1):
            words.append(text[bounds[k]:bounds[k + 1]])
            spaces.append(bool(tok.whitespace_) if k == len(bounds) - 2 else False)
    doc = Doc(vocab or nlp.vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise ValueError("tokenization does not reproduce the text")
    spans = []
    for e in ents:
        sp = doc.char_span(e["start"], e["end"], alignment_mode="expand")
        spans.append(Span(doc, sp.start, sp.end, label=e["type"], span_id=e["id"]))
    doc.spans[SPAN_GROUP] = spans
    doc.ents = filter_spans(spans)
    doc.user_data[SPAN_GROUP] = json.dumps({k: v for k, v in obj.items() if k != "text"}, ensure_ascii=False)
    return doc


def from_spacy_doc(doc) -> dict:
    """The document dict stored in a Doc made by :func:`to_spacy_doc`."""
    obj = json.loads(doc.user_data[SPAN_GROUP])
    out = {}
    for k in ("schema", "source", "metadata"):
        if k in obj:
            out[k] = obj.pop(k)
    out["text"] = doc.text
    out.update(obj)
    return out


def docbin_bytes(docs: list[dict]) -> bytes:
    from spacy.tokens import DocBin
    db = DocBin(store_user_data=True)
    for obj in docs:
        db.add(to_spacy_doc(obj))
    return db.to_bytes()


def read_docbin(path: str | Path) -> list:
    """The spaCy Docs of a ``.spacy`` file (blank English vocab)."""
    import spacy
    from spacy.tokens import DocBin
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
