"""Volumes and dosage-form amounts: the volume of a mixture of drugs is no one drug's dose
(gold/GUIDELINES.md §12, Volumes), the volume of one drug or fluid is; drops and puffs are a dose
of the drug they are drops or puffs of."""
from __future__ import annotations

import pytest

from .helpers import ents


@pytest.mark.parametrize("text", [
    "We injected 20 mL of lidocaine and bupivacaine mixture for the sciatic block and 20 mL for "
    "the femoral block.",
    "We used 40 mL of the local anaesthetic mixture for the block.",
    "Then 10 ml of this cocktail of ketamine and propofol was given.",
])
def test_mixture_volume_is_no_dose(text):
    assert ents(text, "DOSE") == [] and ents(text, "UNIT") == []


@pytest.mark.parametrize("text, doses", [
    ("15 mL of 2% lidocaine was injected.", [("15", 15)]),
    ("A mixture of 10 mL lidocaine and 10 mL bupivacaine was injected.", [("10", 10), ("10", 10)]),
    ("We used 40 mL of local anaesthetic mixture which contained 200 mg lidocaine.", [("200", 200)]),
    ("He received 500 mL of lactated Ringer's solution.", [("500", 500)]),
])
def test_volumes_of_one_drug_stay_doses(text, doses):
    assert ents(text, "DOSE") == doses


@pytest.mark.parametrize("text, dose, unit", [
    ("He was poorly responsive after receiving 1 drop of brimonidine in each eye.", ("1", 1), ("drop", "[drp]")),
    ("2 drops of 0.5% timolol were instilled", ("2", 2), ("drops", "[drp]")),
    ("salbutamol 2 puffs every 4 hours", ("2", 2), ("puffs", "{puff}")),
])
def test_drops_and_puffs_of_a_drug_are_doses(text, dose, unit):
    assert ents(text, "DOSE") == [dose] and ents(text, "UNIT") == [unit]


def test_drops_of_something_else_are_no_dose():
    assert ents("Two drops of blood were placed on the slide after heparin.", "DOSE") == []
