"""Every export format round-trips: tables (CSV = parquet = in memory), JSON lines, brat standoff
(in and out without loss, on a hand-made document and on the gold), spaCy DocBin (spans = entities)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.datasets.export import (
    FORMATS, docbin_bytes, entities_table, from_brat, from_spacy_doc, load_documents, parse_formats,
    read_brat, read_docbin, read_jsonl, read_table, records_table, to_brat, validate, write_formats,
)
from pipeline.errors import InputError

from ..conftest import ROOT

TEXT = ("Case 1\nShe received cyclo-\nphosphamide 500 mg/kg i.v. on day 0 and NA tocilizumab 4–8 mg/kg "
        "twice daily on days −4 to −2 (May 27, 2021) as part of FC.\nNo drug was given afterwards.")


def _ent(n, typ, needle, norm, text=TEXT, nth=0, **extra):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    e = {"id": f"T{n}", "type": typ, "start": start, "end": start + len(needle), "text": needle, "norm": norm}
    e.update(extra)
    return e


def make_doc(path="sub/case.txt") -> dict:
    ents = [
        _ent(1, "DRUG", "cyclo-\nphosphamide", "cyclophosphamide", ids={"drugbank": "DB00531"}),
        _ent(2, "DOSE", "500", 500.0), _ent(3, "UNIT", "mg/kg", "mg/kg"), _ent(4, "ROUTE", "i.v.", "intravenous"),
        _ent(5, "DAY", "day 0", [0]), _ent(6, "DRUG", "NA", "na"),  # a text pandas must not read as missing
        _ent(7, "DRUG", "NA tocilizumab", "tocilizumab"),  # overlaps T6
        _ent(8, "DOSE", "4–8", [4, 8]), _ent(9, "UNIT", "mg/kg", "mg/kg", nth=1),
        _ent(10, "FREQUENCY", "twice daily", "q12h"), _ent(11, "DAY", "days −4 to −2", [-4, -3, -2]),
        _ent(12, "DATE", "May 27, 2021", "2021-05-27"), _ent(13, "REGIMEN", "FC", "FC"),
    ]
    for e in ents:
        e.update(source_start=e["start"], source_end=e["end"], page=None, bbox=None)
    ents[0].update(page=1, bbox=[10.5, 20.0, 30.25, 40.0])
    none = dict(frequency=None, route=None, days=[], dates=[], regimen=None)
    recs = [
        dict(id="R1", drug="T1", dose="T2", unit="T3", **dict(none, route="T4", days=["T5"]), case="1"),
        dict(id="R2", drug="T7", dose="T8", unit="T9",
             **dict(none, frequency="T10", days=["T11", "T5"], dates=["T12"], regimen="T13"), case=None),
        dict(id="R3", drug="T1", dose=None, unit=None, **dict(none, regimen="T13"), case="case 2"),
    ]
    return {"schema": "doseline.document/1",
            "source": {"path": path, "sha256": "0" * 64, "format": "text", "pages": None},
            "metadata": {"title": "A case", "authors": ["A. B"], "journal": None, "year": 2021, "doi": None},
            "text": TEXT, "sections": [{"title": "Case 1", "start": 0, "end": len(TEXT), "case": "1"}],
            "entities": ents, "records": recs, "repairs": [], "back_matter": [], "abbreviations": []}


def test_fixture_is_valid():
    validate(make_doc())


def test_brat_round_trip_without_loss():
    doc = make_doc()
    txt, ann = to_brat(doc)
    assert txt == TEXT
    lines = ann.splitlines()
    assert "T1\tDRUG 20 26;27 38\tcyclo- phosphamide" in lines  # a span over a line break: fragments
    assert any(line.startswith("E1\tAdministration:T") and "Drug:T1 Dose:T2 Unit:T3 Route:T4 Day:T5" in line
               for line in lines)
    assert any("Day:T11 Day2:T5 Date:T12" in line for line in lines)
    assert "A1\tCase E1 1" in lines
    back = from_brat(txt, ann)
    assert back["text"] == doc["text"]
    assert back["entities"] == doc["entities"]
    assert back["records"] == doc["records"]
    assert json.dumps(back["entities"]) == json.dumps(doc["entities"])  # same key order too
    validate(back)


def test_brat_reads_short_form_and_plain_notes():
    text = "Gave cytarabine 100 mg/m2."
    ann = ("T1\tDRUG 5 15\tcytarabine\nT2\tDOSE 16 19\t100\nT3\tUNIT 20 25\tmg/m2\n"
           "E1\tAdministration:T1 Dose:T2 Unit:T3\nA1\tCase E1 2\n#1\tAnnotatorNotes T1\tcytarabine\n")
    doc = from_brat(text, ann)
    assert doc["records"] == [dict(id="R1", drug="T1", dose="T2", unit="T3", frequency=None, route=None,
                                   days=[], dates=[], regimen=None, case="2")]
    assert doc["entities"][0]["norm"] == "cytarabine" and doc["entities"][1]["norm"] is None


def test_tables_round_trip(tmp_path):
    doc = make_doc()
    written = write_formats([("sub/case", doc)], ["csv", "parquet"], tmp_path)
    assert {p.name for p in written} == {"records.csv", "entities.csv", "records.parquet", "entities.parquet"}
    import pandas as pd
    for kind, expected in (("records", records_table(doc)), ("entities", entities_table(doc))):
        csv, parquet = read_table(tmp_path / f"{kind}.csv"), read_table(tmp_path / f"{kind}.parquet")
        pd.testing.assert_frame_equal(csv, expected)
        pd.testing.assert_frame_equal(parquet, expected)
    rec = records_table(doc)
    assert len(rec) == 3 and list(rec["document"]) == ["sub/case.txt"] * 3
    r2 = rec.iloc[1]
    assert (r2["drug_norm"], r2["dose_value"], r2["dose_high"], r2["frequency_norm"]) == ("tocilizumab", 4.0, 8.0, "q12h")
    assert r2["days"] == "days −4 to −2; day 0" and json.loads(r2["days_norm"]) == [[-4, -3, -2], [0]]
    assert r2["dates_norm"] == '["2021-05-27"]' and r2["regimen"] == "FC"
    assert rec.iloc[0]["drugbank"] == "DB00531" and rec.iloc[0]["page"] == 1
    assert rec.iloc[0]["sentence"].startswith("She received cyclo-")
    ent = entities_table(doc)
    assert len(ent) == 13 and ent.iloc[5]["text"] == "NA" and ent.iloc[0]["records"] == "R1 R3"
    assert json.loads(ent.iloc[10]["norm"]) == [-4, -3, -2]


def test_jsonl_round_trip(tmp_path):
    docs = [make_doc("a.txt"), make_doc("b.txt")]
    write_formats([("a", docs[0]), ("b", docs[1])], ["jsonl"], tmp_path)
    assert read_jsonl(tmp_path / "documents.jsonl") == docs
    assert len((tmp_path / "documents.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_docbin_spans_equal_entities(tmp_path):
    doc = make_doc()
    (tmp_path / "d.spacy").write_bytes(docbin_bytes([doc]))
    [sdoc] = read_docbin(tmp_path / "d.spacy")
    assert sdoc.text == doc["text"]
    spans = [(s.start_char, s.end_char, s.label_, s.id_) for s in sdoc.spans["doseline"]]
    assert spans == [(e["start"], e["end"], e["type"], e["id"]) for e in doc["entities"]]
    ents = {(e.start_char, e.end_char) for e in sdoc.ents}
    assert (doc["entities"][6]["start"], doc["entities"][6]["end"]) in ents  # longest of the overlap
    assert from_spacy_doc(sdoc) == doc


def test_brat_files_and_conf(tmp_path):
    doc = make_doc()
    write_formats([("sub/case", doc)], ["brat"], tmp_path)
    back = read_brat(tmp_path / "brat" / "sub" / "case")
    assert back["entities"] == doc["entities"] and back["records"] == doc["records"]
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    assert "Administration\tDrug:DRUG" in conf and "<OVERLAP>" in conf and "DRUG\n" in conf


def test_parse_formats():
    assert parse_formats(["csv", "brat,spacy", "csv"]) == ["csv", "brat", "spacy"]
    assert parse_formats(["all"]) == list(FORMATS)
    with pytest.raises(InputError):
        parse_formats(["xlsx"])


def _gold_round_trip(gold: dict):
    txt, ann = to_brat(gold)
    back = from_brat(txt, ann)
    assert back["text"] == gold["text"]
    assert back["entities"] == gold["entities"]
    assert back["records"] == gold["records"]
    [sdoc] = [d for d in _docbin_docs(gold)]
    spans = [(s.start_char, s.end_char, s.label_, s.id_) for s in sdoc.spans["doseline"]]
    assert spans == [(e["start"], e["end"], e["type"], e["id"]) for e in gold["entities"]]


def _docbin_docs(obj):
    import spacy
    from spacy.tokens import DocBin
    return list(DocBin().from_bytes(docbin_bytes([obj])).get_docs(spacy.blank("en").vocab))


def test_report_gold_brat_round_trip(report_gold_dir):
    """Issue #3: the gold builds in brat standoff and back without loss."""
    gold = json.loads((report_gold_dir / "gold.json").read_text(encoding="utf-8"))
    assert gold["entities"] and gold["records"]
    _gold_round_trip(gold)


