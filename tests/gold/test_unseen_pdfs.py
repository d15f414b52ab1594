"""The unseen PDF golds (gold/unseen-pdfs/): each builds, validates and is self-consistent, and the
pipeline's end-to-end score on them stays at or above its first score (issues 12/13).

First score, measured 2026-11-30 on branch goldpdf at 0b85c44 (= main 3199f1e, untuned), pooled
over the five PDFs: entities strict F1 0.773, lenient F1 0.820, normalization 0.943, relations
F1 0.773, records F1 0.571 (P 0.625, R 0.526), CER 0.0001. Floors sit just below; they only go up.
The PDFs live in ../shared; the end-to-end tests skip without it.
"""
from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from pipeline.datasets.export import validate

from ..conftest import GOLD, SHARED

UNSEEN = GOLD / "unseen-pdfs"
FOLDERS = sorted(p.parent for p in UNSEEN.glob("*/meta.json"))
SLOT_TYPES = {"drug": "DRUG", "dose": "DOSE", "unit": "UNIT", "frequency": "FREQUENCY",
              "route": "ROUTE", "regimen": "REGIMEN"}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"doseline_gold_{name}", GOLD / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


builder = _load("build")  # one builder and one scorer for every gold set
scorer = _load("score")


def test_five_golds():
    assert [f.name for f in FOLDERS] == ["oral-myiasis", "snhl-spinal-anesthesia",
                                          "sporotrichosis", "ssc-reflux-lung",
                                          "thyrotoxicosis-nerve-block"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_gold_rebuilds_identically(folder):
    committed = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    assert builder.build_folder(folder) == committed


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_gold_is_a_valid_consistent_document(folder):
    doc = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    validate(doc)
    text = doc["text"]
    assert text == (folder / "clean.txt").read_text(encoding="utf-8")
    ids = {}
    for e in doc["entities"]:
        assert text[e["start"]:e["end"]] == e["text"], e
        assert e["text"] == e["text"].strip() and "\n" not in e["text"], e
        assert e["id"] not in ids
        ids[e["id"]] = e["type"]
    spans = sorted((e["start"], e["end"]) for e in doc["entities"])
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])), "overlapping entities"
    assert doc["records"], "every unseen PDF prints at least one dose"
    for r in doc["records"]:
        for slot, typ in SLOT_TYPES.items():
            if r[slot] is not None:
                assert ids.get(r[slot]) == typ, (r["id"], slot)
        assert all(ids.get(x) == "DAY" for x in r["days"]), r["id"]
        assert all(ids.get(x) == "DATE" for x in r["dates"]), r["id"]
        assert r["case"] in ("1", None)
    for s in doc["sections"]:
        assert 0 <= s["start"] <= s["end"] <= len(text)


def test_source_sha_matches_the_pdf(shared):
    import hashlib
    for folder in FOLDERS:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        pdf = shared / meta["source"]["path"]
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == meta["source"]["sha256"], pdf


# ---- the checker refuses what it should (cases written for it, on a copy of one gold)
@pytest.fixture()
def scratch(tmp_path):
    dst = tmp_path / "sporotrichosis"
    shutil.copytree(UNSEEN / "sporotrichosis", dst)
    return dst


def _append(folder, row):
    with open(folder / "annotations.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("row, message", [
    ({"a": "[[Itraconazole]]", "e": [["DRUG", "itraconazole", None]]}, "occurs"),
    ({"a": "a [[3-week]] history", "e": [["DATE", "3 weeks", None]]}, "bad norm"),
    ({"a": "count was [[43]] [[cells/µL]].", "e": [["DOSE", 43, None], ["UNIT", "mg", None]]},
     "belongs to no record"),
    ({"a": "[[Amphotericin B]] is required", "e": [["DRUG", "amphotericin b", None]]},
     "overlapping"),
    ({"a": "[[Cryptococcus]] species", "e": [["DRUG", "cryptococcus", "d"]],
      "r": [{"drug": "d"}]}, "bare mention"),
])
def test_checker_rejects(scratch, row, message):
    _append(scratch, row)
    with pytest.raises(SystemExit, match=message):
        builder.build_folder(scratch)


