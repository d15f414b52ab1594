"""Scoring a brat corpus: counts of one document with a fake pipeline, micro and macro, failures,
the fixed halves (reserved documents never run, held-out results without their misses)."""
from __future__ import annotations

import json

import pytest

from pipeline.evaluate.brat import read_brat
from pipeline.evaluate.corpus import aggregate, evaluate_dir, pred_from_document, score_document
from pipeline.evaluate.splits import halves, load_splits

from .brat_cases import ANN1, MAPPING, TEXT1, fake_pipeline


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
    assert r["relation_errors"]["attribute not found"] == 1 and sum(r["relation_errors"].values()) == 1


def res_fp_labels(r):
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
    from pipeline.evaluate.report import tables
    out = tables(res)
    assert "DOSE+UNIT" in out and "DRUG->DOSE" in out and "Per document" in out


def test_pipeline_failure_is_reported(tiny_corpus):
    def broken(text, path):
        raise RuntimeError("boom")
    res = evaluate_dir(tiny_corpus, MAPPING, runner=broken)
    assert len(res["errors"]) == 2
    assert res["entities"]["lenient"]["DRUG"]["fn"] == 3




@pytest.fixture()
def split_corpus(tmp_path):
    """Copies of the tiny document under real MACCROBAT ids: two held-out, two tune, one reserved
    (of the tune half)."""
    sp = dict(load_splits()["maccrobat"])
    rule = halves(sp["tune"] + sp["heldout"] + sp["reserved"])
    sp["reserved"] = [r for r in sp["reserved"] if r in rule["tune"]]
    names = sp["heldout"][:2] + sp["tune"][:2] + sp["reserved"][:1]
    for n in names:
        (tmp_path / f"{n}.txt").write_text(TEXT1, encoding="utf-8")
        (tmp_path / f"{n}.ann").write_text(ANN1, encoding="utf-8")
    return tmp_path, sp


def test_reserved_documents_are_never_run(split_corpus):
    d, sp = split_corpus
    seen = []

    def runner(text, path):
        seen.append(path)
        return fake_pipeline(text, path)
    res = evaluate_dir(d, MAPPING, runner=runner)
    assert res["documents"] == 4 and res["reserved_unseen_gold"] == sp["reserved"][:1]
    assert not any(sp["reserved"][0] in p for p in seen)
    tune = evaluate_dir(d, MAPPING, runner=runner, split="tune")
    assert [x["document"] for x in tune["per_document"]] == sp["tune"][:2]
    assert tune["misses"]["false_positives"]  # the tune half lists its misses


def test_heldout_half_keeps_counts_only(split_corpus):
    d, sp = split_corpus
    res = evaluate_dir(d, MAPPING, runner=fake_pipeline, split="heldout")
    assert [x["document"] for x in res["per_document"]] == sp["heldout"][:2]
    assert res["heldout"] and "reserved_unseen_gold" not in res
    assert all(isinstance(v, int) for v in res["misses"].values())
    assert res["misses"]["false_positives"] == 2
    assert all("texts" not in v for v in res["excluded_summary"].values())
    from pipeline.evaluate.report import tables
    out = tables(res)
    assert "counts only" in out and "Missed corpus spans" not in out
    json.dumps(res)
