"""The volume of a mixture of drugs is no one drug's dose (gold/GUIDELINES.md §12, Volumes); the
volume of one drug or fluid is."""
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
