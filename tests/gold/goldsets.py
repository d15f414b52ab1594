"""Checks shared by the tests of the unseen PDF gold sets (gold/unseen-pdfs, gold/unseen-pdfs-2):
one loader of the gold tools and one consistency check of a committed gold document, so that
each set's test file only states what is particular to its set (names, sizes, floors)."""
from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

from pipeline.datasets.export import validate

from ..conftest import GOLD

SLOT_TYPES = {"drug": "DRUG", "dose": "DOSE", "unit": "UNIT", "frequency": "FREQUENCY",
              "route": "ROUTE", "regimen": "REGIMEN"}


def load(name: str, tag: str = ""):
    """gold/<name>.py as a module (build, score: one builder and one scorer for every set)."""
    spec = importlib.util.spec_from_file_location(f"doseline_gold_{name}{tag}", GOLD / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_document(folder: Path, cases=("1", None)) -> dict:
    """The committed gold.json of a clean-text folder validates, equals clean.txt, has exact,
    non-overlapping spans, unique ids, records whose slots point at entities of the right type
    and a case among ``cases``, and sections inside the text. Returns the document."""
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
    for r in doc["records"]:
        for slot, typ in SLOT_TYPES.items():
            if r[slot] is not None:
                assert ids.get(r[slot]) == typ, (r["id"], slot)
        assert all(ids.get(x) == "DAY" for x in r["days"]), r["id"]
        assert all(ids.get(x) == "DATE" for x in r["dates"]), r["id"]
        assert r["case"] in cases, r
    for s in doc["sections"]:
        assert 0 <= s["start"] <= s["end"] <= len(text)
    return doc


def check_pdf_sha(folders, shared: Path):
    """Each folder's meta.json names the PDF of ../shared the annotations were made on."""
    for folder in folders:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        pdf = shared / meta["source"]["path"]
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == meta["source"]["sha256"], pdf


def check_floors(scores: dict, per_document: dict, pooled: dict):
    """End-to-end floors of a scored set (gold/score.py ``score()``): per document
    ``{name: (entities lenient F1, records F1, CER ceiling)}``; pooled ``{"strict", "lenient",
    "norm", "relations", "records": floor, "cer": ceiling}``. Floors only go up."""
    for name, (ent_floor, rec_floor, cer_ceiling) in per_document.items():
        s = scores["documents"][name]["result"]
        lenient = s["entities"]["lenient"]["micro"]
        assert lenient["f1"] >= ent_floor, (name, lenient)
        assert s["records"]["f1"] >= rec_floor - 1e-9, (name, s["records"])
        assert s["text"]["cer"] <= cer_ceiling, (name, s["text"])
    p = scores["pooled"]
    got = {"strict": p["entities"]["strict"]["micro"]["f1"],
           "lenient": p["entities"]["lenient"]["micro"]["f1"],
           "norm": p["normalization"]["micro"]["accuracy"],
           "relations": p["relations"]["micro"]["f1"], "records": p["records"]["f1"]}
    for key, floor in pooled.items():
        if key == "cer":
            assert p["text"]["cer"] <= floor and p["text"]["cer_reading_order_free"] <= floor, p["text"]
        else:
            assert got[key] >= floor, (key, got[key], p)
