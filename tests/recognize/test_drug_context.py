"""Drug context: a standard abbreviation spoken of as given right next to it; two drugs joined by
a hyphen for their interaction or combination stay two mentions."""
from __future__ import annotations

import pytest

from .helpers import ents


@pytest.mark.parametrize("text, expected", [
    ("The mechanism of IVIG-associated acute renal failure remains unclear.", [("IVIG", "immune globulin")]),
    ("He was later skin tested to confirm allergy to MTX.", [("MTX", "methotrexate")]),
    ("Renal tubular acidosis secondary to FK506 in liver transplantation.", [("FK506", "tacrolimus")]),
    ("Neutropenia appeared after discontinuation of MMF.", [("MMF", "mycophenolate mofetil")]),
])
def test_abbreviation_given_next_to_a_cue(text, expected):
    assert ents(text, "DRUG") == expected


@pytest.mark.parametrize("text", [
    "The ASA score was 2.",
    "The MTX group was larger than expected.",
    "Patients were stratified by DAC status.",
])
def test_abbreviation_without_a_cue_stays_out(text):
    assert ents(text, "DRUG") == []


@pytest.mark.parametrize("text, expected", [
    ("Rhabdomyolysis caused by a potential sitagliptin-lovastatin interaction.",
     [("sitagliptin", "sitagliptin"), ("lovastatin", "lovastatin")]),
    ("serotonin syndrome after olanzapine-lithium combination therapy",
     [("olanzapine", "olanzapine"), ("lithium", "lithium")]),
    ("hypoglycemia after a glipizide-trimethoprim/sulfamethoxazole drug interaction",
     [("glipizide", "glipizide"), ("trimethoprim/sulfamethoxazole", "trimethoprim/sulfamethoxazole")]),
])
def test_interacting_pairs_stay_two_drugs(text, expected):
    assert ents(text, "DRUG") == expected


@pytest.mark.parametrize("text, expected", [
    ("He received piperacillin-tazobactam 4.5 g every 8 hours.",
     [("piperacillin-tazobactam", "piperacillin/tazobactam")]),
    ("amoxicillin-clavulanate was started", [("amoxicillin-clavulanate", "amoxicillin/clavulanic acid")]),
])
def test_fixed_combinations_stay_one_drug(text, expected):
    assert ents(text, "DRUG") == expected
