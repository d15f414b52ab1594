"""Names no lexicon has, in an administration or "-induced" frame, with guards against
procedures, diseases, classes, abbreviations, routes and common words."""
from __future__ import annotations

import pytest

from .helpers import ents


@pytest.mark.parametrize("text, expected", [
    ("Infants with hyperkalaemia, treated with Kayexalate, developed hypernatraemia.",
     [("Kayexalate", "kayexalate")]),
    ("Two days after administration of Kalimate enema, he had hematochezia.", [("Kalimate", "kalimate")]),
    ("Pirmenol-induced QT prolongation was reported.", [("Pirmenol", "pirmenol")]),
    ("Irrigation was done with Betadine and she was treated with Betadine.", [("Betadine", "betadine")]),
])
def test_unknown_names_in_a_frame(text, expected):
    assert ents(text, "DRUG") == expected


@pytest.mark.parametrize("text", [
    "Three months following splenectomy, abscesses occurred.",
    "He was treated with plasmapheresis and hemodialysis.",
    "Exercise-induced asthma was noted.",
    "ECT-induced seizures were seen.",
    "He was treated with SSRIs.",
    "He was treated with the Whipple procedure.",
    "She was treated with surgery.",
    "Hypoxia-induced injury was seen.",
    "after the administration of nebulised saline",
    "the drug was administered intravenously",
    "She was treated with thiazide diuretics.",          # a class noun follows
    "Cephalosporin-induced leukopenia was seen.",       # a class the lexicon filters refused
    "Exacerbation of anthracycline-induced cardiomyopathy",
    "He received a dose of carboxypeptidase G2.",       # an enzyme
    "following treatment with pentavalent antimonials",
])
def test_no_unknown_drug(text):
    assert ents(text, "DRUG") == []


def test_known_drug_keeps_its_norm():
    assert ents("She was treated with bisoprolol.", "DRUG") == [("bisoprolol", "bisoprolol")]


def test_abbreviation_right_before_a_dose():
    text = "Women received placebo, RLX 60 mg/d, ALN 10 mg/d, or both."
    assert ents(text, "DRUG") == [("RLX", "rlx"), ("ALN", "aln")]
    assert ents(text, "DOSE") == [("60", 60), ("10", 10)]


@pytest.mark.parametrize("text", [
    "He received IV 1 g of ceftriaxone.",     # a route
    "TBI 12 Gy was given.",                   # no drug amount
    "CRP 50 mg/L after vancomycin",           # a concentration
    "On POD 3 mg of morphine was given.",     # a day
])
def test_no_abbreviation_drug_before_these_numbers(text):
    assert [d for d in ents(text, "DRUG") if d[0].isupper()] == []
