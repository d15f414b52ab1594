"""Decision (d), pipeline/link/regimens.py: which regimen a drug belongs to."""
from __future__ import annotations

from .marks import readable, run

STORY = "A 52-year-old woman was admitted.\n\n"


def regimen_of(marked: str) -> dict:
    return {r[0]: r[7] for r in readable(run(STORY + marked))}


def test_regimen_before_its_parenthesised_list():
    assert regimen_of("She received [[GP|REGIMEN]] ([[gemcitabine|DRUG]] [[1000|DOSE]] [[mg/m2|UNIT]], "
                      "[[cisplatin|DRUG]] [[75|DOSE]] [[mg/m2|UNIT]]).") == {"gemcitabine": "GP", "cisplatin": "GP"}


def test_regimen_with_a_word_between_name_and_list():
    assert regimen_of("She received [[XY|REGIMEN]] chemotherapy ([[cisplatin|DRUG]] [[80|DOSE]] [[mg/m2|UNIT]] "
                      "[[d1|DAY|[1]]], [[gemcitabine|DRUG]] [[1000|DOSE]] [[mg/m2|UNIT]] [[d1, d8|DAY|[1,8]]]).") == \
        {"cisplatin": "XY", "gemcitabine": "XY"}


def test_regimen_after_a_bare_list():
    assert regimen_of("[[Busulfan|DRUG]] plus [[cyclophosphamide|DRUG]] ([[BU+CY|REGIMEN]]) was given on "
                      "[[day -7|DAY|[-7]]].") == {"Busulfan": "BU+CY", "cyclophosphamide": "BU+CY"}


def test_regimen_defined_in_a_caption():
    assert regimen_of("Figure 1: [[FC|REGIMEN]], [[fludarabine|DRUG]] [[30|DOSE]] [[mg/m2|UNIT]] "
                      "[[d1-3|DAY|[1,2,3]]], [[cyclophosphamide|DRUG]] [[300|DOSE]] [[mg/m2|UNIT]] "
                      "[[d1-3|DAY|[1,2,3]]].") == {"fludarabine": "FC", "cyclophosphamide": "FC"}


def test_regimen_consisting_of_a_list():
    assert regimen_of("The [[FOLFIRI|REGIMEN]] regimen consisting of [[irinotecan|DRUG]] [[180|DOSE]] [[mg/m2|UNIT]], "
                      "[[leucovorin|DRUG]] and [[fluorouracil|DRUG]] was given.")["irinotecan"] == "FOLFIRI"


def test_regimen_named_in_the_next_sentence():
    assert regimen_of("She received [[cisplatin|DRUG]] [[80|DOSE]] [[mg/m2|UNIT]] and [[gemcitabine|DRUG]] "
                      "[[1000|DOSE]] [[mg/m2|UNIT]]. The [[GP|REGIMEN]] regimen was repeated every 3 weeks.") == \
        {"cisplatin": "GP", "gemcitabine": "GP"}


def test_regimen_two_sentences_later_or_with_a_drug_does_not_link():
    assert regimen_of("She received [[cisplatin|DRUG]] [[80|DOSE]] [[mg/m2|UNIT]] and [[gemcitabine|DRUG]] "
                      "[[1000|DOSE]] [[mg/m2|UNIT]]. She tolerated it. The [[GP|REGIMEN]] regimen was repeated.") == \
        {"cisplatin": None, "gemcitabine": None}
    assert regimen_of("She received [[cisplatin|DRUG]] [[80|DOSE]] [[mg/m2|UNIT]] and [[gemcitabine|DRUG]] "
                      "[[1000|DOSE]] [[mg/m2|UNIT]]. [[GP|REGIMEN]] and [[filgrastim|DRUG]] [[5|DOSE]] "
                      "[[µg/kg|UNIT]] followed.")["cisplatin"] is None


def test_one_drug_before_a_regimen_sentence_does_not_link():
    # a single drug is not a list of a regimen's components
    assert regimen_of("She received [[cisplatin|DRUG]] [[80|DOSE]] [[mg/m2|UNIT]]. The [[GP|REGIMEN]] regimen "
                      "was considered.") == {"cisplatin": None}


def test_regimen_in_a_table_row():
    assert regimen_of("Regimen | Drugs\n[[CHOP|REGIMEN]], [[cyclophosphamide|DRUG]] [[750|DOSE]] [[mg/m2|UNIT]], "
                      "[[vincristine|DRUG]] [[1.4|DOSE]] [[mg/m2|UNIT]]") == \
        {"cyclophosphamide": "CHOP", "vincristine": "CHOP"}
