"""Relation linking (pipeline/link/) and case assignment (pipeline/link/cases.py), end to end.

Targeted tests use small texts written here, with entities marked inline as
``[[surface|TYPE]]`` or ``[[surface|TYPE|json-norm]]``; expected records are spelled out with
entity texts. Gold tests feed the gold entities (records stripped) to the linker and score the
records with ``pipeline.evaluate``.
"""
from __future__ import annotations

import copy
import json

import pytest

from pipeline.link.cases import CaseMap
from pipeline.document import Document
from pipeline.evaluate.score import evaluate
from pipeline.datasets.export import records_table, to_dict
from pipeline.link.linker import link

from .marks import parse, readable, run


def rec(drug, dose=None, unit=None, freq=None, route=None, days=(), dates=(), regimen=None, case="1"):
    return (drug, dose, unit, freq, route, tuple(days), tuple(dates), regimen, case)


STORY = "A 52-year-old woman was admitted.\n\n"  # makes the text a single-patient story (case "1")


# ---------------------------------------------------------------------------------------------
# constructions
# ---------------------------------------------------------------------------------------------
def test_several_drugs_in_one_sentence_keep_their_own_attributes():
    doc = run(STORY + "Conditioning with the [[BEAM|REGIMEN]] regimen ([[carmustine|DRUG]] [[300|DOSE]] "
              "[[mg/m²|UNIT]], [[day −6|DAY|[-6]]]; [[etoposide|DRUG]] [[200|DOSE]] [[mg/kg|UNIT]], "
              "[[days −5 to −2|DAY|[-5,-4,-3,-2]]]) was started on [[March 3 2020|DATE]] "
              "([[day −6|DAY|[-6]]]).")
    # the regimen-level date/day go down to the drug given that day, not to the other one
    assert readable(doc) == [
        rec("carmustine", "300", "mg/m²", days=["day −6", "day −6"], dates=["March 3 2020"], regimen="BEAM"),
        rec("etoposide", "200", "mg/kg", days=["days −5 to −2"], regimen="BEAM"),
    ]


def test_one_drug_with_several_dose_clauses():
    doc = run(STORY + "Then [[methylprednisolone|DRUG]] ([[2|DOSE]] [[mg/kg|UNIT]] [[once daily|FREQUENCY]] "
              "on [[day +5|DAY|[5]]]; [[1|DOSE]] [[mg/kg|UNIT]] [[every 12 h|FREQUENCY]] on "
              "[[days +6 to +8|DAY|[6,7,8]]]; and [[0.5|DOSE]] [[mg/kg|UNIT]] [[once daily|FREQUENCY]] on "
              "[[day +9|DAY|[9]]]) was administered.")
    assert readable(doc) == [
        rec("methylprednisolone", "2", "mg/kg", "once daily", days=["day +5"]),
        rec("methylprednisolone", "1", "mg/kg", "every 12 h", days=["days +6 to +8"]),
        rec("methylprednisolone", "0.5", "mg/kg", "once daily", days=["day +9"]),
    ]


def test_dose_phrase_far_from_the_drug():
    doc = run(STORY + "On [[day 0|DAY|[0]]], the patient received an infusion of [[CD19 CAR T cells|DRUG]] "
              "at a dose of [[2 × 10^6|DOSE|2000000]] [[cells/kg|UNIT]]. The dose of the effective "
              "[[CD19 CAR T cells|DRUG]] in the infusion was [[3 × 10^5|DOSE|300000]] [[cells/kg|UNIT]]. "
              "He then received a second [[CD19 CAR T-cell|DRUG]] infusion on [[June 2 2021|DATE]] at a dose "
              "of [[1 × 10^6|DOSE|1000000]] [[cells/kg|UNIT]].")
    assert readable(doc) == [
        rec("CD19 CAR T cells", "2 × 10^6", "cells/kg", days=["day 0"]),
        rec("CD19 CAR T cells", "3 × 10^5", "cells/kg"),
        rec("CD19 CAR T-cell", "1 × 10^6", "cells/kg", dates=["June 2 2021"]),
    ]


