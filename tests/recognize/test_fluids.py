"""Crystalloid fluids from MeSH's Isotonic Solutions branch, typographic apostrophes folded;
flush saline and the class head stay out."""
from __future__ import annotations

import pytest

from .helpers import ents


@pytest.mark.parametrize("text, expected", [
    ("After administration of lactated Ringer’s solution (500 mL), the needle was placed.",
     [("lactated Ringer’s solution", "ringer's lactate")]),
    ("An additional 500 mL of lactated Ringer's solution was administered.",
     [("lactated Ringer's solution", "ringer's lactate")]),
    ("Hartmann's solution 1 L was given.", [("Hartmann's solution", "ringer's lactate")]),
])
def test_fluids_are_drugs(text, expected):
    assert ents(text, "DRUG") == expected


def test_fluid_volume_is_its_dose():
    text = "An additional 500 mL of lactated Ringer's solution was administered."
    assert ents(text, "DOSE") == [("500", 500)] and ents(text, "UNIT") == [("mL", "mL")]


@pytest.mark.parametrize("text", [
    "The line was flushed with normal saline.",
    "crystalloid solutions were given",
])
def test_not_fluid_drugs(text):
    assert ents(text, "DRUG") == []


def test_typographic_apostrophe_matches_like_ascii():
    from pipeline.recognize.lexicon import key_of
    assert key_of("Ringer’s") == key_of("Ringer's")
