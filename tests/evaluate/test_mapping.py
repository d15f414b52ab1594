"""The label mapping: coreference, dose-carrying lab values, frequency-only dosages, term lists
(and a mapping that borrows or extends another's lists)."""
from __future__ import annotations

import pytest

from pipeline.evaluate.brat import BratDoc, parse_ann
from pipeline.evaluate.mapping import gold_items, load_mapping, outside_schema

from .brat_cases import MAPPING, _ann


def test_coreference_of_a_medication_is_a_medication():
    text = "Given prednisolone 40 mg. Later prednisolone was tapered; headache recurred.\n"
    ann = _ann(text, [("T1", "Medication", "prednisolone"), ("T2", "Coreference", "prednisolone", 1),
                      ("T3", "Dosage", "40 mg"), ("T4", "Sign_symptom", "headache"),
                      ("T5", "Coreference", "recurred")],
               "E1\tMedication:T1 \nE2\tCoreference:T2 \nE3\tSign_symptom:T4 \nE4\tCoreference:T5 \n"
               "R1\tIDENTICAL Arg1:E2 Arg2:E1\t\nR2\tMODIFY Arg1:T3 Arg2:E1\t\n"
               "R3\tIDENTICAL Arg1:E4 Arg2:E3\t\n")
    spans, rels = parse_ann(ann)
    g = gold_items(BratDoc("c", text, spans, rels), MAPPING)
    drugs = sorted((e["label"], e["start"]) for e in g["entities"] if e["type"] == "DRUG")
    assert drugs == [("Coreference->Medication", 32), ("Medication", 6)]
    assert g["relations"] == {("DRUG->DOSE", "T1", "T3")}


def test_lab_value_carrying_the_dose_of_a_descriptive_dosage():
    text = "Started standard daily dosing of erlotinib (150 mg).\n"
    ann = _ann(text, [("T1", "Dosage", "daily dosing"), ("T2", "Medication", "erlotinib"),
                      ("T3", "Lab_value", "150 mg")],
               "E1\tMedication:T2 \nR1\tMODIFY Arg1:T1 Arg2:E1\t\nR2\tMODIFY Arg1:T3 Arg2:T1\t\n")
    spans, rels = parse_ann(ann)
    g = gold_items(BratDoc("d", text, spans, rels), MAPPING)
    assert [(e["label"], e["text"]) for e in g["entities"] if e["type"] == "DOSE+UNIT"] == [
        ("Lab_value->Dosage", "150 mg")]
    assert g["relations"] == {("DRUG->DOSE", "T2", "T3")}
    assert [x["text"] for x in g["excluded"]] == ["daily dosing"]


def test_dosage_span_holding_only_a_frequency_is_a_frequency():
    text = "Warfarin once daily was given.\n"
    ann = _ann(text, [("T1", "Medication", "Warfarin"), ("T2", "Dosage", "once daily")],
               "E1\tMedication:T1 \nR1\tMODIFY Arg1:T2 Arg2:E1\t\n")
    spans, rels = parse_ann(ann)
    g = gold_items(BratDoc("f", text, spans, rels), MAPPING)
    assert [(e["type"], e["label"]) for e in g["entities"] if e["text"] == "once daily"] == [
        ("FREQUENCY", "Dosage->Frequency")]
    assert g["relations"] == {("DRUG->FREQUENCY", "T1", "T2")}


@pytest.mark.parametrize("text,category", [
    ("antibiotics", "class"), ("chemotherapy", "class"), ("steroid pulse therapy", "class"),
    ("angiotensin-converting enzyme (ACE)-inhibitor", "class"), ("β-blockers", "class"),
    ("medication", "generic"), ("The drug", "generic"), ("drugs that may cause platelet lysis", "generic"),
    ("packed red blood cells", "blood product"), ("conscious sedation", "procedure"),
    ("methylprednisolone pulse therapy", None), ("zinc supplementation", None),
    ("6-MP", None), ("R-Hyper-CVAD", None), ("vitamin D", None), ("albumin infusion", None)])
def test_medication_outside_schema(text, category):
    assert outside_schema(text, MAPPING, "medication_terms") == category


def test_other_term_lists():
    assert outside_schema("tablets", MAPPING, "administration_terms") == "dosage form"
    assert outside_schema("intravenous infusion", MAPPING, "administration_terms") is None
    assert outside_schema("8 cycles", MAPPING, "dosage_terms") == "course count"
    assert outside_schema("total dose of 30\u2009Gy", MAPPING, "dosage_terms") == "radiation"
    assert outside_schema("2500 mg/m2 per day for 14 d/cycle", MAPPING, "dosage_terms") is None




def test_a_mapping_borrows_or_extends_another_mappings_lists():
    phee = load_mapping("phee")
    assert phee["term_lists"]["medication_terms"] == MAPPING["term_lists"]["medication_terms"]
    dosage = phee["term_lists"]["dosage_terms"]["categories"]
    assert set(MAPPING["term_lists"]["dosage_terms"]["categories"]) < set(dosage)
    assert outside_schema("8 cycles", phee, "dosage_terms") == "course count"  # inherited
    assert outside_schema("8 doses", MAPPING, "dosage_terms") is None  # the original is unchanged