def test_regimen_definitions_in_a_caption():
    doc = run(STORY + "Figure 1: Treatment course. [[R-CHOP|REGIMEN]], [[rituximab|DRUG]] [[375|DOSE]][[mg/m2|UNIT]] "
              "[[d1|DAY|[1]]], [[cyclophosphamide|DRUG]] [[750|DOSE]][[mg/m2|UNIT]] [[d1|DAY|[1]]], "
              "[[prednisone|DRUG]] [[100|DOSE]][[mg|UNIT]] [[d1-5|DAY|[1,2,3,4,5]]] and [[50|DOSE]][[mg|UNIT]] "
              "[[d6-10|DAY|[6,7,8,9,10]]]. [[DA|REGIMEN]], [[daunorubicin|DRUG]], [[60|DOSE]][[mg/m2/d|UNIT]] "
              "[[d1-3|DAY|[1,2,3]]], [[cytarabine|DRUG]] [[100|DOSE]][[mg/m2|UNIT]] [[q12h|FREQUENCY]] "
              "[[d1-7|DAY|[1,2,3,4,5,6,7]]].")
    assert readable(doc) == [
        rec("rituximab", "375", "mg/m2", days=["d1"], regimen="R-CHOP"),
        rec("cyclophosphamide", "750", "mg/m2", days=["d1"], regimen="R-CHOP"),
        rec("prednisone", "100", "mg", days=["d1-5"], regimen="R-CHOP"),
        rec("prednisone", "50", "mg", days=["d6-10"], regimen="R-CHOP"),
        rec("daunorubicin", "60", "mg/m2/d", days=["d1-3"], regimen="DA"),
        rec("cytarabine", "100", "mg/m2", "q12h", days=["d1-7"], regimen="DA"),
    ]


def test_regimen_named_after_a_coordinated_list():
    doc = run(STORY + "He received four cycles of [[rituximab|DRUG]], [[cyclophosphamide|DRUG]], "
              "[[doxorubicin|DRUG]], and [[prednisone|DRUG]] ([[R-CHP|REGIMEN]]). On [[day 40|DAY|[40]]] after "
              "the last cycle, he received myeloablative [[busulfan|DRUG]] plus [[fludarabine|DRUG]] "
              "([[BU/FLU|REGIMEN]]) conditioning. [[Tacrolimus|DRUG]] and [[methotrexate|DRUG]] were given "
              "for prophylaxis.")
    assert readable(doc) == [
        rec("rituximab", regimen="R-CHP"), rec("cyclophosphamide", regimen="R-CHP"),
        rec("doxorubicin", regimen="R-CHP"), rec("prednisone", regimen="R-CHP"),
        rec("busulfan", days=["day 40"], regimen="BU/FLU"),
        rec("fludarabine", days=["day 40"], regimen="BU/FLU"),
    ]


def test_day_of_an_earlier_sentence_does_not_carry_over():
    doc = run(STORY + "On [[day 12|DAY|[12]]], fever developed. [[Vancomycin|DRUG]] was started. On "
              "[[day 20|DAY|[20]]], hypotension occurred, requiring [[norepinephrine|DRUG]] or "
              "[[vasopressin|DRUG]].")
    assert readable(doc) == [rec("norepinephrine", days=["day 20"]), rec("vasopressin", days=["day 20"])]


def test_leading_day_needs_an_administration_in_between():
    doc = run(STORY + "On hospital [[day 5|DAY|[5]]] she was transferred to the ward and later discharged "
              "home on [[bisoprolol|DRUG]].")
    assert readable(doc) == []


def test_drug_without_dose_gets_a_record_only_with_an_attribute():
    doc = run(STORY + "[[Oral|ROUTE]] [[ursodiol|DRUG]] [[twice daily|FREQUENCY]] was continued. "
              "[[Tacrolimus|DRUG]] was used for GVHD prophylaxis. He received [[intrathecal|ROUTE]] "
              "chemotherapy and [[cytarabine|DRUG]].")
    assert readable(doc) == [rec("ursodiol", freq="twice daily", route="Oral")]


def test_full_name_with_abbreviation_gets_the_record():
    doc = run(STORY + "[[Mycophenolate mofetil|DRUG|\"mycophenolate mofetil\"]] ([[MMF|DRUG|\"mycophenolate mofetil\"]]) "
              "[[1|DOSE]] [[g|UNIT]] [[twice daily|FREQUENCY]] and [[granulocyte colony-stimulating factor|DRUG|\"filgrastim\"]] "
              "([[G-CSF|DRUG|\"filgrastim\"]]) [[5|DOSE]] [[µg/kg/d|UNIT]] were given.")
    assert readable(doc) == [
        rec("Mycophenolate mofetil", "1", "g", "twice daily"),
        rec("granulocyte colony-stimulating factor", "5", "µg/kg/d"),
    ]


