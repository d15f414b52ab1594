"""Decision (c), pipeline/link/days.py: administration days vs clinical-event days."""
from __future__ import annotations

from .marks import readable, run

STORY = "A 52-year-old woman was admitted.\n\n"


def days(marked: str) -> dict:
    return {r[0]: r[5] for r in readable(run(STORY + marked))}


def test_day_of_the_administration_stays():
    assert days("[[Vancomycin|DRUG]] [[1|DOSE]] [[g|UNIT]] was given on [[day 5|DAY|[5]]].") == {"Vancomycin": ("day 5",)}


def test_leading_day_of_an_administration_stays():
    assert days("On [[day 34|DAY|[34]]], the patient received [[busulfan|DRUG]] [[4|DOSE]] [[mg/kg|UNIT]].") \
        == {"busulfan": ("day 34",)}


def test_sample_day_is_not_a_drug_day():
    assert days("Blood cultures taken on [[day 5|DAY|[5]]] grew MRSA and [[vancomycin|DRUG]] [[1|DOSE]] "
                "[[g|UNIT]] was given.") == {"vancomycin": ()}


def test_death_day_in_the_drug_span_is_not_a_drug_day():
    assert days("She received [[vancomycin|DRUG]] [[1|DOSE]] [[g|UNIT]] until she died on [[day 9|DAY|[9]]].") \
        == {"vancomycin": ()}


def test_complication_day_is_not_a_drug_day():
    assert days("[[Cytarabine|DRUG]] [[100|DOSE]] [[mg/m2|UNIT]] was complicated by a rash on "
                "[[day 12|DAY|[12]]].") == {"Cytarabine": ()}


def test_event_word_before_the_administration_does_not_block_its_day():
    # reading back from "day 7" meets "started" (an administration word) before "biopsy"
    assert days("After the biopsy, [[prednisone|DRUG]] [[60|DOSE]] [[mg|UNIT]] was started on [[day 7|DAY|[7]]].") \
        == {"prednisone": ("day 7",)}


def test_event_date_beside_an_administration_date():
    doc = run(STORY + "[[Cefepime|DRUG]] [[2|DOSE]] [[g|UNIT]] was given on [[3 May|DATE]]; a biopsy on "
              "[[5 May|DATE]] showed fungi.")
    assert readable(doc)[0][6] == ("3 May",)


def test_a_stop_date_is_no_administration_date():
    out = readable(run(STORY + "[[Vancomycin|DRUG]] was started on "
                       "[[March 3|DATE|\"--03-03\"]] and stopped on [[March 10|DATE|\"--03-10\"]]."))
    assert [r[6] for r in out] == [("March 3",)]
    # a range of administration days keeps its end
    out = readable(run(STORY + "[[Vancomycin|DRUG]] [[1|DOSE]] [[g|UNIT]] was given "
                       "from [[day 3|DAY|[3]]] until [[day 10|DAY|[10]]]."))
    assert [r[5] for r in out] == [("day 3", "day 10")]
