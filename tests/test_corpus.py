"""Scoring against a brat corpus through a label mapping (MACCROBAT): the reader, the mapping, the
counts on tiny hand-written documents with a fake pipeline, and the command on two real corpus
documents (skipped without ../shared)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from pipeline.evaluate.corpus import (evaluate_dir, load_mapping, outside_schema, parse_ann, read_brat,
                             score_document, pred_from_document)
from pipeline.document import Document

from .conftest import ROOT, SHARED

MAPPING = load_mapping("maccrobat")

TEXT1 = ("He  received prednisolone 40 mg daily orally and antibiotics, then high-dose steroids.\n"
         "On day 5 methotrexate 15 mg/m2 was given intravenously.\n")
TEXT2 = "She took warfarin.\n"


def _ann(text: str, spans: list, extra: str = "") -> str:
    """brat lines for (id, label, surface, occurrence) spans found in ``text``."""
    lines = []
    for tid, label, surface, *occ in spans:
        i = -1
        for _ in range((occ[0] if occ else 0) + 1):
            i = text.index(surface, i + 1)
        lines.append(f"{tid}\t{label} {i} {i + len(surface)}\t{surface}")
    return "\n".join(lines) + "\n" + extra


ANN1 = _ann(TEXT1, [("T1", "Medication", "prednisolone"), ("T2", "Dosage", "40 mg daily"),
                    ("T3", "Administration", "orally"), ("T4", "Medication", "antibiotics"),
                    ("T5", "Dosage", "high-dose"), ("T6", "Medication", "steroids"),
                    ("T7", "Date", "day 5"), ("T8", "Medication", "methotrexate"),
                    ("T9", "Dosage", "15 mg/m2"), ("T10", "Administration", "intravenously"),
                    ("T11", "Sign_symptom", "received")],
            "E1\tMedication:T1 \nE2\tMedication:T8 \nE3\tMedication:T6 \n"
            "R1\tMODIFY Arg1:T2 Arg2:E1\t\nR2\tMODIFY Arg1:T3 Arg2:E1\t\n"
            "R3\tMODIFY Arg1:T9 Arg2:E2\t\nR4\tMODIFY Arg1:T10 Arg2:E2\t\n"
            "R5\tMODIFY Arg1:T5 Arg2:E3\t\n")
ANN2 = _ann(TEXT2, [("T1", "Medication", "warfarin")])


def fake_pipeline(text: str, path: str) -> Document:
    """Collapses the double space (as cleanup would: offsets shift by one), then 'recognizes'
    known strings in the cleaned text and links them."""
    doc = Document(raw=text)
    i = text.find("  ")
    if i >= 0:
        doc.replace([(i, i + 2, " ", "space")])
    t = doc.text
    ents = []

    def add(typ, surface, after=0):
        s = t.index(surface, after)
        ents.append({"id": f"T{len(ents) + 1}", "type": typ, "start": s, "end": s + len(surface),
                     "text": surface, "norm": None})
        return ents[-1]["id"]

    if "prednisolone" in t:
        d1 = add("DRUG", "prednisolone")
        n1 = add("DOSE", "40")
        u1 = add("UNIT", "mg", t.index("40"))
        f1 = add("FREQUENCY", "daily")  # inside the corpus Dosage span: ignored
        r1 = add("ROUTE", "orally")
        add("DRUG", "antibiotics")  # a class in the corpus: ignored, not a false positive
        add("DAY", "day 5")
        d2 = add("DRUG", "methotrexate")
        n2 = add("DOSE", "15")  # without its unit: a lenient hit, a strict miss
        add("DOSE", "5", t.index("day 5"))  # false positive
        doc.records = [
            {"id": "R1", "drug": d1, "dose": n1, "unit": u1, "frequency": f1, "route": r1,
             "days": [], "dates": [], "regimen": None, "case": "1"},
            {"id": "R2", "drug": d2, "dose": n2, "unit": None, "frequency": None, "route": None,
             "days": [], "dates": [], "regimen": None, "case": "1"}]
    doc.entities = ents
    return doc


@pytest.fixture()
def tiny_corpus(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT1, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ANN1, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT2, encoding="utf-8")
    (tmp_path / "b.ann").write_text(ANN2, encoding="utf-8")
    return tmp_path


def test_brat_reader_resolves_events_and_fragments():
    spans, rels = parse_ann("T1\tDosage 0 3;10 14\t1 g once\nT2\tMedication 20 25\tfoo\n"
                            "E1\tMedication:T2 \nR1\tMODIFY Arg1:T1 Arg2:E1\t\nA1\tPOLARITY E1 NEG\n"
                            "#1\tAnnotatorNotes T1\tnote\n")
    assert (spans["T1"].start, spans["T1"].end, spans["T1"].fragments) == (0, 14, [(0, 3), (10, 14)])
    assert rels == [("MODIFY", "T1", "T2")]


def test_coreference_of_a_medication_is_a_medication():
    text = "Given prednisolone 40 mg. Later prednisolone was tapered; headache recurred.\n"
    ann = _ann(text, [("T1", "Medication", "prednisolone"), ("T2", "Coreference", "prednisolone", 1),
                      ("T3", "Dosage", "40 mg"), ("T4", "Sign_symptom", "headache"),
                      ("T5", "Coreference", "recurred")],
               "E1\tMedication:T1 \nE2\tCoreference:T2 \nE3\tSign_symptom:T4 \nE4\tCoreference:T5 \n"
               "R1\tIDENTICAL Arg1:E2 Arg2:E1\t\nR2\tMODIFY Arg1:T3 Arg2:E1\t\n"
               "R3\tIDENTICAL Arg1:E4 Arg2:E3\t\n")
    spans, rels = parse_ann(ann)
    from pipeline.evaluate.corpus import BratDoc, gold_items
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
    from pipeline.evaluate.corpus import BratDoc, gold_items
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
    from pipeline.evaluate.corpus import BratDoc, gold_items
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


def test_scores_one_document(tiny_corpus):
    bdoc = read_brat(tiny_corpus / "a.txt")
    r = score_document(bdoc, pred_from_document(fake_pipeline(bdoc.text, "a")), MAPPING)
    c = lambda mode, t: tuple(r["counts"][mode][t][k] for k in ("tp", "fp", "fn"))
    assert c("strict", "DRUG") == (2, 0, 0) and c("lenient", "DRUG") == (2, 0, 0)
    assert c("strict", "DOSE+UNIT") == (0, 3, 2)
    assert c("lenient", "DOSE+UNIT") == (2, 1, 0)
    assert c("lenient", "ROUTE") == (1, 0, 1)
    assert c("lenient", "FREQUENCY") == (0, 0, 0)
    assert c("strict", "DATE/DAY") == (1, 0, 0)
    rel = lambda mode, t: tuple(r["relations"][mode][t][k] for k in ("tp", "fp", "fn"))
    assert rel("lenient", "DRUG->DOSE") == (2, 0, 0)
    assert rel("strict", "DRUG->DOSE") == (0, 2, 2)
    assert rel("lenient", "DRUG->ROUTE") == (1, 0, 1)
    assert rel("lenient", "DRUG->FREQUENCY") == (0, 0, 0)
    m = r["misses"]
    # the corpus offsets are recovered through the cleanup's offset map
    assert [x["text"] for x in m["false_positives"]] == ["5"]
    assert m["false_positives"][0]["corpus_labels"] == ["Date"]
    assert res_fp_labels(r) == {"DOSE+UNIT": {"Date": 1}}
    assert [x["text"] for x in m["false_negatives"]] == ["intravenously"]
    assert {x["text"] for x in m["boundary"]} == {"40 mg daily", "15 mg/m2"}
    assert {x["pred"] for x in m["boundary"]} == {"40 mg", "15"}
    assert {(x["text"], x["category"]) for x in m["excluded_gold"]} == {
        ("antibiotics", "class"), ("high-dose", "no digit"), ("steroids", "class")}
    assert len(m["excluded_relations"]) == 1
    assert {x["text"] for x in m["ignored_pred"]} == {"daily", "antibiotics"}
    assert m["relation_fn"] == [{"document": "a", "type": "DRUG->ROUTE", "drug": "methotrexate",
                                 "attribute": "intravenously"}]


def res_fp_labels(r):
    from pipeline.evaluate.corpus import aggregate
    return aggregate([r], MAPPING)["false_positives_by_corpus_label"]


def test_micro_macro_and_report(tiny_corpus, tmp_path):
    res = evaluate_dir(tiny_corpus, MAPPING, runner=fake_pipeline)
    assert res["documents"] == 2 and not res["errors"]
    drug = res["entities"]["lenient"]["DRUG"]
    assert (drug["tp"], drug["fp"], drug["fn"]) == (2, 0, 1)
    assert drug["f1"] == pytest.approx(0.8)
    assert drug["macro"]["f1"] == pytest.approx(0.5) and drug["macro"]["documents"] == 2
    micro = res["entities"]["lenient"]["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (6, 1, 2)
    assert res["recall_groups"]["ROUTE | modifies a Medication: yes"] == {
        "gold": 2, "found": 1, "recall": 0.5}
    assert res["excluded_summary"]["Medication | class"]["count"] == 2
    json.dumps(res)  # the report is plain JSON
    from pipeline.evaluate.corpus import tables
    out = tables(res)
    assert "DOSE+UNIT" in out and "DRUG->DOSE" in out and "Per document" in out


def test_pipeline_failure_is_reported(tiny_corpus):
    def broken(text, path):
        raise RuntimeError("boom")
    res = evaluate_dir(tiny_corpus, MAPPING, runner=broken)
    assert len(res["errors"]) == 2
    assert res["entities"]["lenient"]["DRUG"]["fn"] == 3


def test_cli_rejects_bad_corpus(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "evaluate", "--corpus", "brat",
                        str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "brat" in r.stderr


# ---------------------------------------------------------------------------------------------
# the real corpus: two MACCROBAT documents through the whole pipeline
# ---------------------------------------------------------------------------------------------
CORPUS = SHARED / "corpora" / "maccrobat2020-dev"
DOCS = ("23124805", "25023062")


def test_cli_on_two_maccrobat_documents(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpora/maccrobat2020-dev is not present")
    d = tmp_path / "corpus"
    d.mkdir()
    for name in DOCS:
        for ext in (".txt", ".ann"):
            shutil.copy(CORPUS / (name + ext), d / (name + ext))
    out = tmp_path / "report.json"
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "evaluate", "--corpus", "brat", str(d),
                        "--map", "maccrobat", "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "DRUG->DOSE" in r.stdout
    res = json.loads(out.read_text())
    assert res["documents"] == 2 and not res["errors"]
    ent, rel = res["entities"]["lenient"], res["relations"]["lenient"]
    assert ent["DRUG"]["gold"] == 31 and ent["DOSE+UNIT"]["gold"] == 21
    assert ent["ROUTE"]["gold"] == 10 and rel["DRUG->DOSE"]["gold"] == 20
    # lenient F1 measured on these two documents (12:10 UTC, after the analyte-context, unit,
    # route and frequency rules): DRUG 0.923, DOSE+UNIT 0.927, ROUTE 0.889, DRUG->DOSE 0.950,
    # DRUG->ROUTE 0.909; thresholds just below
    assert ent["DRUG"]["f1"] >= 0.92
    assert ent["DOSE+UNIT"]["f1"] >= 0.92
    assert ent["ROUTE"]["f1"] >= 0.88
    assert rel["DRUG->DOSE"]["f1"] >= 0.94
    assert rel["DRUG->ROUTE"]["f1"] >= 0.90
    assert len(res["per_document"]) == 2 and res["misses"]["false_negatives"]