def test_drug_levels_give_no_record():
    doc = run(STORY + "The trough level of [[tacrolimus|DRUG]] was [[12|DOSE]] [[ng/mL|UNIT|\"ng/mL\"]]. The absolute "
              "count of [[CD7 CAR T cells|DRUG]] in the blood on [[day −7|DAY|[-7]]] was 2 × 10^4/L. The serum "
              "of [[cyclosporine A|DRUG]] at that time was 406 ng/mL.")
    assert readable(doc) == []


def test_stopped_drug_keeps_no_date_and_the_new_drug_takes_it():
    doc = run(STORY + "On [[3 May|DATE]], [[voriconazole|DRUG]] was discontinued and [[caspofungin|DRUG]] was "
              "started at [[70|DOSE]] [[mg|UNIT]]. The decision was made to switch from [[ganciclovir|DRUG]] to "
              "[[foscarnet|DRUG]] on [[23 June|DATE]].")
    assert readable(doc) == [
        rec("caspofungin", "70", "mg", dates=["3 May"]),
        rec("foscarnet", dates=["23 June"]),
    ]


def test_route_clauses_with_parenthesized_doses():
    doc = run(STORY + "[[Rituximab|DRUG]] was given via [[intrathecal|ROUTE]] injection ([[30|DOSE]] [[mg|UNIT]], "
              "two doses) and [[intravenous|ROUTE]] infusion ([[375|DOSE]] [[mg/m²|UNIT]] [[weekly|FREQUENCY]]).")
    assert readable(doc) == [
        rec("Rituximab", "30", "mg", route="intrathecal"),
        rec("Rituximab", "375", "mg/m²", "weekly", route="intravenous"),
    ]


def test_alternative_dose_in_parentheses_shares_everything():
    doc = run(STORY + "On [[2 March|DATE]], [[i.v.|ROUTE]] [[cidofovir|DRUG]] was started at a dose of [[5|DOSE]] "
              "[[mg/kg|UNIT]] ([[350|DOSE]] [[mg|UNIT]]), repeated on [[9 March|DATE]].")
    assert readable(doc) == [
        rec("cidofovir", "5", "mg/kg", route="i.v.", dates=["2 March", "9 March"]),
        rec("cidofovir", "350", "mg", route="i.v.", dates=["2 March", "9 March"]),
    ]


def test_one_dose_two_frequency_phases():
    doc = run(STORY + "[[IVIG|DRUG]] at a dose of [[0.4|DOSE]] [[g/kg|UNIT]] was started on [[2 April 2019|DATE]] "
              "because of the infection, initially given [[every three weeks|FREQUENCY]] and then "
              "[[every four weeks|FREQUENCY]] until [[5 June 2020|DATE]].")
    assert readable(doc) == [
        rec("IVIG", "0.4", "g/kg", "every three weeks", dates=["2 April 2019"]),
        rec("IVIG", "0.4", "g/kg", "every four weeks", dates=["5 June 2020"]),
    ]


def test_pre_modifiers_and_clause_breaks():
    doc = run(STORY + "Group A received [[4|DOSE]] [[g/m²|UNIT]] of [[cyclophosphamide|DRUG]] and ([[10|DOSE]] "
              "[[µg/kg/day|UNIT]]) of [[G-CSF|DRUG]] applied [[subcutaneously|ROUTE]], and the apheresis was "
              "started at [[day 5|DAY|[5]]]. She took [[400|DOSE]] [[mg|UNIT]] of [[oral|ROUTE]] "
              "[[ciprofloxacin|DRUG]] [[twice daily|FREQUENCY]], but by [[day 9|DAY|[9]]] the fever returned.")
    assert readable(doc) == [
        rec("cyclophosphamide", "4", "g/m²"),
        rec("G-CSF", "10", "µg/kg/day", route="subcutaneously"),
        rec("ciprofloxacin", "400", "mg", "twice daily", "oral"),
    ]


def test_coordinated_route_belongs_to_the_next_drug():
    doc = run(STORY + "He had received [[meropenem|DRUG]], [[vancomycin|DRUG]], and [[inhaled|ROUTE]] and "
              "systemic [[colistin|DRUG]].")
    assert readable(doc) == [rec("colistin", route="inhaled")]


