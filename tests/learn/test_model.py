"""The shipped DRUG model inside the recognizer: it loads offline from the package, finds drug
names no lexicon has (in sentences written here), leaves ordinary words alone, and only adds
candidates that pass the guards; ``DOSELINE_MODEL=off`` turns it off."""
from __future__ import annotations

import pytest

from pipeline.learn import model as lm
from pipeline.recognize.pipeline import recognizer_nlp
from pipeline.recognize.drugs import matcher
from pipeline.run import run_text

pytestmark = pytest.mark.skipif(not (lm.SHIPPED / "meta.json").exists(),
                                reason="no shipped model")

# invented names: in no lexicon, shaped like drug names (stems -mab, -vir, -nib, -azole ...)
POSITIVE = [
    ("The patient was started on zorbelumab 200 mg intravenously every 3 weeks.", "zorbelumab"),
    ("She received quintravir 400 mg orally twice daily for 10 days.", "quintravir"),
    ("Treatment with palometinib 80 mg once daily was begun on day 1.", "palometinib"),
    ("He was given miltrazole 150 mg orally once a week.", "miltrazole"),
]
NEGATIVE = [
    "The patient was admitted with fever and received 2 liters of fluid over 4 hours.",
    "Her blood pressure was 130/85 mmHg and the heart rate 96 beats per minute on day 2.",
    "He was treated at home and given 3 days of rest before the visit.",
]


@pytest.fixture
def model_on(monkeypatch):
    monkeypatch.setenv("DOSELINE_MODEL", "on")
    recognizer_nlp.cache_clear()
    yield
    recognizer_nlp.cache_clear()


def _drugs(text):
    return [(e["text"], e["norm"]) for e in run_text(text).entities if e["type"] == "DRUG"]


@pytest.mark.parametrize("text,name", POSITIVE)
def test_finds_a_drug_outside_every_lexicon(model_on, text, name):
    assert matcher().find(text) == []  # the lexicon does not know it
    drugs = _drugs(text)
    assert (name, name) in drugs  # norm = lower-cased surface


@pytest.mark.parametrize("text", NEGATIVE)
def test_does_not_fire_on_ordinary_words(model_on, text):
    assert _drugs(text) == []


def test_off_switch(monkeypatch):
    monkeypatch.setenv("DOSELINE_MODEL", "off")
    recognizer_nlp.cache_clear()
    try:
        assert "doseline_model" not in recognizer_nlp().pipe_names
        # POSITIVE[1]: no rule frame either ("started on X" of POSITIVE[0] is one since
        # recognize/unknown_drugs.py), so only the model could find it
        assert _drugs(POSITIVE[1][0]) == []
    finally:
        recognizer_nlp.cache_clear()


def test_lexicon_keeps_norm_and_ids(model_on):
    ents = run_text("She received Zosyn 4.5 g intravenously every 8 hours.").entities
    drug = [e for e in ents if e["type"] == "DRUG"]
    assert drug and drug[0]["norm"] != "zosyn"  # the lexicon's generic, not the surface


def test_model_drug_anchors_route_not_dose(model_on):
    """The component runs after the doses (model.AFTER): its drugs anchor routes and frequencies;
    a dose still needs a lexicon drug or regimen (held-out MACCROBAT: model-anchored doses were
    all false)."""
    types = {e["type"] for e in run_text(POSITIVE[1][0]).entities}  # a drug only the model finds
    assert {"DRUG", "ROUTE", "FREQUENCY"} <= types
    assert "DOSE" not in types


def test_guards():
    assert lm.accept("zorbelumab")
    assert not lm.accept("blood")          # ordinary English word
    assert not lm.accept("the patient")
    assert not lm.accept("antibiotics")    # a class: not DRUG in the schema
    assert not lm.accept("chemotherapy")
    assert not lm.accept("12")
    assert lm.norm_of(" Zorbe  lumab ") == "zorbe lumab"


def test_gate_runs_the_model_only_where_a_new_drug_can_matter():
    never = lambda pos: False  # noqa: E731
    assert lm.gated("She received quintravir 400 mg.", never)
    assert not lm.gated("The patient was well at the time of the visit.", never)  # no cue
    assert not lm.gated("He was given 2 days of rest at home.", never)  # only ordinary words
    assert not lm.gated("She received quintravir 400 mg.", lambda pos: 13 <= pos < 23)


def test_found_name_and_its_abbreviation_hold_for_the_whole_document(model_on):
    text = ("She received quintravir (QTV, 400 mg) orally twice daily. "
            "Quintravir was stopped after a rash. QTV was not restarted.")
    drugs = [e for e in run_text(text).entities if e["type"] == "DRUG"]
    assert [d["text"] for d in drugs] == ["quintravir", "QTV", "Quintravir", "QTV"]
    assert {d["norm"] for d in drugs} == {"quintravir"}
