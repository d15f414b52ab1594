"""Decision (b), pipeline/link/coordination.py: attributes shared across a coordinated list."""
from __future__ import annotations

from .marks import readable, run

STORY = "A 52-year-old woman was admitted.\n\n"


def routes(marked: str) -> list:
    """(drug, route) of each record, in order."""
    return [(r[0], r[4]) for r in readable(run(STORY + marked))]


def slots(marked: str, i: int) -> dict:
    """drug -> slot i of its records (3 frequency, 4 route)."""
    return {r[0]: r[i] for r in readable(run(STORY + marked))}


def test_frequency_after_a_dosed_list_goes_to_every_member():
    assert slots("She received [[A|DRUG]] [[50|DOSE]] [[mg/m2|UNIT]], [[B|DRUG]] [[500|DOSE]] [[mg/m2|UNIT]] "
                 "and [[C|DRUG]] [[1|DOSE]] [[mg/m2|UNIT]] [[every 3 weeks|FREQUENCY]].", 3) == \
        {"A": "every 3 weeks", "B": "every 3 weeks", "C": "every 3 weeks"}


def test_route_and_frequency_after_a_dosed_list():
    assert slots("[[A|DRUG]] [[300|DOSE]] [[mg|UNIT]] and [[B|DRUG]] [[100|DOSE]] [[mg|UNIT]] "
                 "[[orally|ROUTE]] [[daily|FREQUENCY]].", 4) == {"A": "orally", "B": "orally"}


def test_member_with_its_own_frequency_keeps_it():
    assert slots("[[A|DRUG]] [[300|DOSE]] [[mg|UNIT]] [[twice daily|FREQUENCY]] and [[B|DRUG]] [[100|DOSE]] "
                 "[[mg|UNIT]] [[daily|FREQUENCY]].", 3) == {"A": "twice daily", "B": "daily"}


def test_frequency_inside_the_last_members_clause_is_its_own():
    # "q12h" is followed by B's days: it belongs to B's clause, not to the list
    assert slots("[[A|DRUG]] [[60|DOSE]] [[mg/m2|UNIT]] [[d1-3|DAY|[1,2,3]]], [[B|DRUG]] [[100|DOSE]] "
                 "[[mg/m2|UNIT]] [[q12h|FREQUENCY]] [[d1-7|DAY|[1,2,3,4,5,6,7]]].", 3) == {"A": None, "B": "q12h"}


def test_route_before_a_bare_list_goes_to_both():
    assert slots("She was given [[intravenous|ROUTE]] [[vancomycin|DRUG]] and [[cefepime|DRUG]].", 4) == \
        {"vancomycin": "intravenous", "cefepime": "intravenous"}


def test_route_before_a_drug_is_not_taken_by_the_next_drug():
    assert slots("She took [[oral|ROUTE]] [[prednisone|DRUG]] [[20|DOSE]] [[mg/day|UNIT]] and "
                 "[[oral|ROUTE]] [[tacrolimus|DRUG]].", 4) == {"prednisone": "oral", "tacrolimus": "oral"}
    doc = run(STORY + "She took [[oral|ROUTE]] [[prednisone|DRUG]] [[20|DOSE]] [[mg/day|UNIT]] and "
              "[[intravenous|ROUTE]] [[tacrolimus|DRUG]].")
    assert [(r[0], r[4]) for r in readable(doc)] == [("prednisone", "oral"), ("tacrolimus", "intravenous")]


def test_route_is_not_shared_with_the_subject_of_a_new_clause():
    assert slots("It was changed to [[intravenous|ROUTE]] [[cidofovir|DRUG]] and [[CMVIG|DRUG]] was restarted.", 4) \
        == {"cidofovir": "intravenous"}


def test_respectively_across_a_parenthetical():
    doc = run(STORY + "She received [[cefepime|DRUG]] and [[vancomycin|DRUG]] ([[2|DOSE]] [[g|UNIT]] and "
              "[[1|DOSE]] [[g|UNIT]], respectively).")
    assert [(r[0], r[1]) for r in readable(doc)] == [("cefepime", "2"), ("vancomycin", "1")]


def test_respectively_after_the_list():
    doc = run(STORY + "[[Cyclophosphamide|DRUG]] and [[doxorubicin|DRUG]] were given at [[750|DOSE]] [[mg/m2|UNIT]] "
              "and [[50|DOSE]] [[mg/m2|UNIT]], respectively.")
    assert [(r[0], r[1]) for r in readable(doc)] == [("Cyclophosphamide", "750"), ("doxorubicin", "50")]