def test_negated_drug_gives_no_record():
    doc = run(STORY + "She was discharged on [[day 24|DAY|[24]]] without the need for home [[oxygen|DRUG]].")
    assert readable(doc) == []


def test_respectively_pairs_drugs_and_doses_in_order():
    doc = run(STORY + "The total doses of [[cyclophosphamide|DRUG]] and [[doxorubicin|DRUG]] received were "
              "[[1800|DOSE]] [[mg/m2|UNIT]] and [[50|DOSE]] [[mg/m2|UNIT]], respectively.")
    assert readable(doc) == [rec("cyclophosphamide", "1800", "mg/m2"), rec("doxorubicin", "50", "mg/m2")]


def test_route_through_a_head_noun_covers_the_list():
    doc = run(STORY + "She was treated with [[intravenous|ROUTE]] infusions of [[sodium bicarbonate|DRUG]] and "
              "[[tromethamine|DRUG]]. Foscarnet was changed to [[intravenous|ROUTE]] [[cidofovir|DRUG]] and "
              "[[CMVIG|DRUG]] was restarted.")
    assert readable(doc) == [rec("sodium bicarbonate", route="intravenous"),
                             rec("tromethamine", route="intravenous"),
                             rec("cidofovir", route="intravenous")]


def test_list_members_with_own_doses_share_the_predicate_day():
    doc = run(STORY + "[[Fludarabine|DRUG]] ([[30|DOSE]] [[mg/m2/day|UNIT]]) and [[busulfan|DRUG]] ([[3.2|DOSE]] "
              "[[mg/kg/day|UNIT]]) were administered on [[days −6 to −3|DAY|[-6,-5,-4,-3]]]. [[Idarubicin|DRUG]] "
              "[[12|DOSE]] [[mg/m2|UNIT]] and [[cytarabine|DRUG]] [[100|DOSE]] [[mg/m2|UNIT]] on [[days 1–7|DAY|[1,2,3,4,5,6,7]]].")
    assert readable(doc) == [
        rec("Fludarabine", "30", "mg/m2/day", days=["days −6 to −3"]),
        rec("busulfan", "3.2", "mg/kg/day", days=["days −6 to −3"]),
        rec("Idarubicin", "12", "mg/m2"),  # no verb: the day is cytarabine's alone
        rec("cytarabine", "100", "mg/m2", days=["days 1–7"]),
    ]


def test_regimen_list_with_abbreviated_members():
    doc = run(STORY + "He received [[vincristine|DRUG|\"vincristine\"]] ([[VCR|DRUG|\"vincristine\"]]), "
              "[[daunorubicin|DRUG|\"daunorubicin\"]] ([[DNR|DRUG|\"daunorubicin\"]]) and [[prednisone|DRUG]] "
              "([[VDP|REGIMEN]]).")
    assert readable(doc) == [rec("vincristine", regimen="VDP"), rec("daunorubicin", regimen="VDP"),
                             rec("prednisone", regimen="VDP")]


def test_abbreviation_key_in_caption_gives_no_record():
    doc = run(STORY + "Figure 2: Course. [[TCZ|DRUG|\"tocilizumab\"]], [[tocilizumab|DRUG]]; [[dex|DRUG|\"dexamethasone\"]], "
              "[[dexamethasone|DRUG]].")
    assert readable(doc) == []


def test_spacy_doc_from_the_recognizer_is_used():
    from pipeline.nlp import sentences
    text, ents = parse(STORY + "[[Oral|ROUTE]] [[venetoclax|DRUG]] ([[100|DOSE]] [[mg|UNIT]] [[daily|FREQUENCY]]) was initiated.")
    doc = Document(raw=text)
    doc.entities = ents
    doc.spacy_doc = sentences(text)
    assert readable(link(doc)) == [rec("venetoclax", "100", "mg", "daily", "Oral")]


def test_records_table_has_one_row_per_record():
    doc = run(STORY + "[[Oral|ROUTE]] [[venetoclax|DRUG]] ([[100|DOSE]] [[mg|UNIT|\"mg\"]] [[daily|FREQUENCY|\"q24h\"]]) was "
              "initiated.")
    doc.source = {"path": "x.txt", "format": "text"}
    table = records_table(to_dict(doc))
    assert list(table["drug"]) == ["venetoclax"]
    assert table.iloc[0]["frequency_norm"] == "q24h" and table.iloc[0]["case"] == "1"


