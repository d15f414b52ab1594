"""A position within the month stays in the DATE span (TimeML TIMEX3 extent, gold/GUIDELINES.md
§11); the article and preposition stay out; "May" is a month after a position word only."""
from __future__ import annotations

import pytest

from pipeline.recognize.timeline import find_dates


def dates(text):
    return [(text[a:b], n) for a, b, n in find_dates(text)]


@pytest.mark.parametrize("text, expected", [
    ("By mid-December, the patient had worsened.", [("mid-December", "--12")]),
    ("He died at the end of May, 4 months later.", [("end of May", "--05")]),
    ("Near the end of December 2013 she relapsed.", [("end of December 2013", "2013-12")]),
    ("in mid-October 2013", [("mid-October 2013", "2013-10")]),
    ("since early February", [("early February", "--02")]),
    ("in March", [("March", "--03")]),
])
def test_position_words_in_the_span(text, expected):
    assert dates(text) == expected


@pytest.mark.parametrize("text", ["in may be", "this is of May", "it may be given in the end"])
def test_no_month(text):
    assert dates(text) == []
