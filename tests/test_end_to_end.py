"""End to end, as `make run` does it: raw input -> whole pipeline -> scored against gold.

Floors sit just below the measured values (they only go up). Measured 2026-11-25:
report from source.txt: entities strict micro 1.000, every type 1.000, norm 1.000, every relation
1.000, records 1.000 (79/79), CER 0.0163 strict (one caption placed a paragraph later than the
gold, whose paragraph breaks were chosen by topic), 0.0004 reading-order-free;
the three gold PDFs from the PDF: CER 0.0000, entities 1.000, records 1.000.
"""
from __future__ import annotations

import json

import pytest

from pipeline.evaluate.score import evaluate
from pipeline.datasets.export import to_dict, validate
from pipeline.run import run_path


@pytest.fixture(scope="module")
def report_result(report_gold_dir):
    pred = to_dict(run_path(report_gold_dir / "source.txt"))
    validate(pred)
    gold = json.loads((report_gold_dir / "gold.json").read_text(encoding="utf-8"))
    return evaluate(pred, gold)


def test_report_entities(report_result):
    ent = report_result["entities"]["strict"]
    assert ent["micro"]["f1"] >= 0.99, report_result["errors"]["false_negatives"]
    for t, row in ent.items():
        assert row["f1"] >= 0.98, (t, row)
    assert report_result["normalization"]["micro"]["accuracy"] >= 0.99


def test_report_relations_and_records(report_result):
    for rel, row in report_result["relations"].items():
        assert row["f1"] >= 0.98, (rel, row)
    assert report_result["records"]["f1"] >= 0.98, report_result["errors"]["record_fn"]


def test_report_text(report_result):
    t = report_result["text"]
    assert t["cer"] < 0.017, t
    assert t["cer_reading_order_free"] < 0.001, t


def test_gold_pdfs_end_to_end(shared):
    for gold_path in sorted((shared / "pdfs" / "gold").glob("*.json")):
        pdf = shared / "pdfs" / (gold_path.stem + ".pdf")
        pred = to_dict(run_path(pdf))
        validate(pred)
        r = evaluate(pred, json.loads(gold_path.read_text(encoding="utf-8")))
        assert r["text"]["cer"] <= 0.001, (gold_path.stem, r["text"])
        assert r["entities"]["lenient"]["micro"]["f1"] >= 0.98, gold_path.stem
        assert r["records"]["f1"] >= 0.98, (gold_path.stem, r["errors"]["record_fn"])
        assert all(e["page"] and e["bbox"] for e in pred["entities"]), "PDF provenance missing"


def test_output_is_byte_identical_across_processes(report_gold_dir, tmp_path):
    """Same input, two processes with different hash seeds: byte-identical JSON (sets and dicts
    of strings iterate differently per process, so any order taken from them would show here)."""
    import os
    import subprocess
    import sys
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.json"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        r = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract",
                            str(report_gold_dir / "source.txt"), "-o", str(out)],
                           env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