def test_both_distributes_but_a_single_drug_does_not_share():
    assert slots("[[A|DRUG]] [[20|DOSE]] [[mg|UNIT]] and [[B|DRUG]] [[100|DOSE]] [[µg|UNIT]], both "
                 "[[once daily|FREQUENCY]].", 3) == {"A": "once daily", "B": "once daily"}
    assert slots("[[A|DRUG]] was stopped. [[B|DRUG]] [[100|DOSE]] [[µg|UNIT]] [[once daily|FREQUENCY]].", 3) == \
        {"B": "once daily"}


def test_route_before_a_list_inside_an_enumeration_of_routed_drugs_is_the_first_members():
    assert routes("She was started on [[intravenous|ROUTE]] [[calcium gluconate|DRUG]], [[nebulized|ROUTE]] "
                  "[[salbutamol|DRUG]], [[insulin|DRUG]], and [[glucose|DRUG]] infusion, [[intravenous|ROUTE]] "
                  "[[sodium bicarbonate|DRUG]], and [[oral|ROUTE]] [[patiromer|DRUG]].") == [
        ("calcium gluconate", "intravenous"), ("salbutamol", "nebulized"),
        ("sodium bicarbonate", "intravenous"), ("patiromer", "oral")]
    # a list of its own, with another clause after it: shared
    assert routes("She required [[parenteral|ROUTE]] [[sodium chloride|DRUG]] and [[sodium bicarbonate|DRUG]], "
                  "but later [[oral|ROUTE]] [[sodium chloride|DRUG]] was started.") == [
        ("sodium chloride", "parenteral"), ("sodium bicarbonate", "parenteral"), ("sodium chloride", "oral")]


def test_route_of_a_class_goes_to_the_drugs_its_parenthesis_names():
    assert routes("He was prescribed [[oral|ROUTE]] antibiotics (a combination of [[amoxicillin|DRUG]] "
                  "and [[clavulanic acid|DRUG]]) for 10 days.") == [("amoxicillin", "oral"), ("clavulanic acid", "oral")]
    out = readable(run(STORY + "She received [[intravenous|ROUTE]] steroids ([[methylprednisolone|DRUG]] "
                               "[[1|DOSE]] [[g|UNIT]])."))
    assert [(r[0], r[1], r[4]) for r in out] == [("methylprednisolone", "1", "intravenous")]
    # the parenthesis does not name the class's members; no parenthesis at all
    assert routes("She received [[intrathecal|ROUTE]] chemotherapy (three doses of [[methotrexate|DRUG]]).") == []
    assert routes("[[Intravenous|ROUTE]] antibiotics were started, and [[vancomycin|DRUG]] was added.") == []


def test_route_before_the_first_member_of_a_dosed_list_goes_to_each():
    assert routes("She was treated with [[IV|ROUTE]] [[ceftriaxone|DRUG]] [[2|DOSE]] [[g|UNIT]] [[daily|FREQUENCY]] "
                  "and [[metronidazole|DRUG]] [[500|DOSE]] [[mg|UNIT]] [[every 8 hours|FREQUENCY]].") == [
        ("ceftriaxone", "IV"), ("metronidazole", "IV")]
    assert routes("He was started on [[intravenous|ROUTE]] [[vancomycin|DRUG]] ([[15|DOSE]] [[mg/kg|UNIT]]) and "
                  "[[cefepime|DRUG]] ([[2|DOSE]] [[g|UNIT]]).") == [("vancomycin", "intravenous"), ("cefepime", "intravenous")]
    # the second member has its own route
    assert routes("She took [[oral|ROUTE]] [[prednisone|DRUG]] [[20|DOSE]] [[mg|UNIT]] and [[tacrolimus|DRUG]] "
                  "[[2|DOSE]] [[mg|UNIT]] [[intravenously|ROUTE]].") == [("prednisone", "oral"), ("tacrolimus", "intravenously")]


def test_route_of_a_head_noun_reaches_its_whole_list_before_a_singular_verb():
    assert routes("[[Topical|ROUTE]] use of [[nitrofurazone|DRUG]] and [[ivermectin|DRUG]] has also been "
                  "useful.") == [("nitrofurazone", "Topical"), ("ivermectin", "Topical")]
    # no head noun: the singular verb makes the last drug the subject of its own clause
    assert routes("It was changed to [[intravenous|ROUTE]] [[cidofovir|DRUG]] and [[CMVIG|DRUG]] was "
                  "restarted.") == [("cidofovir", "intravenous")]