def test_shared_gold_brat_round_trip(shared):
    golds = sorted((shared / "pdfs" / "gold").glob("*.json"))
    if not golds:
        pytest.skip("no gold JSON in ../shared/pdfs/gold")
    for p in golds:
        _gold_round_trip(json.loads(p.read_text(encoding="utf-8")))


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_export_cli_over_a_batch_folder(tmp_path):
    out = tmp_path / "batch"
    (out / "sub").mkdir(parents=True)
    (out / "a.json").write_text(json.dumps(make_doc("a.txt")), encoding="utf-8")
    (out / "sub" / "b.json").write_text(json.dumps(make_doc("sub/b.pdf")), encoding="utf-8")
    (out / "manifest.jsonl").write_text("{}\n", encoding="utf-8")
    (out / "report.eval.json").write_text('{"cer": 0}', encoding="utf-8")  # not a document: skipped
    r = run_cli("export", str(out), "--format", "csv", "--format", "parquet,jsonl", "--format", "brat",
                "--format", "spacy")
    assert r.returncode == 0, r.stderr
    exp = out / "export"
    assert "2 documents" in r.stderr
    assert len(read_table(exp / "records.parquet")) == 6 and len(read_table(exp / "entities.csv")) == 26
    assert [d["source"]["path"] for d in read_jsonl(exp / "documents.jsonl")] == ["a.txt", "sub/b.pdf"]
    assert read_brat(exp / "brat" / "sub" / "b")["records"] == make_doc()["records"]
    assert len(read_docbin(exp / "documents.spacy")) == 2
    # exporting again does not pick up its own outputs
    assert [n for n, _ in load_documents(out, skip=exp.resolve())] == ["a", "sub/b"]
    r = run_cli("export", str(out), "--format", "xlsx")
    assert r.returncode == 2 and "unknown export format" in r.stderr
    r = run_cli("export", str(tmp_path / "missing"), "--format", "csv")
    assert r.returncode == 2


def test_extract_format_writes_beside_the_json(tmp_path):
    src = tmp_path / "case.txt"
    src.write_text("The patient received cyclophosphamide 500 mg/kg intravenously on day 0.\n", encoding="utf-8")
    out = tmp_path / "out" / "case.json"
    r = run_cli("extract", str(src), "-o", str(out), "--format", "brat", "--format", "parquet",
                "--format", "spacy", "--format", "jsonl", "--format", "csv")
    assert r.returncode == 0, r.stderr
    names = {p.name for p in out.parent.iterdir()}
    assert {"case.json", "case.brat.txt", "case.brat.ann", "case.records.parquet", "case.entities.parquet",
            "case.spacy", "case.jsonl", "case.records.csv", "case.entities.csv"} <= names
    obj = json.loads(out.read_text(encoding="utf-8"))
    back = read_brat(out.parent / "case.brat")
    assert back["entities"] == obj["entities"] and back["records"] == obj["records"]
    assert read_jsonl(out.parent / "case.jsonl") == [obj]
    assert src.read_text(encoding="utf-8").startswith("The patient")  # the input is never overwritten
