"""Given vs tested: susceptibility lists and drug screens are not drugs given; a class word after a
drug-like name ("vitamin K antagonist") makes a class, the name after it is the drug."""
from __future__ import annotations

from .helpers import ents


def test_susceptibility_list_is_not_given():
    text = ("Testing showed that the isolate was sensitive to penicillin (MIC = 0.03), ceftriaxone, "
            "and vancomycin but resistant to tetracycline and clindamycin.")
    assert ents(text, "DRUG") == []


def test_drug_screen_is_not_given():
    assert ents("Urine drug screen was positive for cocaine and amphetamine.", "DRUG") == []


def test_drug_given_in_a_sentence_with_a_cue_stays():
    text = "He was treated with vancomycin, to which the isolate was sensitive."
    assert ents(text, "DRUG") == [("vancomycin", "vancomycin")]


def test_list_ends_at_a_verb():
    text = "The strain was resistant to ampicillin and was treated with meropenem."
    assert ents(text, "DRUG") == [("meropenem", "meropenem")]


def test_class_word_before_a_name():
    assert ents("The vitamin K antagonist warfarin was stopped.", "DRUG") == [("warfarin", "warfarin")]


def test_name_without_class_word_stays():
    assert ents("He received vitamin K1 10 mg intravenously.", "DRUG") == [("vitamin K1", "phytonadione")]
    assert ents("The tyrosine kinase inhibitor imatinib was given.", "DRUG") == [("imatinib", "imatinib")]