# ---------------------------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------------------------
MULTI = """Two patients treated with venetoclax

We report two cases. Case 1 did well.

Introduction

Venetoclax 400 mg is used widely.

Case presentation

Case 1

A 40-year-old man received venetoclax 400 mg.

FIGURE 1

Clinical course of the patients. AV, azacitidine 75 mg d1-7.

Case 2

A 17-year-old boy received venetoclax 100 mg.

FIGURE 2

Changes in case 2 after venetoclax 100 mg.

Discussion

Venetoclax 800 mg was used by others.
"""


def test_cases_multi_patient_from_headings():
    cm = CaseMap(MULTI)
    assert cm.kind == "multi"
    at = lambda s, k=0: cm.case_at(MULTI.index(s) + k)
    assert at("We report") is None
    assert at("Venetoclax 400 mg is used") is None
    assert at("A 40-year-old") == "1"
    assert at("azacitidine 75") is None  # caption for several patients
    assert at("A 17-year-old") == "2"
    assert at("Changes in case 2") == "2"  # caption naming one case
    assert at("Venetoclax 800") is None
    # a sentence of the abstract that names one case
    assert cm.case_at(MULTI.index("Case 1 did"), "Case 1 did well.") == "1"


def test_cases_from_running_text_and_given_sections():
    text = ("Title line of the report\n\nCase presentation\n\nThe first patient, a 30-year-old man, received "
            "drug A.\n\nThe second patient was a 60-year-old woman who received drug B.\n\nDiscussion\n\n"
            "Drug C is common.\n")
    cm = CaseMap(text)
    assert cm.kind == "multi"
    assert cm.case_at(text.index("drug A")) == "1"
    assert cm.case_at(text.index("drug B")) == "2"
    assert cm.case_at(text.index("Drug C")) is None
    # sections from the cleanup stage: their case is used, but a discussion heading stays null
    secs = [{"title": "Case report", "start": text.index("Case presentation"), "end": text.index("Discussion"),
             "case": "1"}, {"title": "Discussion", "start": text.index("Discussion"), "end": len(text), "case": "1"}]
    cm = CaseMap(text, secs)
    assert cm.case_at(text.index("Drug C")) is None


def test_cases_single_patient_and_study():
    single = "A case of X\n\nAbstract text with drug A.\n\n1. Introduction\n\nDrug B.\n\n2. Case Report\n\nDrug C.\n\n3. Discussion\n\nDrug D.\n"
    cm = CaseMap(single)
    assert cm.kind == "single"
    assert [cm.case_at(single.index(x)) for x in ("drug A", "Drug B", "Drug C", "Drug D")] == ["1", None, "1", None]
    study = "A study\n\nAbstract with drug A.\n\n1. Introduction\n\nX.\n\n2. Patients and Methods\n\nDrug B.\n\n3. Results\n\nDrug C.\n"
    cm = CaseMap(study)
    assert cm.kind == "study" and cm.case_at(study.index("Drug B")) is None
    other = "A case of X\n\nIntroduction\n\nDrug B.\n\nOur patient\n\nA 70-year-old man got drug C.\n\nDiscussion\n\nDrug D.\n"
    cm = CaseMap(other)
    assert [cm.case_at(other.index(x)) for x in ("Drug B", "drug C", "Drug D")] == [None, "1", None]
    plain = "A 66-year-old man was treated with drug A."
    assert CaseMap(plain).case_at(plain.index("drug A")) == "1"


# ---------------------------------------------------------------------------------------------
# gold: the linker fed with gold entities
# ---------------------------------------------------------------------------------------------
def link_gold(gold: dict, keep_sections=True) -> dict:
    doc = Document(raw=gold["text"])
    doc.entities = copy.deepcopy(gold["entities"])
    doc.sections = copy.deepcopy(gold.get("sections") or []) if keep_sections else []
    link(doc)
    return evaluate({"text": gold["text"], "entities": gold["entities"], "records": doc.records}, gold)


