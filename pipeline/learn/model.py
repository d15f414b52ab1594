"""The shipped DRUG model as a recognizer component: recall for drug names outside every lexicon.

``doseline_model`` runs right after ``doseline_drugs`` (so doses, routes and frequencies anchor
on what it finds, as on lexicon drugs) and only adds DRUG candidates through the existing
candidate list (:func:`pipeline.recognize.entities._add`, source ``"model"``); the resolver then
treats them like any other. The rules keep what they do well: a model span that overlaps a
lexicon or regimen candidate is dropped (the lexicon gives the norm and the DrugBank id), and a
model-found drug has norm = its lower-cased surface (whitespace collapsed), no ids.

Guards (each a test in tests/learn/): the span must contain a letter; not every word in it may be
an ordinary English word (wordfreq Zipf >= ``ORDINARY_ZIPF``, Speer et al. 2018), so "blood" or
"the patient" never become drugs whatever the model says; phrases the schema leaves out (drug
classes, "chemotherapy": the ``medication_terms`` list of patterns/mappings/maccrobat.json) and
the lexicon's not-drug phrases (patterns/not_drugs.csv) are dropped.

Speed: the model runs only on sentences where a new drug can matter (:func:`gated`): a digit or
an administration word (patterns/analyte_context.csv, kind admin) and a word that is neither an
ordinary English word nor inside a drug already found. ``DOSELINE_MODEL=on|off`` overrides the
default (``DEFAULT_ON``, chosen by the held-out ablation in docs/notes/model.md);
``DOSELINE_MODEL_PATH`` runs another model folder (one written by ``doseline train``).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

SHIPPED = Path(__file__).resolve().parent / "model" / "drug_ner"
DEFAULT_ON = True
ORDINARY_ZIPF = 4.0  # "patient" 5.0, "blood" 5.0, "dose" 4.3; rare drug names < 3
WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}")
CUE = re.compile(r"\d")


def enabled() -> bool:
    """Whether the recognizer runs the model: ``DOSELINE_MODEL`` (on/off), else ``DEFAULT_ON``,
    and only when a model folder is there."""
    v = os.environ.get("DOSELINE_MODEL", "").strip().lower()
    if v in ("off", "0", "false", "no"):
        return False
    if v not in ("on", "1", "true", "yes") and not DEFAULT_ON:
        return False
    return (model_path() / "meta.json").exists()


def model_path() -> Path:
    return Path(os.environ.get("DOSELINE_MODEL_PATH") or SHIPPED)


@lru_cache(maxsize=4)
def load(path: str | None = None):
    """The model pipeline (tok2vec + ner) with scispacy's tokenizer, the one it was trained on."""
    import warnings
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer
    nlp = spacy.load(path or model_path())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    return nlp


def predict(texts, path: str | None = None) -> list[list[tuple[int, int]]]:
    """DRUG character spans the model finds in each text (no guards, no gate)."""
    nlp = load(path)
    return [[(e.start_char, e.end_char) for e in d.ents if e.label_ == "DRUG"]
            for d in nlp.pipe(texts, batch_size=64)]


@lru_cache(maxsize=1)
def _admin_cue():
    from ..recognize.drugs import analyte_cues
    return analyte_cues()["admin"]


@lru_cache(maxsize=65536)
def ordinary(word: str) -> bool:
    from ..cleanup.words import zipf
    return zipf(word) >= ORDINARY_ZIPF


def gated(sentence: str, covered) -> bool:
    """Whether a new drug name can matter here: a number or an administration word, and a word
    that is not ordinary English and not inside a drug found already (``covered(offset)``)."""
    if not (CUE.search(sentence) or _admin_cue().search(sentence)):
        return False
    return any(not covered(m.start()) and not ordinary(m.group())
               for m in WORD.finditer(sentence))


@lru_cache(maxsize=1)
def _class_check():
    from ..evaluate.corpus import load_mapping, outside_schema
    mapping = load_mapping("maccrobat")
    name = mapping["types"]["DRUG"].get("not_in_schema")
    return lambda text: outside_schema(text, mapping, name) is not None


def accept(span_text: str) -> bool:
    """The guards a model span passes before it becomes a DRUG candidate."""
    from ..recognize.drugs import key_of, not_drug_keys
    t = span_text.strip()
    if len(t) < 3 or not re.search(r"[A-Za-z]", t):
        return False
    words = WORD.findall(t)
    if not words or all(ordinary(w) for w in words):
        return False
    if key_of(t) in not_drug_keys() or _class_check()(t):
        return False
    return True


def norm_of(span_text: str) -> str:
    return re.sub(r"\s+", " ", span_text.strip().lower())


@Language.component("doseline_model")
def model_component(doc: Doc) -> Doc:
    from ..recognize.entities import _add, _cands, _in_zone, _sentence_bounds, _text
    text = _text(doc)
    found = sorted((c["start"], c["end"]) for c in _cands(doc, "DRUG", "REGIMEN"))

    def covered(pos: int) -> bool:
        return any(a <= pos < b for a, b in found)

    todo = []
    for a, b in _sentence_bounds(doc):
        seg = text[a:b]
        if seg.strip() and gated(seg, lambda p, a=a: covered(a + p)):
            todo.append((a, seg))
    if not todo:
        return doc
    for (a, seg), spans in zip(todo, predict([s for _, s in todo])):
        for s, e in spans:
            s, e = s + a, e + a
            if any(x < e and s < y for x, y in found) or _in_zone(doc, s, e):
                continue
            if not accept(text[s:e]):
                continue
            _add(doc, s, e, "DRUG", norm_of(text[s:e]), None, "model")
    return doc
