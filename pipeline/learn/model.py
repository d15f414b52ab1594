"""The shipped DRUG model as a recognizer component: recall for drug names outside every lexicon.

``doseline_model`` runs after ``doseline_quantities`` (routes and frequencies anchor on what it
finds, as on lexicon drugs; doses do not: measured on held-out MACCROBAT, anchoring doses on model
drugs only added false doses) and only adds DRUG candidates through the existing
candidate list (:func:`pipeline.recognize.entities._add`, source ``"model"``); the resolver then
treats them like any other. The rules keep what they do well: a model span that overlaps a
lexicon or regimen candidate is dropped (the lexicon gives the norm and the DrugBank id), and a
model-found drug has norm = its lower-cased surface (whitespace collapsed), no ids.

Guards (each a test in tests/learn/): the span must contain a letter; not every word in it may be
an ordinary English word (wordfreq Zipf >= ``ORDINARY_ZIPF``, Speer et al. 2018), so "blood" or
"the patient" never become drugs whatever the model says; phrases the schema leaves out (drug
classes, "chemotherapy": the ``medication_terms`` list of patterns/mappings/maccrobat.json) and
the lexicon's not-drug phrases (patterns/not_drugs.csv) are dropped.

A name the model finds is a DRUG wherever the document repeats it, and so is an abbreviation it
defines in parentheses ("zorbelumab (ZRB, 200 mg)"), as for lexicon drugs.

Where it runs (speed and precision): only around words where a new drug can matter
(:func:`candidate_words`): a rare word (not an acronym, not inside a drug found already) with a
number+unit or an administration word (patterns/analyte_context.csv, kind admin) near it. The
model reads a window of a few tokens around each such word (:func:`windows`), not the whole
sentence; a span it finds must hold one and be spoken of as given (:func:`given_context`: a
dose, an administration word or a route next to it), the decision between a drug given and the
tests, findings and measured substances that full case reports are full of. Short all-capital
acronyms are left to the abbreviation rules ("CHF", "RTA" are mostly diseases and tests).
``DOSELINE_MODEL=on|off`` overrides the
default (``DEFAULT_ON``, chosen by the held-out ablation in docs/notes/model.md);
``DOSELINE_MODEL_PATH`` runs another model folder (one written by ``doseline train``).
"""
from __future__ import annotations

import bisect
import itertools
import os
import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

SHIPPED = Path(__file__).resolve().parent / "model" / "drug_ner"
DEFAULT_ON = False  # off: it costs DRUG precision on held-out MACCROBAT (docs/notes/model.md)
# the component it follows in the recognizer (pipeline.nlp): after the doses, so a model drug
# does not anchor a DOSE (on held-out MACCROBAT that only added false doses)
AFTER = "doseline_quantities"
ORDINARY_ZIPF = 4.0  # "patient" 5.0, "blood" 5.0, "dose" 4.3; rare drug names < 3
RARE_ZIPF = 2.5  # the model is run around words rarer than this ("infusion" 3.4, "marrow" 3.3)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}")
CUE = re.compile(r"\d+(?:[.,]\d+)?\s?[a-zA-Zµμ]")  # a number with a unit-like word after
CUE_BEFORE, CUE_AFTER = 60, 40  # characters: "received zorbelumab", "zorbelumab 200 mg"
WINDOW_TOKENS = 5
ACRONYM = re.compile(r"[A-Z0-9\-]{2,6}s?")  # "CHF", "RTA", "IFN": left to the abbreviation rules
PAREN_SHORT = re.compile(r"\s*\(([A-Za-z0-9][A-Za-z0-9\-]{1,9})[),;]")  # "zorbelumab (ZRB)"


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


def load(path: str | None = None):
    """The model pipeline (tok2vec + ner) with scispacy's tokenizer, the one it was trained on."""
    return _load(str(path or model_path()))


@lru_cache(maxsize=4)
def _load(path: str):
    import warnings
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer
    nlp = spacy.load(path)
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


@lru_cache(maxsize=65536)
def rare(word: str) -> bool:
    from ..cleanup.words import zipf
    return zipf(word) < RARE_ZIPF


def _cues(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for rx in (CUE, _admin_cue()) for m in rx.finditer(sentence)]


def _near(cues, s: int, e: int) -> bool:
    return any(s - CUE_BEFORE <= b and a <= e + CUE_AFTER for a, b in cues)


def candidate_words(sentence: str, covered) -> list[tuple[int, int]]:
    """Words of ``sentence`` where a new drug name can matter: rare (a name no lexicon has is
    rare in English too, Zipf < ``RARE_ZIPF``; not an acronym, see ``ACRONYM``), not inside
    a drug found already (``covered(offset)``), with a number or an administration word near
    (``CUE_BEFORE`` characters before, ``CUE_AFTER`` after)."""
    cues = _cues(sentence)
    if not cues:
        return []
    return [m.span() for m in WORD.finditer(sentence)
            if rare(m.group()) and not ACRONYM.fullmatch(m.group()) and _near(cues, *m.span())
            and not covered(m.start())]


