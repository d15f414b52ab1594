"""Recognition accuracy against the hand-made gold (thresholds just below what was measured).

Measured (recognize on the gold clean text): report strict micro-F1 1.000, normalization 1.000,
every type 1.000; the three ../shared/pdfs/gold documents strict 1.000, 1.000, 1.000. End to end
from the PDFs (ingest + cleanup + recognize): lenient micro-F1 1.000, 1.000, 1.000 (12:10 UTC).
"""
from __future__ import annotations

import json

import pytest

from pipeline.document import Document, ENTITY_TYPES
from pipeline.evaluate.score import evaluate
from pipeline.recognize.stage import recognize


def score_on_text(gold: dict) -> dict:
    d = Document(raw=gold["text"])
    recognize(d)
    return evaluate({"text": d.text, "entities": d.entities, "records": []}, gold)


def test_report_gold(report_gold_dir):
    gold = json.loads((report_gold_dir / "gold.json").read_text(encoding="utf-8"))
    r = score_on_text(gold)
    strict = r["entities"]["strict"]
    assert strict["micro"]["f1"] >= 0.97, r["errors"]
    assert r["normalization"]["micro"]["accuracy"] >= 0.97, r["errors"]["norm_errors"]
    for t in ENTITY_TYPES:
        if t in strict:
            assert strict[t]["f1"] >= 0.92, (t, strict[t])


def _pdf_golds(shared):
    return sorted((shared / "pdfs" / "gold").glob("*.json"))


def test_pdf_gold_on_clean_text(shared):
    for path in _pdf_golds(shared):
        gold = json.loads(path.read_text(encoding="utf-8"))
        r = score_on_text(gold)
        assert r["entities"]["strict"]["micro"]["f1"] >= 0.99, (path.name, r["errors"])
        assert r["entities"]["lenient"]["micro"]["f1"] >= 0.99, path.name
        assert r["normalization"]["micro"]["accuracy"] >= 0.99, path.name


def test_pdf_gold_end_to_end(shared):
    from pipeline.run import run_path
    for path in _pdf_golds(shared):
        pdf = shared / "pdfs" / (path.stem + ".pdf")
        if not pdf.exists():
            continue
        doc = run_path(pdf)
        gold = json.loads(path.read_text(encoding="utf-8"))
        r = evaluate({"text": doc.text, "entities": doc.entities, "records": []}, gold)
        assert r["entities"]["lenient"]["micro"]["f1"] >= 0.98, (path.name, r["errors"])
        # lab values in mg/dL never give a DOSE
        units = {(e["start"], e["end"]): e for e in doc.entities if e["type"] == "UNIT"}
        assert not any("dL" in e["norm"] for e in units.values()), path.name
