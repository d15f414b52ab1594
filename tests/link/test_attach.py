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


def test_route_through_words_of_administration():
    assert recs("[[Orally|ROUTE]] administered [[terbinafine|DRUG]] was given for tinea.") == \
        [("terbinafine", None, None, None, "Orally", (), (), None, "1")]
    assert recs("After the [[topical|ROUTE]] use of [[imiquimod|DRUG]] the plaque spread.") == \
        [("imiquimod", None, None, None, "topical", (), (), None, "1")]
    # a word that is not about administration still cuts the route from the drug
    assert recs("After [[oral|ROUTE]] surgery [[amoxicillin|DRUG]] was given.") == []


def test_frequency_through_words_of_administration():
    assert recs("He had [[weekly|FREQUENCY]] administration of [[30|DOSE]] [[mg/m2|UNIT]] [[docetaxel|DRUG]].") == \
        [("docetaxel", "30", "mg/m2", "weekly", None, (), (), None, "1")]


def test_route_of_a_treatment_with_a_named_drug():
    assert recs("During [[intravenous|ROUTE]] treatment with [[terlipressin|DRUG]] the QT interval rose.") == \
        [("terlipressin", None, None, None, "intravenous", (), (), None, "1")]
    assert [(r[0], r[4]) for r in recs("[[Intrathecal|ROUTE]] chemotherapy with [[methotrexate|DRUG]] or "
                                       "[[cytarabine|DRUG]] is standard.")] == \
        [("methotrexate", "Intrathecal"), ("cytarabine", "Intrathecal")]
    # no named drug after the class word: the route links to nothing
    assert recs("She received [[intravenous|ROUTE]] treatment and improved; [[aspirin|DRUG]] was held.") == []


def test_coordinated_doses_before_one_drug():
    assert [r[:3] for r in recs("He ingested [[10|DOSE]] [[g|UNIT]] and [[4|DOSE]] [[g|UNIT]] of "
                                "[[carbamazepine|DRUG]] respectively.")] == \
        [("carbamazepine", "10", "g"), ("carbamazepine", "4", "g")]
    assert [r[:3] for r in recs("He ingested [[30.6|DOSE]] and [[114|DOSE]] [[g|UNIT]] [[metronidazole|DRUG]].")] == \
        [("metronidazole", "30.6", "g"), ("metronidazole", "114", "g")]


def test_coordinated_dose_right_after_another_drug_stays_with_it():
    assert [r[:3] for r in recs("He took [[A|DRUG]] [[5|DOSE]] [[mg|UNIT]] and [[10|DOSE]] [[mg|UNIT]] of "
                                "[[B|DRUG]].")] == [("A", "5", "mg"), ("B", "10", "mg")]


def test_abbreviation_after_the_dose_parenthesis_is_an_alias():
    doc = run(STORY + 'An infusion of [[methotrexate|DRUG|"methotrexate"]] ([[1500|DOSE]] [[mg/m2|UNIT]]) '
              '([[MTX|DRUG|"methotrexate"]]) was given.')
    assert [r[:3] for r in readable(doc)] == [("methotrexate", "1500", "mg/m2")]
    # another drug alone in parentheses is not an alias
    doc = run(STORY + 'She got [[heparin|DRUG|"heparin"]] ([[5000|DOSE]] [[IU|UNIT]]) ([[warfarin|DRUG|"warfarin"]] '
              '[[5|DOSE]] [[mg|UNIT]] later).')
    assert [r[0] for r in readable(doc)] == ["heparin", "warfarin"]


def test_dose_qualifiers_between_a_route_and_its_drug():
    assert recs("He became hypokalemic after [[inhalation|ROUTE]] of normal doses of [[albuterol|DRUG]].") == \
        [("albuterol", None, None, None, "inhalation", (), (), None, "1")]
    assert recs("She had neurotoxicity after an [[i.v.|ROUTE]] regimen of [[5-fluorouracil|DRUG]].") == \
        [("5-fluorouracil", None, None, None, "i.v.", (), (), None, "1")]
    # a regimen without a named drug after it keeps the route to itself
    assert recs("An [[i.v.|ROUTE]] regimen was chosen and [[aspirin|DRUG]] was held.") == []
