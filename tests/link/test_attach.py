"""Decision (b), pipeline/link/attach.py: which attributes a drug owns, before or after it."""
from __future__ import annotations

from .marks import readable, run

STORY = "A 52-year-old woman was admitted.\n\n"


def recs(marked: str) -> list:
    return readable(run(STORY + marked))


def test_attributes_after_the_drug():
    assert recs("[[Cefepime|DRUG]] [[2|DOSE]] [[g|UNIT]] [[intravenously|ROUTE]] [[every 8 hours|FREQUENCY]].") == \
        [("Cefepime", "2", "g", "every 8 hours", "intravenously", (), (), None, "1")]


def test_attributes_before_the_drug():
    assert recs("She received [[400|DOSE]] [[mg|UNIT]] of [[oral|ROUTE]] [[ciprofloxacin|DRUG]].") == \
        [("ciprofloxacin", "400", "mg", None, "oral", (), (), None, "1")]


def test_attributes_do_not_jump_to_the_next_drug():
    assert recs("[[Fludarabine|DRUG]] [[30|DOSE]] [[mg/m2|UNIT]], [[days -4 to -2|DAY|[-4,-3,-2]]]; "
                "[[cyclophosphamide|DRUG]] [[500|DOSE]] [[mg/m2|UNIT]], [[days -3 to -2|DAY|[-3,-2]]].") == [
        ("Fludarabine", "30", "mg/m2", None, None, ("days -4 to -2",), (), None, "1"),
        ("cyclophosphamide", "500", "mg/m2", None, None, ("days -3 to -2",), (), None, "1")]


def test_attributes_across_a_parenthetical():
    # the brand and maker in parentheses do not cut the drug from its dose
    assert recs("She received [[fibrinogen|DRUG]] (Haemocomplettan, CSL Behring) [[4|DOSE]] [[g|UNIT]] "
                "[[intravenously|ROUTE]].") == [("fibrinogen", "4", "g", None, "intravenously", (), (), None, "1")]


def test_dose_list_inside_parentheses_gives_one_record_per_dose():
    assert [r[:3] for r in recs("She received [[dexamethasone|DRUG]] ([[10|DOSE]] [[mg|UNIT]] on "
                                "[[day 7|DAY|[7]]]; [[5|DOSE]] [[mg|UNIT]] on [[day 8|DAY|[8]]]).")] == \
        [("dexamethasone", "10", "mg"), ("dexamethasone", "5", "mg")]


def test_alternative_dose_in_parentheses_shares_the_clause():
    # one record per (drug, dose) pair, both with the day of the clause
    assert recs("[[Ganciclovir|DRUG]] [[5|DOSE]] [[mg/kg|UNIT]] ([[294|DOSE]] [[mg|UNIT]]) on [[day 2|DAY|[2]]].") == [
        ("Ganciclovir", "5", "mg/kg", None, None, ("day 2",), (), None, "1"),
        ("Ganciclovir", "294", "mg", None, None, ("day 2",), (), None, "1")]


def test_clause_break_ends_the_span():
    assert recs("[[Tacrolimus|DRUG]] [[1|DOSE]] [[mg|UNIT]] was given, and the aphaeresis was started at "
                "[[day 5|DAY|[5]]].") == [("Tacrolimus", "1", "mg", None, None, (), (), None, "1")]


def test_table_rows_are_sentences_of_their_own():
    assert recs("Drug | Dose | Day\n[[Cisplatin|DRUG]] | [[75|DOSE]] [[mg/m2|UNIT]] | [[d1|DAY|[1]]]\n"
                "[[Docetaxel|DRUG]] | [[75|DOSE]] [[mg/m2|UNIT]] | [[d1|DAY|[1]]]") == [
        ("Cisplatin", "75", "mg/m2", None, None, ("d1",), (), None, "1"),
        ("Docetaxel", "75", "mg/m2", None, None, ("d1",), (), None, "1")]


def test_route_of_a_procedure_links_to_no_drug():
    assert recs("She received [[intrathecal|ROUTE]] chemotherapy and [[cytarabine|DRUG]] [[1|DOSE]] [[g|UNIT]].") \
        == [("cytarabine", "1", "g", None, None, (), (), None, "1")]
