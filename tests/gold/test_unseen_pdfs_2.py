"""The second unseen PDF gold set (gold/unseen-pdfs-2/): each gold builds, validates and is
self-consistent, and the pipeline's end-to-end score on it stays at or above its measured score.

First score (gold committed at 978f79d before any pipeline run; code = main 937d45c), pooled over
the five PDFs: entities strict F1 0.714, lenient F1 0.714, normalization 0.914, relations F1
0.100, records F1 0.143 (1/0/12), CER 0.0126 (gold/unseen-pdfs-2/FIRST_SCORE.md). Floors sit
just below the score of the current code; they only go up. The PDFs live in ../shared; the
end-to-end tests skip without it.
"""
from __future__ import annotations

import json

import pytest

from ..conftest import GOLD, SHARED
from .goldsets import check_document, check_floors, check_pdf_sha, load

UNSEEN = GOLD / "unseen-pdfs-2"
FOLDERS = sorted(p.parent for p in UNSEEN.glob("*/meta.json"))
builder = load("build", "_2")  # one builder and one scorer for every gold set
scorer = load("score", "_2")


def test_five_golds():
    assert [f.name for f in FOLDERS] == ["acalculous-cholecystitis", "infected-tha-revision",
                                          "polyacrylamide-embolism", "silicone-embolism",
                                          "stent-graft-infection"]
    assert "unseen-pdfs-2" in scorer.SETS  # python gold/score.py unseen-pdfs-2
    from pipeline.evaluate.summary import gold_status  # the held-out table lists it as held-out
    assert gold_status("gold/unseen-pdfs-2") == "held-out"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_gold_rebuilds_identically(folder):
    committed = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    assert builder.build_folder(folder) == committed


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_gold_is_a_valid_consistent_document(folder):
    check_document(folder, cases=("1", "2", None))  # two of the reports have two patients


def test_set_sizes():
    """48 entities and 13 records (README); the two-patient reports carry cases 1 and 2."""
    docs = {f.name: json.loads((f / "gold.json").read_text(encoding="utf-8")) for f in FOLDERS}
    assert sum(len(d["entities"]) for d in docs.values()) == 48
    assert sum(len(d["records"]) for d in docs.values()) == 13
    assert docs["polyacrylamide-embolism"]["entities"] == []  # precision-only document
    tha = [r["case"] for r in docs["infected-tha-revision"]["records"]]
    assert tha.count(None) == 4 and tha.count("1") == 4 and tha.count("2") == 4
    cases = {s["title"]: s["case"] for s in docs["silicone-embolism"]["sections"]}
    assert cases["2.1. Clinical Case #1."] == "1" and cases["2.2. Clinical Case #2."] == "2"


def test_source_sha_matches_the_pdf(shared):
    check_pdf_sha(FOLDERS, shared)


def test_score_table_reads_a_document_without_gold_entities():
    """A document whose gold is empty scores precision only: its normalization cell is '-'."""
    assert scorer._norm({}) == "-"
    assert scorer._norm({"micro": {"accuracy": 0.0, "correct": 0, "matched": 0}}) == "-"
    assert scorer._norm({"micro": {"accuracy": 0.5, "correct": 1, "matched": 2}}) == "0.500"


# ---- end to end from the PDFs: the measured score is a floor
FLOORS = {  # per document: entities lenient F1, records F1, CER ceiling (current code, with margin)
    "acalculous-cholecystitis": (0.66, 0.99, 0.001),  # 1.000 at 937d45c; a ROUTE fp since
    "infected-tha-revision": (0.64, 0.0, 0.015),      # CER 0.0499 at 937d45c, 0.0104 now
    "polyacrylamide-embolism": (0.0, 0.0, 0.001),     # empty gold; a spurious record since 274bfae
    "silicone-embolism": (0.83, 0.99, 0.001),
    "stent-graft-infection": (0.90, 0.99, 0.005),     # CER 0.0248 at 937d45c, 0.0029 now
}
# first score (main 937d45c): strict 0.714, lenient 0.714, norm 0.914, relations 0.100,
# records 0.143 (1/0/12), CER 0.0126; main 274bfae: 0.707, 0.707, 0.914, 0.095, records 0.133
# (1/1/12), CER 0.0023. Floors just below the current code's figures; they only go up.
POOLED = {"strict": 0.70, "lenient": 0.70, "norm": 0.90, "relations": 0.09, "records": 0.13,
          "cer": 0.003}


def test_end_to_end_floors():
    if not (SHARED / "pdfs" / "unlabeled").is_dir():
        pytest.skip("../shared is not present")
    check_floors(scorer.score("unseen-pdfs-2", shared=SHARED), FLOORS, POOLED)
