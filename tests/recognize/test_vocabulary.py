"""Vocabulary breadth: brands to generics, combinations, INN norms without salt words, British
spellings, standard abbreviations as data, abbreviation definitions in parenthetical forms."""
from __future__ import annotations

import pytest

from pipeline.recognize import drugs
from .helpers import ents


@pytest.mark.parametrize("text, span, norm", [
    ("He was started on Zosyn for sepsis.", "Zosyn", "piperacillin/tazobactam"),
    ("She took Bactrim for a week.", "Bactrim", "trimethoprim/sulfamethoxazole"),
    ("He received piperacillin-tazobactam 4.5 g.", "piperacillin-tazobactam", "piperacillin/tazobactam"),
    ("He received sulfamethoxazole/trimethoprim.", "sulfamethoxazole/trimethoprim", "sulfamethoxazole/trimethoprim"),
    ("She was given oseltamivir phosphate 75 mg.", "oseltamivir phosphate", "oseltamivir"),
    ("He was on sodium valproate.", "sodium valproate", "valproic acid"),
    ("Imatinib mesylate was continued.", "Imatinib mesylate", "imatinib"),
    ("Liposomal doxorubicin was given.", "Liposomal doxorubicin", "doxorubicin"),
    ("She was treated with amoxycillin.", "amoxycillin", "amoxicillin"),
    ("She was treated with cefalexin.", "cefalexin", "cephalexin"),
    ("Paracetamol was given for fever.", "Paracetamol", "acetaminophen"),
    ("she was given paracetamol for fever.", "paracetamol", "acetaminophen"),
    ("Calcitonin was injected.", "Calcitonin", "calcitonin"),
])
def test_names_brands_salts_spellings(text, span, norm):
    assert (span, norm) in ents(text, "DRUG")


def test_counter_ion_compound_keeps_its_name():
    # the rest ("gluconate") is only a counter-ion: the norm stays the salt's own name
    assert ents("He received calcium gluconate 1 g.", "DRUG") == [("calcium gluconate", "calcium gluconate")]


def test_salt_word_alone_is_not_absorbed_across_punctuation():
    got = ents("He took warfarin; phosphate was low.", "DRUG")
    assert ("warfarin", "warfarin") in got and all(t != "warfarin; phosphate" for t, _ in got)


@pytest.mark.parametrize("text, span, norm", [
    ("TMP-SMX was started.", "TMP-SMX", "trimethoprim/sulfamethoxazole"),
    ("He received 5-FU and leucovorin.", "5-FU", "fluorouracil"),
    ("ATRA was added.", "ATRA", "tretinoin"),
    ("IVIG was given for 5 days.", "IVIG", "immune globulin"),
    ("HCQ was stopped.", "HCQ", "hydroxychloroquine"),
    ("INH prophylaxis was given.", "INH", "isoniazid"),
])
def test_standard_abbreviations(text, span, norm):
    assert (span, norm) in ents(text, "DRUG")


def test_abbreviations_only_in_their_own_case():
    assert ents("The atra and inh words are not drugs here.", "DRUG") == []


@pytest.mark.parametrize("text, short, norm", [
    ("He received rifampicine (RFP, 600 mg/d) for months. RFP was stopped later.", "RFP", "rifampin"),
    ("We gave ceftazidime/avibactam (CZA). After 5 days CZA was stopped.", "CZA", "ceftazidime/avibactam"),
    ("Cefoperazone (hereafter CPZ) was given. CPZ was stopped.", "CPZ", "cefoperazone"),
])
def test_definitions_in_parenthetical_forms(text, short, norm):
    got = ents(text, "DRUG")
    assert got.count((short, norm)) == 2


def test_parenthesis_without_a_drug_defines_nothing():
    assert ents("The score (RFP, 3 points) was low. RFP was noted.", "DRUG") == []


def test_fuzzy_is_guarded_against_english_and_short_words():
    m = drugs.matcher()
    assert m.fuzzy("sevofluorane") is not None
    assert m.fuzzy("vancomycine") is not None
    assert m.fuzzy("situation") is None       # an English word
    assert m.fuzzy("penicilln") is not None   # long misspelling
    assert ents("The cytokine was low.", "DRUG") == []


def test_route_word_leading_a_lexicon_name_is_a_route():
    text = "Intravenous sodium bicarbonate was given."
    assert ents(text, "DRUG") == [("sodium bicarbonate", "sodium bicarbonate")]
    assert ents(text, "ROUTE") == [("Intravenous", "intravenous")]


def test_hyphen_inside_a_name_and_locants():
    assert ents("He had levo-dopa-induced dyskinesias.", "DRUG") == [("levo-dopa", "levodopa")]
    assert ents("It was changed to 5-aminosalicylic acid.", "DRUG") == [("5-aminosalicylic acid", "mesalamine")]
    # a hyphen between two words that are no drug together joins nothing
    assert ents("The levo-rotatory isomer was studied.", "DRUG") == []


def test_plural_mesh_heading_norm_in_singular():
    assert ents("Vasopressin was started.", "DRUG") == [("Vasopressin", "vasopressin")]


def test_short_form_must_start_like_the_name():
    text = "He had inappropriate antidiuretic hormone (SIADH). SIADH resolved."
    assert all(t != "SIADH" for t, _ in ents(text, "DRUG"))


def test_undefined_standard_abbreviation_needs_a_drug_context():
    # "ASA" is also a physical-status score, "DAC" a place or a gene
    assert ents("Her ASA class was II at the DAC clinic.", "DRUG") == []
    assert ("ASA", "aspirin") in ents("She took ASA 81 mg daily.", "DRUG")
    # defined by the document: no context needed
    text = "Acetylsalicylic acid (ASA) is an old drug. ASA class II."
    assert ents(text, "DRUG").count(("ASA", "aspirin")) == 2


def test_baricity_word_joins_the_span_not_the_norm():
    text = "intrathecal 12.5 mg of heavy bupivacaine with 15 µg fentanyl"
    assert ents(text, "DRUG") == [("heavy bupivacaine", "bupivacaine"), ("fentanyl", "fentanyl")]
    assert ents("heavy smoking and 5 mg warfarin", "DRUG") == [("warfarin", "warfarin")]
