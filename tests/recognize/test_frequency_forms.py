"""Frequency forms: slash and hyphenated counted forms, ranges, "OD" after a dose; "mg/daily"
as one UNIT (gold/GUIDELINES.md §11-12)."""
from __future__ import annotations

import pytest

from .helpers import ents


@pytest.mark.parametrize("text, expected", [
    ("Ivermectin 6 mg OD for 3 days was given.", [("OD", "q24h")]),
    ("rosiglitazone was increased from 4 mg once/day to 4 mg twice/day.",
     [("once/day", "q24h"), ("twice/day", "q12h")]),
    ("after 2 years of twice-a-day application of dipivefrin.", [("twice-a-day", "q12h")]),
    ("infliximab 10 mg/kg IV every 4 to 6 weeks was initiated.", [("every 4 to 6 weeks", "q4w")]),
    ("vancomycin 1 g every 8-12 hours", [("every 8-12 hours", "q8h")]),
    ("paclitaxel 80 mg/m2/weekly", [("weekly", "q1w")]),  # an adverb is no unit atom
])
def test_frequency_forms(text, expected):
    assert ents(text, "FREQUENCY") == expected


@pytest.mark.parametrize("text", [
    "The right eye (OD) was examined after atropine.",
    "OD 600 was measured after 5 mg ampicillin.",
    "He took omeprazole 20 mg/daily.",              # the unit holds "/daily"
])
def test_not_frequencies(text):
    assert ents(text, "FREQUENCY") == []


def test_mg_daily_is_one_unit():
    assert ents("He took omeprazole 20 mg/daily.", "UNIT") == [("mg/daily", "mg/d")]