@pytest.mark.parametrize("row, message", [
    ({"not": "[[Itraconazole]] is the drug of choice"}, "needs a 'why'"),
    ({"a": "commenced on [[Itraconazole]] 200", "e": [["DRUG", "itraconazole", "i"]],
      "r": [{"drug": "i", "dose": "nokey"}]}, "unknown key"),
    ({"case": "2", "a": "complained of general body [[malaise]]",
      "e": [["DRUG", "x", None]]}, "case 2 in section"),
    ({"a": "[[Itraconazole]] [[200]] [[mg]] once", "e": [["DRUG", "itraconazole", "i"],
      ["DOSE", 200, "d"], ["UNIT", "mg/L", "u"]]}, "bad norm"),
])
def test_checker_rejects_with_the_checks_of_every_builder(scratch, row, message):
    _append(scratch, row)
    with pytest.raises(SystemExit, match=message):
        builder.build_folder(scratch)


def test_report_source_hash_is_checked(tmp_path):
    dst = tmp_path / "report"
    shutil.copytree(GOLD / "fonc-2026-cd7-cart", dst)
    assert builder.build_folder(dst) == json.loads((dst / "gold.json").read_text(encoding="utf-8"))
    meta = json.loads((dst / "meta.json").read_text(encoding="utf-8"))
    meta["source"]["sha256"] = "0" * 64
    (dst / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(SystemExit, match="sha256"):
        builder.build_folder(dst)


def test_checker_requires_every_repeat_of_an_annotated_form(scratch):
    builder.build_folder(scratch)  # as committed: accepted
    text = (scratch / "clean.txt").read_text(encoding="utf-8")
    (scratch / "clean.txt").write_text(text.replace("is well established.",
                                                    "is well established with fluconazole."),
                                       encoding="utf-8")
    with pytest.raises(SystemExit, match="unannotated occurrence of DRUG form 'Fluconazole'"):
        builder.build_folder(scratch)


# ---- end to end from the PDFs: the first score is a floor
FLOORS = {  # per document: entities lenient F1, records F1 (latest measurement minus ~0.01;
    # first scores 0.857/0.333, 0.610/0.0, 0.909/0.5, 0.903/1.0, 0.889/0.833; branch recog:
    # 0.903/0.857, 0.987/0.545, 1.0/1.0, 0.966/1.0, 0.987/1.0; + records workstream, merged:
    # records 1.000 and 0.800)
    "oral-myiasis": (0.89, 0.99),
    "snhl-spinal-anesthesia": (0.98, 0.79),
    "sporotrichosis": (0.99, 0.99),
    "ssc-reflux-lung": (0.96, 0.99),
    "thyrotoxicosis-nerve-block": (0.98, 0.99),
}


@pytest.fixture(scope="module")
def scores():
    if not (SHARED / "pdfs" / "unlabeled").is_dir():
        pytest.skip("../shared is not present")
    return scorer.score("unseen-pdfs", shared=SHARED)


def test_per_document_floors(scores):
    for name, (ent_floor, rec_floor) in FLOORS.items():
        s = scores["documents"][name]["result"]
        lenient = s["entities"]["lenient"]["micro"]
        assert lenient["f1"] >= ent_floor, (name, lenient)
        assert s["records"]["f1"] >= rec_floor - 1e-9, (name, s["records"])
        assert s["text"]["cer"] <= 0.001, (name, s["text"])


def test_pooled_floors(scores):
    p = scores["pooled"]
    strict, lenient = p["entities"]["strict"]["micro"], p["entities"]["lenient"]["micro"]
    # first score: strict 0.773, lenient 0.820, norm 0.943, relations 0.773, records 0.571 (10/6/9);
    # after the recognition and linking work (no tuning on these): 0.815, 0.860, 0.947, 0.779,
    # records 0.649 (12/6/7); branch recog (route families, fluids, mixture volumes, frequency
    # forms): 0.936, 0.966, 0.946, 0.938, records 0.842 (16/3/3); merged with the records
    # workstream: relations 0.976, records 0.947 (18/1/1). Floors just below the latest
    # figures; they only go up.
    assert strict["f1"] >= 0.93, strict
    assert lenient["f1"] >= 0.96, lenient
    assert p["normalization"]["micro"]["accuracy"] >= 0.94, p["normalization"]
    assert p["relations"]["micro"]["f1"] >= 0.97, p["relations"]
    assert p["records"]["f1"] >= 0.94, p["records"]
    assert p["text"]["cer"] <= 0.0005 and p["text"]["cer_reading_order_free"] <= 0.0005, p["text"]