def gated(sentence: str, covered) -> bool:
    """Whether the model is run on (part of) ``sentence`` at all."""
    return bool(candidate_words(sentence, covered))


def windows(sentence: str, words, width: int = 0) -> list[tuple[int, int]]:
    """Character windows of ``sentence`` around the candidate words, ``width`` white-space
    tokens each side (the encoder sees 4 tokens each side: MaxoutWindowEncoder window 1, depth
    4), merged where they touch. The model reads these instead of whole sentences."""
    width = width or WINDOW_TOKENS
    toks = [m.span() for m in re.finditer(r"\S+", sentence)]
    starts = [a for a, _ in toks]
    out: list[list[int]] = []
    for s, e in words:
        i = max(bisect.bisect_right(starts, s) - 1, 0)
        j = max(bisect.bisect_right(starts, max(e - 1, s)) - 1, i)
        a, b = toks[max(i - width, 0)][0], toks[min(j + width, len(toks) - 1)][1]
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


@lru_cache(maxsize=1)
def _class_check():
    from ..evaluate.mapping import load_mapping, outside_schema
    mapping = load_mapping("maccrobat")
    name = mapping["types"]["DRUG"].get("not_in_schema")
    return lambda text: outside_schema(text, mapping, name) is not None


def accept(span_text: str) -> bool:
    """The guards a model span passes before it becomes a DRUG candidate."""
    from ..recognize.drugs import key_of, not_drug_keys
    t = span_text.strip()
    if len(t) < 3 or not re.search(r"[A-Za-z]", t) or ACRONYM.fullmatch(t):
        return False
    words = WORD.findall(t)
    if not words or all(ordinary(w) for w in words):
        return False
    if key_of(t) in not_drug_keys() or _class_check()(t):
        return False
    return True


def given_context(text: str, s: int, e: int, sent: tuple[int, int]) -> bool:
    """``text[s:e]`` is spoken of as given: a dose with an administrable unit near it (40
    characters), an administration word near it (``CUE_BEFORE``/``CUE_AFTER``), or a route right
    before it ("oral zorbelumab"). Case reports are full of rare words next to numbers (tests,
    findings, lab values): a digit alone is not enough here."""
    from ..recognize.administration import find_routes
    from ..recognize.drugs import _dose_near
    a, b = sent
    if _dose_near(text, s, e, sent):
        return True
    lo, hi = max(a, s - CUE_BEFORE), min(b, e + CUE_AFTER)
    if _admin_cue().search(text, lo, s) or _admin_cue().search(text, e, hi):
        return True
    return any(s - a - 2 <= y <= s - a for _, y, _ in find_routes(text[a:s], lambda pos: True))


def norm_of(span_text: str) -> str:
    return re.sub(r"\s+", " ", span_text.strip().lower())


@Language.component("doseline_model")
def model_component(doc: Doc) -> Doc:
    from ..recognize.entities import _add, _cands, _in_zone, _sentence_bounds, _sentence_of, _text
    text = _text(doc)
    bounds = _sentence_bounds(doc)
    found = sorted((c["start"], c["end"]) for c in _cands(doc, "DRUG", "REGIMEN"))
    starts = [a for a, _ in found]
    reach = list(itertools.accumulate((b for _, b in found), max))  # furthest end so far

    def covered(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and reach[i] > pos

    todo, cands = [], []
    for a, b in bounds:
        seg = text[a:b]
        words = candidate_words(seg, lambda p, a=a: covered(a + p)) if seg.strip() else []
        cands += [(a + s, a + e) for s, e in words]
        todo += [(a + x, text[a + x:a + y]) for x, y in windows(seg, words)]
    if not todo:
        return doc
    names: dict = {}
    for (a, seg), spans in zip(todo, predict([s for _, s in todo])):
        for s, e in spans:
            s, e = s + a, e + a
            # a span the model finds must hold a candidate word (the window's edges are context)
            if not any(x < e and s < y for x, y in cands):
                continue
            if any(x < e and s < y for x, y in found) or not accept(text[s:e]):
                continue
            if not given_context(text, s, e, _sentence_of(bounds, s)):
                continue
            name = text[s:e]
            names.setdefault(name, norm_of(name))
            short = PAREN_SHORT.match(text, e)
            if short and re.search(r"[A-Z]", short.group(1)) and len(short.group(1)) < len(name):
                names.setdefault(short.group(1), norm_of(name))
    # a name the model found once is that drug wherever the document repeats it (also where the
    # gate kept the model away: "zorbelumab was stopped"), and so is the abbreviation it defines
    # in parentheses ("zorbelumab (ZRB)")
    for name, norm in names.items():
        flags = 0 if name.isupper() or len(name) <= 4 else re.I
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags):
            s, e = m.span()
            if any(x < e and s < y for x, y in found) or _in_zone(doc, s, e):
                continue
            found.append((s, e))
            _add(doc, s, e, "DRUG", norm, None, "model")
    return doc
