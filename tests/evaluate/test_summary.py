"""The seen vs held-out summary: gold discovery, which sets are held-out, where a gold's input
is found, and the tables from a result (no pipeline run)."""
from __future__ import annotations

import json

from pipeline.evaluate import summary
from pipeline.evaluate.records import CLASSES


def test_discovers_golds_at_any_depth(tmp_path):
    for p in ("report/gold.json", "unseen-texts/1/gold.json", "unseen-texts/2/gold.json",
              "unseen-pdfs/a/b/gold.json"):
        (tmp_path / p).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / p).write_text("{}")
    (tmp_path / "report" / "other.json").write_text("{}")
    sets = summary.discover_golds(tmp_path)
    assert {k: len(v) for k, v in sets.items()} == {
        "gold/report": 1, "gold/unseen-pdfs": 1, "gold/unseen-texts": 2}


def test_lists_golds_not_built(tmp_path):
    for p in ("unseen-texts/1/annotations.jsonl", "unseen-texts/2/annotations.jsonl",
              "unseen-texts/2/gold.json"):
        (tmp_path / "gold" / p).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "gold" / p).write_text("{}")
    assert summary.unbuilt_golds(tmp_path / "gold") == ["gold/unseen-texts/1"]


def test_heldout_sets_are_the_unseen_ones_until_a_round_reads_them(tmp_path):
    # by name when gold/sets.json does not list a set
    none = tmp_path / "none.json"
    assert summary.gold_status("gold/unseen-pdfs-9", none) == "held-out"
    assert summary.gold_status("gold/Unseen_texts", none) == "held-out"
    assert summary.gold_status("gold/fonc-2026-cd7-cart", none) == "seen"
    # the table says otherwise once a set's misses were read
    table = tmp_path / "sets.json"
    table.write_text(json.dumps({"sets": {"gold/unseen-pdfs": {"status": "dev"}}}))
    assert summary.gold_status("gold/unseen-pdfs", table) == "dev"
    assert summary.gold_status("gold/unseen-pdfs-2", table) == "held-out"
    # the repository's own table: the round-2 sets are dev now, the report is seen
    assert summary.gold_status("gold/unseen-pdfs") == "dev" and not summary.is_heldout("gold/unseen-texts")
    assert summary.gold_status("gold/fonc-2026-cd7-cart") == "seen"


def test_gold_input(tmp_path, monkeypatch):
    d = tmp_path / "g"
    d.mkdir()
    (d / "gold.json").write_text("{}")
    assert summary.gold_input(d / "gold.json", {}) is None
    shared = tmp_path / "shared"
    (shared / "corpora").mkdir(parents=True)
    (shared / "corpora" / "x.txt").write_text("text")
    monkeypatch.setenv("DOSELINE_SHARED", str(shared))
    assert summary.gold_input(d / "gold.json", {"source": {"path": "corpora/x.txt"}}) == \
        shared / "corpora" / "x.txt"
    (d / "source.txt").write_text("text")  # beside the gold wins
    assert summary.gold_input(d / "gold.json", {"source": {"path": "corpora/x.txt"}}) == d / "source.txt"


def _prf(f):
    return {"precision": f, "recall": f, "f1": f, "tp": 1, "fp": 0, "fn": 0}


def test_tables_from_a_result():
    gold = {"heldout": True, "documents": 2, "strict": _prf(0.5), "lenient": _prf(0.75),
            "normalization": 0.9, "relations": _prf(0.6), "records": _prf(0.4),
            "record_errors": {"counts": {c: i for i, c in enumerate(CLASSES)}, "slots": {}}}
    half = {"documents": 3, **{t: {"f1": 0.8, "precision": 1, "recall": 1, "gold": 5}
                               for t in summary.MACCROBAT_ROWS + summary.MACCROBAT_RELS}}
    ph = {"sentences": 9, **{f"{t} recall": 0.7 for t in summary.PHEE_ENTS},
          **{t: {"f1": 0.6, "recall": 0.5, "precision": 0.75, "gold": 4} for t in summary.PHEE_RELS}}
    res = {"golds": {"gold/unseen-x": gold}, "maccrobat": {"tune": half, "heldout": half},
           "phee": {"tune": ph, "test": ph}}
    text = summary.tables(res)
    assert "gold/unseen-x" in text and "held-out" in text and "0.750" in text
    assert "wrong drug" in text and "DRUG->FREQUENCY" in text and "Drug-Route F1" in text
    json.dumps(res)  # the --json output is plain JSON


def test_score_documents_end_to_end(tmp_path):
    """A gold made from the pipeline's own output scores 1.000; the same gold without the route
    of its record makes that record an 'extra attribute' miss."""
    from pipeline.datasets.export import to_dict
    from pipeline.run import run_text
    text = "The patient received cyclophosphamide 500 mg intravenously on day 1.\n"
    gold = to_dict(run_text(text))
    assert gold["records"] and gold["records"][0]["route"]
    for name, g in (("same", gold), ("noroute", {**gold, "records": [
            {**gold["records"][0], "route": None}] + gold["records"][1:]})):
        d = tmp_path / "unseen-x" / name
        d.mkdir(parents=True)
        (d / "source.txt").write_text(text, encoding="utf-8")
        (d / "gold.json").write_text(json.dumps(g), encoding="utf-8")
    pairs = [(g, summary.gold_input(g, {})) for g in sorted((tmp_path / "unseen-x").rglob("gold.json"))]
    res = summary.score_documents(pairs)
    assert res["documents"] == 2 and res["lenient"]["f1"] == 1.0
    assert res["records"]["tp"] == len(gold["records"]) * 2 - 1
    assert res["record_errors"]["counts"]["extra attribute"] == 1
    assert res["record_errors"]["slots"] == {"extra attribute: route": 1}