@pytest.mark.parametrize("keep_sections", [True, False], ids=["sections", "detected"])
def test_report_gold_relations_and_records(report_gold_dir, keep_sections):
    gold = json.loads((report_gold_dir / "gold.json").read_text(encoding="utf-8"))
    res = link_gold(gold, keep_sections)
    for rel, row in res["relations"].items():  # measured 1.000 for every type
        assert row["f1"] >= 0.95, (rel, row)
    assert res["records"]["f1"] >= 0.95, res["errors"]["record_fn"]  # measured 1.000


def test_pdf_gold_records(shared):
    import glob
    for path in sorted(glob.glob(str(shared / "pdfs" / "gold" / "*.json"))):
        gold = json.loads(open(path, encoding="utf-8").read())
        res = link_gold(gold)
        assert res["records"]["f1"] >= 0.95, (path, res["errors"]["record_fn"], res["errors"]["record_fp"])
        assert res["relations"]["micro"]["f1"] >= 0.95, path  # measured 1.000 on all three


# ---------------------------------------------------------------------------------------------
# end to end (predicted entities): the quality bars
# ---------------------------------------------------------------------------------------------
def test_report_end_to_end_bars(report_gold_dir):
    from pipeline.run import run_path
    gold = json.loads((report_gold_dir / "gold.json").read_text(encoding="utf-8"))
    res = evaluate(to_dict(run_path(report_gold_dir / "source.txt")), gold)
    for rel, row in res["relations"].items():  # measured 1.000 for every type
        assert row["f1"] >= 0.90, (rel, row)
    assert res["records"]["f1"] >= 0.85, res["errors"]["record_fn"]  # measured 1.000


def test_pdf_gold_end_to_end_records(shared):
    from pipeline.run import run_path
    for path in sorted((shared / "pdfs" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        res = evaluate(to_dict(run_path(shared / "pdfs" / (path.stem + ".pdf"))), gold)
        assert res["records"]["f1"] >= 0.75, (path.name, res["errors"]["record_fn"])  # measured 1.000


def test_coordinated_doses_with_one_unit_give_one_record_each():
    doc = run(STORY + "She received two doses of [[alprostadil|DRUG]] ([[300|DOSE]] and [[150|DOSE]] "
              "[[ng/kg/min|UNIT]]).")
    assert readable(doc) == [rec("alprostadil", "300", "ng/kg/min"), rec("alprostadil", "150", "ng/kg/min")]


def test_doses_with_their_own_units_are_not_merged():
    doc = run(STORY + "[[Dexamethasone|DRUG]] [[10|DOSE]] [[mg|UNIT]] and [[5|DOSE]] [[mg|UNIT]] were given.")
    assert readable(doc) == [rec("Dexamethasone", "10", "mg"), rec("Dexamethasone", "5", "mg")]


def test_negation_after_the_drug_gives_no_record():
    doc = run(STORY + "[[N2O|DRUG]] was not used for [[inhalation|ROUTE]] anaesthesia.")
    assert readable(doc) == []
    doc = run(STORY + "[[Propofol|DRUG]] was given by [[intravenous|ROUTE]] bolus.")
    assert readable(doc) == [rec("Propofol", route="intravenous")]


def test_route_before_a_percent_strength_and_its_drug():
    doc = run(STORY + "It was corrected with an [[intravenous|ROUTE]] infusion of 15% [[glucose|DRUG]] "
              "([[7.8|DOSE]] [[mg/kg/min|UNIT]]).")
    assert readable(doc) == [rec("glucose", "7.8", "mg/kg/min", route="intravenous")]


def test_both_distributes_a_frequency_over_the_two_drugs_before_it():
    doc = run(STORY + "She took [[furosemide|DRUG]] [[20|DOSE]] [[mg|UNIT]] and [[levothyroxine|DRUG]] "
              "[[100|DOSE]] [[µg|UNIT]], both [[once daily|FREQUENCY]].")
    assert readable(doc) == [rec("furosemide", "20", "mg", "once daily"),
                             rec("levothyroxine", "100", "µg", "once daily")]
    doc = run(STORY + "She took [[furosemide|DRUG]] [[20|DOSE]] [[mg|UNIT]] and [[levothyroxine|DRUG]] "
              "[[100|DOSE]] [[µg|UNIT]] [[once daily|FREQUENCY]].")
    # the annotation schema: a frequency written once after a list with doses belongs to each
    assert readable(doc) == [rec("furosemide", "20", "mg", "once daily"),
                             rec("levothyroxine", "100", "µg", "once daily")]
