"""Hormones and neurotransmitters named as body messengers are no DRUG: measured ("serum
aldosterone"), or named by their role ("noradrenaline functioning", "dopamine release",
"aldosterone action"); the same names given as drugs stay drugs (patterns/recognize/dual_use.csv,
analyte_context.csv)."""
from __future__ import annotations

import pytest

from .helpers import ents


def drugs(text):
    return [t for t, _ in ents(text, "DRUG")]


@pytest.mark.parametrize("text, absent", [
    ("Plasma aldosterone and renin were high.", "aldosterone"),
    ("The disorder is a resistance to aldosterone action in the kidney.", "aldosterone"),
    ("Total testosterone was low on two mornings.", "testosterone"),
    ("To lower noradrenaline functioning, we gave 20 mg of the beta-blocker propranolol.", "noradrenaline"),
    ("Dopamine release in the striatum fell after haloperidol 5 mg.", "Dopamine"),
    ("Dopaminergic tone and dopamine firing rose after cocaine use.", "dopamine"),
    ("Norepinephrine blockade slowed the pulse after atenolol.", "Norepinephrine"),
    ("FSH = follicle stimulating hormone.", "follicle stimulating hormone"),
])
def test_messenger_is_no_drug(text, absent):
    assert absent not in drugs(text)


@pytest.mark.parametrize("text, present", [
    ("Noradrenaline was infused at 0.2 µg/kg/min for septic shock.", "Noradrenaline"),
    ("A dopamine infusion of 5 µg/kg/min was started.", "dopamine"),
    ("He required norepinephrine and vasopressin to keep a mean pressure of 65 mmHg.", "norepinephrine"),
    ("Testosterone 250 mg was injected every 3 weeks.", "Testosterone"),
    ("To lower noradrenaline functioning, we gave 20 mg of the beta-blocker propranolol.", "propranolol"),
])
def test_messenger_given_as_drug_stays(text, present):
    assert present in drugs(text)
