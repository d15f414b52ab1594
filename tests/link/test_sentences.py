"""The one sentence segmentation (pipeline/nlp.py, component ``doseline_sentences``), read by
recognition (``_sentence_bounds``) and linking (``sentence_units``) alike."""
from __future__ import annotations

import pytest

from pipeline.nlp import base_nlp, sentence_char_bounds, sentence_units, sentences
from pipeline.recognize.pipeline import recognizer_nlp


def split(text: str) -> list[str]:
    doc = sentences(text)
    return [doc[a:b].text for a, b in sentence_units(doc)]


def test_component_is_registered_in_both_pipelines():
    assert "doseline_sentences" in base_nlp().pipe_names
    assert "sentencizer" not in base_nlp().pipe_names
    assert recognizer_nlp().pipe_names[0] == "doseline_sentences"


def test_splits_after_a_period_before_a_capital():
    assert split("He received cisplatin. She was discharged.") == [
        "He received cisplatin.", "She was discharged."]


def test_no_split_before_a_lowercase_word():
    assert split("He received 500 mg p.o. on day 1. Then he improved.") == [
        "He received 500 mg p.o. on day 1.", "Then he improved."]


def test_splits_at_line_breaks_without_punctuation():
    assert split("Treatment\nCisplatin 80 mg/m2 d1\n\nDocetaxel 75 mg/m2") == [
        "Treatment", "Cisplatin 80 mg/m2 d1", "Docetaxel 75 mg/m2"]


def test_no_split_inside_parentheses():
    assert split("He got vancomycin (Hospira Co. Ltd. (USA). See above) daily. He improved.") == [
        "He got vancomycin (Hospira Co. Ltd. (USA). See above) daily.", "He improved."]


def test_a_line_break_closes_an_open_parenthesis():
    assert split("Table 1 (doses\nCisplatin 80 mg") == ["Table 1 (doses", "Cisplatin 80 mg"]


@pytest.mark.parametrize("text", [
    "As Cho et al. (13) showed, rituximab works.",
    "As shown in Fig. 2 the dose was lowered.",
    "Ganciclovir 5 mg/kg i.v. Twice daily dosing followed.",
    "She took aspirin vs. Placebo in the trial.",
])
def test_no_split_after_an_abbreviation(text):
    assert split(text) == [text]


def test_splits_after_an_ordinary_word_ending_in_a_period():
    # "day." and "mg." are not abbreviations: a capital after them starts a sentence
    assert split("He was given 5 mg. Fever resolved.") == ["He was given 5 mg.", "Fever resolved."]


def test_char_bounds_tile_the_text_and_agree_with_units():
    text = "A got X. B got Y.\nC got Z (see Fig. 1. Below) daily."
    doc = sentences(text)
    bounds = sentence_char_bounds(doc)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:]))
    assert [doc[a].idx for a, _ in sentence_units(doc)] == [a for a, _ in bounds]


def test_recognition_and_linking_see_the_same_sentences():
    from pipeline.recognize.entities import _sentence_bounds
    text = "Cho et al. (2) gave cisplatin. He received 5 mg i.v. Daily doses followed.\nNext line."
    doc = recognizer_nlp()(text)
    units = [doc[a].idx for a, _ in sentence_units(doc)]
    assert [a for a, _ in _sentence_bounds(doc)] == units
    assert len(units) == 3
