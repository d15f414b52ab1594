"""Numbers and time words: number words as doses, unit families, per-N-hours units, AUC, ordinal
and word days, counted frequencies, dates without a year, bare years."""
from __future__ import annotations

import pytest

from pipeline.recognize.administration import find_frequencies
from pipeline.recognize.quantities import find_quantities
from pipeline.recognize.timeline import find_dates, find_days
from .helpers import ents


def q(text):
    return [(text[x.start:x.end], x.value, x.unit_text, x.unit_norm, x.unit_class) for x in find_quantities(text)]


@pytest.mark.parametrize("text, value, unit", [
    ("Two milligrams of morphine", 2, "mg"),
    ("vancomycin 15 mg/kg/12h", 15, "mg/kg/(12.h)"),
    ("100 mg/12 h", 100, "mg/(12.h)"),
    ("2.4 MU", 2.4, "M[iU]"),
    ("2.4 million units", 2.4, "M[iU]"),
    ("10 mU/kg", 10, "m[iU]/kg"),
    ("5000 units of heparin", 5000, "[iU]"),
    ("40 mEq KCl", 40, "meq"),
    ("0.5 IU/kg/h", 0.5, "[iU]/kg/h"),
    ("2 mg/kg/h", 2, "mg/kg/h"),
    ("a 225-mg/day dose", 225, "mg/d"),
])
def test_quantities(text, value, unit):
    got = q(text)
    assert got and got[0][1] == value and got[0][3] == unit and got[0][4] == "dose"


@pytest.mark.parametrize("text", ["one of the patients", "three days later", "390 mg/mL", "0.9% saline"])
def test_not_doses(text):
    assert all(x[4] != "dose" for x in q(text))


def test_auc_is_dose_and_unit():
    got = ents("Carboplatin AUC 5 was given on day 1.", "DOSE")
    assert got == [("5", 5)]
    assert ents("Carboplatin AUC 5 was given on day 1.", "UNIT") == [("AUC", "{AUC}")]


def test_number_word_dose_in_context():
    assert ents("Two milligrams of morphine were given.", "DOSE") == [("Two", 2)]


@pytest.mark.parametrize("text, span, norm", [
    ("on the 5th day of treatment", "5th day", [5]),
    ("on day 9th", "day 9th", [9]),
    ("on day three", "day three", [3]),
    ("on the 8th postoperative day", "8th postoperative day", [8]),
])
def test_ordinal_and_word_days(text, span, norm):
    assert [(text[a:b], n) for a, b, n in find_days(text)] == [(span, norm)]


@pytest.mark.parametrize("text", ["the first day", "for 5 days", "for three days", "day three times"])
def test_not_days(text):
    assert find_days(text) == []


@pytest.mark.parametrize("text, norm", [
    ("3 times a day", "q8h"), ("three times daily", "q8h"), ("tid", "q8h"), ("2x/day", "q12h"),
    ("every other day", "q48h"), ("monthly", "q1mo"), ("repeated every 21 days", "q3w"),
])
def test_frequencies(text, norm):
    assert [n for _, _, n in find_frequencies(text)] == [norm]


@pytest.mark.parametrize("text", ["21-day cycles", "5 times a day", "21 days as a cycle"])
def test_not_frequencies(text):
    assert find_frequencies(text) == []


def test_dates_without_year_and_bare_years():
    t = "in March she received"
    assert [(t[a:b], n) for a, b, n in find_dates(t)] == [("March", "--03")]
    t = "on 12 June"
    assert [n for _, _, n in find_dates(t)] == ["--06-12"]
    t = "on 12 June 2019 and in March"
    assert [n for _, _, n in find_dates(t)] == ["2019-06-12", "2019-03"]
    assert find_dates("in 2006 and the 1990 criteria") == []
