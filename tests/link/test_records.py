"""Step 4 of pipeline/link/records.py: a dose sequence of one drug shares the route and frequency
written once after its last dose; doses with attributes of their own between them do not."""
from __future__ import annotations

from .marks import readable, run

STORY = "A 52-year-old woman was admitted.\n\n"


def recs(marked: str) -> list:
    return [r[:5] for r in readable(run(STORY + marked))]


def test_dose_increase_shares_the_trailing_route_and_frequency():
    assert recs("[[Infliximab|DRUG]] (initially at [[5|DOSE]] [[mg/kg|UNIT]] increased to [[10|DOSE]] "
                "[[mg/kg|UNIT]] [[IV|ROUTE]] [[every 4 to 6 weeks|FREQUENCY]]) was started.") == [
        ("Infliximab", "5", "mg/kg", "every 4 to 6 weeks", "IV"),
        ("Infliximab", "10", "mg/kg", "every 4 to 6 weeks", "IV")]


def test_dose_taper_with_then_shares_the_frequency():
    assert recs("She was given [[prednisone|DRUG]] [[60|DOSE]] [[mg|UNIT]], then tapered to [[20|DOSE]] "
                "[[mg|UNIT]] [[daily|FREQUENCY]].") == [
        ("prednisone", "60", "mg", "daily", None), ("prednisone", "20", "mg", "daily", None)]


def test_doses_with_their_own_attributes_are_no_sequence():
    # each dose has its own frequency: nothing is shared
    assert recs("[[Dexamethasone|DRUG]] ([[10|DOSE]] [[mg|UNIT]] [[once daily|FREQUENCY]]; [[10|DOSE]] "
                "[[mg|UNIT]] [[every 6 h|FREQUENCY]]).") == [
        ("Dexamethasone", "10", "mg", "once daily", None), ("Dexamethasone", "10", "mg", "every 6 h", None)]
    # a route between the doses belongs to the first; the trailing frequency stays with the second
    assert recs("[[Rituximab|DRUG]] [[40|DOSE]] [[mg|UNIT]] [[intrathecally|ROUTE]] and [[375|DOSE]] "
                "[[mg/m2|UNIT]] [[intravenously|ROUTE]] [[weekly|FREQUENCY]].") == [
        ("Rituximab", "40", "mg", None, "intrathecally"), ("Rituximab", "375", "mg/m2", "weekly", "intravenously")]


def test_a_dose_with_its_own_route_keeps_it():
    assert recs("[[Methotrexate|DRUG]] [[12|DOSE]] [[mg|UNIT]] [[intrathecally|ROUTE]] then [[3|DOSE]] "
                "[[g/m2|UNIT]] [[IV|ROUTE]].") == [
        ("Methotrexate", "12", "mg", None, "intrathecally"), ("Methotrexate", "3", "g/m2", None, "IV")]


def test_the_dosing_expressions_frequency_wins_over_a_noun_phrase_daily():
    assert recs("An increase of the [[daily|FREQUENCY]] [[lithium|DRUG]] dose to [[600|DOSE]] [[mg|UNIT]] "
                "[[twice daily|FREQUENCY]] was made for her.") == [("lithium", "600", "mg", "twice daily", None)]
    # only one frequency, before the drug: it is the record's
    assert recs("She took [[daily|FREQUENCY]] [[aspirin|DRUG]] [[81|DOSE]] [[mg|UNIT]].") == \
        [("aspirin", "81", "mg", "daily", None)]


def test_a_loading_dose_does_not_take_the_maintenance_frequency():
    assert recs("[[Intravenous|ROUTE]] [[fluconazole|DRUG]] [[400|DOSE]] [[mg|UNIT]], followed by [[100|DOSE]] "
                "[[mg|UNIT]] [[every 24 hours|FREQUENCY]], was started.") == [
        ("fluconazole", "400", "mg", None, "Intravenous"),
        ("fluconazole", "100", "mg", "every 24 hours", "Intravenous")]


def test_a_dose_change_from_one_dose_to_another_shares_the_frequency():
    assert recs("After a dose increase in [[niacin|DRUG]] from [[500|DOSE]] [[mg|UNIT]] to [[1000|DOSE]] [[mg|UNIT]] "
                "[[daily|FREQUENCY]], her INR rose.") == [
        ("niacin", "500", "mg", "daily", None), ("niacin", "1000", "mg", "daily", None)]
