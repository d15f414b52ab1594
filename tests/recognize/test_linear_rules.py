"""The linear replacements of quadratic steps give exactly what they replace.

``ParenthesisMatches`` stands in for scispacy's ``"(" any+ ")"`` Matcher; ``doseline_sentences``
writes its starts with one ``Doc.from_array``."""
from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from pipeline.nlp import base_nlp, sentences
from pipeline.recognize.abbreviation import MAX_INNER, ParenthesisMatches
from tests.conftest import GOLD, REPORT

TEXTS = [
    "a ( b ( c ) d ( e ) f ) g ( h ) ( ) ( ( ) )",
    "Tumor necrosis factor (TNF) and interleukin-6 (IL-6) rose (see Table 1 (right)).",
    "(x) starts the text ( and never closes",
    "one ) two ( three ( four ) five ) six ) seven (",
    "drug (" + " w" * (MAX_INNER + 3) + " ) and ( one two )",
]


def _scispacy(doc):
    m = Matcher(doc.vocab)
    m.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])
    # scispacy's filter_matches keeps spans of at most MAX_INNER tokens inside the brackets
    return [(s, e) for _, s, e in m(doc) if (e - 1) - (s + 1) <= MAX_INNER]


@pytest.mark.parametrize("text", TEXTS)
def test_parenthesis_matches_equal_the_matcher(text):
    doc = base_nlp().make_doc(text)
    assert [(s, e) for _, s, e in ParenthesisMatches(doc.vocab)(doc)] == _scispacy(doc)


def test_parenthesis_matches_on_the_report():
    doc = base_nlp().make_doc((GOLD / REPORT / "source.txt").read_text())
    got = [(s, e) for _, s, e in ParenthesisMatches(doc.vocab)(doc)]
    assert got == _scispacy(doc) and len(got) > 50


def test_no_parentheses_no_matches():
    doc = base_nlp().make_doc("Cyclophosphamide 500 mg/m2 was given on day 1.")
    assert ParenthesisMatches(doc.vocab)(doc) == []


def test_sentence_starts_set_on_every_token():
    doc = sentences("He got 5 mg i.v. daily. Then (see Fig. 2. above) it stopped.\nNext line")
    assert [s.text for s in doc.sents] == ["He got 5 mg i.v. daily.",
                                           "Then (see Fig. 2. above) it stopped.\n", "Next line"]
    assert all(t.is_sent_start in (True, False) for t in doc)
