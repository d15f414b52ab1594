"""A day list stops before a number that is the day of a calendar date: "day 0, 3 March 2020" is
day 0 and the date 3 March 2020, not days 0 and 3 (whose span the date then overlapped, so the DAY
was lost). A list whose last item is followed by no month keeps every item."""
from __future__ import annotations

import pytest

from pipeline.recognize.timeline import find_days

from .helpers import ents


def days(text):
    return [(text[a:b], n) for a, b, n in find_days(text)]


@pytest.mark.parametrize("text, expected", [
    ("received X on day 0, 3 March 2020, and", [("day 0", [0])]),
    ("On day +8, 11 March 2020, she", [("day +8", [8])]),
    ("on days 1/8/15 May 2020", [("days 1/8", [1, 8])]),
    ("given on days -5 to -3, 1 March", [("days -5 to -3", [-5, -4, -3])]),
])
def test_the_day_of_a_date_leaves_the_list(text, expected):
    assert days(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("on days 1, 3 and 5 of each cycle", [("days 1, 3 and 5", [1, 3, 5])]),
    ("days 1, 8, and 15 of each 28-day cycle", [("days 1, 8, and 15", [1, 8, 15])]),
    ("on days 8 and 15 then", [("days 8 and 15", [8, 15])]),
    ("on day 0 (3 March 2020)", [("day 0", [0])]),
])
def test_lists_without_a_date_keep_every_item(text, expected):
    assert days(text) == expected


def test_both_entities_end_to_end():
    text = "She received cyclophosphamide 500 mg/m2 on day 0, 3 March 2020, and G-CSF on day +8."
    assert ents(text, "DAY") == [("day 0", [0]), ("day +8", [8])]
    assert ents(text, "DATE") == [("3 March 2020", "2020-03-03")]
