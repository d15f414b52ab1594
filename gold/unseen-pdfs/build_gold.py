#!/usr/bin/env python3
"""Build and check gold.json for one hand-annotated PDF folder of gold/unseen-pdfs/.

This is the anchor-based builder of gold/fonc-2026-cd7-cart/build_gold.py generalised to take
the folder: everything that was a constant of that report (title, headings, which sections
belong to which patient, the source file) is read from the folder's meta.json, so one script
serves every report.

A folder holds:
  clean.txt          the hand-corrected reference text (one block per paragraph, blank line
                     between blocks; a table is one block with one row per line, cells " | ")
  annotations.jsonl  the annotation table (format below)
  meta.json          {"source": {"path", "sha256", "pages"}, "metadata": {...},
                      "headings": [...], "section_case": {heading: "1"}, "abbreviations": [[s, l]]}

annotations.jsonl: one JSON object per line (format and checks in ../gold_anchors.py, shared with
the report's builder).
  {"a": anchor, "e": [[TYPE, norm, key|null], ...], "r": [record...], "case": "1"}
    "a" is a string of clean.txt with each entity span marked [[like this]]; without the
    markers it must occur exactly once in the text, or "occ" gives the 0-based occurrence.
    Records name local keys of the same line: {"drug": k, "dose": k, "unit": k, "frequency": k,
    "route": k, "regimen": k, "days": [k], "dates": [k], "case": "1"|null}; case defaults to
    the line's "case".  "unlinked": [keys] exempts a DOSE/UNIT/FREQUENCY from the check that it
    belongs to a record (with "why").
  {"not": anchor, "why": reason, "occ": n}   a deliberate non-annotation of the marked span,
    exempt from the completeness check (every occurrence of an annotated DRUG, REGIMEN or
    ROUTE surface form must be covered by an entity or by a "not" line).
  {"comment": ...}   ignored.

Offsets are never typed: they are computed here and checked (text[start:end] == span).

Usage: python3 build_gold.py [FOLDER] [--check] [--out PATH]   (standard library only;
       without FOLDER every folder beside this script that has a meta.json)
"""
from __future__ import annotations

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from gold_anchors import (block_spans, check_complete, check_entities,  # noqa: E402
                          check_records, entities_out, fail, read_annotations,
                          records_out)

UNITS = {"mg/m2", "mg/kg", "{cells}/kg", "[iU]", "mg/m2/d", "mg", "g", "ug", "mL", "g/m2",
         "mg/d", "L/min", "ug/kg/min", "ug/kg/d", "mg/kg/d"}
ROUTES = {"intrathecal", "intravenous", "oral", "subcutaneous", "inhalation", "parenteral",
          "intramuscular", "topical", "rectal", "sublingual", "transdermal", "epidural"}
TYPES = ["DRUG", "REGIMEN", "DOSE", "UNIT", "DAY", "DATE", "FREQUENCY", "ROUTE"]

# DrugBank identifiers, only where known with confidence (optional per schema).
DRUGBANK = {
    "amiodarone": "DB01118", "amoxicillin": "DB01060", "amphotericin b": "DB00681",
    "ampicillin": "DB00415", "aspirin": "DB00945", "betahistine": "DB06698",
    "bupivacaine": "DB00297", "dexamethasone": "DB01234", "esmolol": "DB00187",
    "fentanyl": "DB00813", "fluconazole": "DB00196", "hydroxychloroquine": "DB01611",
    "ibuprofen": "DB01050", "itraconazole": "DB01167", "ivermectin": "DB00602",
    "lidocaine": "DB00281", "metronidazole": "DB00916", "midazolam": "DB00683",
    "mycophenolate mofetil": "DB00688", "nitrofurazone": "DB00336", "oxygen": "DB09140",
    "paracetamol": "DB00316", "povidone-iodine": "DB06789", "prednisone": "DB00635",
    "propranolol": "DB00571",
}



def build(folder):
    folder = os.path.abspath(folder)
    meta = json.load(open(os.path.join(folder, "meta.json"), encoding="utf-8"))
    text = open(os.path.join(folder, "clean.txt"), encoding="utf-8").read()

    # ---- text conventions (shared/pdfs/gold/README.md)
    if not text.endswith("\n") or text.endswith("\n\n"):
        fail("clean.txt must end with exactly one newline")
    if "\n\n\n" in text or re.search(r"[ \t]\n", text) or "\r" in text or "  " in text:
        fail("clean.txt: bad blank lines, double or trailing spaces")
    if "\ufffe" in text or "\u00ad" in text:
        fail("clean.txt: soft hyphen left in the text")
    blocks = block_spans(text)
    block_text = [text[s:e] for s, e in blocks]
    for (s, e), b in zip(blocks, block_text):
        if "\n" in b and " | " not in b:
            fail(f"block at {s} spans several lines but is not a table")
    headings = meta["headings"]
    if [b for b in block_text if b in headings] != headings:
        fail("headings missing, repeated or out of order")
    heading_blocks = [blk for blk, b in zip(blocks, block_text) if b in headings]

    label = f"{os.path.basename(folder)}/annotations.jsonl"
    ents, recs, not_spans, unlinked = read_annotations(
        os.path.join(folder, "annotations.jsonl"), text, UNITS, ROUTES, DRUGBANK, label)
    if any("\n" in e["text"] for e in ents):
        fail("an entity crosses a line (table row)")
    check_entities(ents, blocks, heading_blocks)
    check_records(recs, ents, text, unlinked)
    check_complete(text, ents, heading_blocks, not_spans, ("DRUG", "REGIMEN", "ROUTE"))

    # ---- sections: the abstract, then one per heading (flat, heading to end of last block)
    sections = [{"title": "Abstract", "start": blocks[1][0], "end": blocks[1][1], "case": None}]
    section_case = meta.get("section_case", {})
    for i, (s, t) in enumerate(heading_blocks):
        end = heading_blocks[i + 1][0] - 2 if i + 1 < len(heading_blocks) else len(text) - 1
        sections.append({"title": text[s:t], "start": s, "end": end,
                         "case": section_case.get(text[s:t])})

    # ---- abbreviations defined in the text, each pair checked to occur
    abbreviations = []
    for short, long in meta.get("abbreviations", []):
        if short not in text or long not in text:
            fail(f"abbreviation pair not in text: {short!r} / {long!r}")
        abbreviations.append({"short": short, "long": long})

    src = meta["source"]
    doc = {
        "schema": "doseline.document/1",
        "source": {"path": src["path"], "sha256": src["sha256"], "format": "pdf",
                   "pages": src["pages"]},
        "metadata": meta["metadata"],
        "text": text,
        "sections": sections,
        "entities": entities_out(ents),
        "records": records_out(recs),
        "repairs": [],
        "back_matter": [],
        "abbreviations": abbreviations,
    }
    for e in doc["entities"]:
        assert doc["text"][e["start"]:e["end"]] == e["text"], e
    return doc


def summary(doc):
    counts = {t: 0 for t in TYPES}
    for e in doc["entities"]:
        counts[e["type"]] += 1
    cases = {}
    for r in doc["records"]:
        cases[str(r["case"])] = cases.get(str(r["case"]), 0) + 1
    return counts, cases


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if "--out" in argv:
        out = argv[argv.index("--out") + 1]
        args = [a for a in args if a != out]
    if not args:  # every folder next to this script
        here = os.path.dirname(os.path.abspath(__file__))
        for name in sorted(os.listdir(here)):
            if os.path.exists(os.path.join(here, name, "meta.json")):
                main([os.path.join(here, name)] + [a for a in argv if a == "--check"])
        return
    folder = args[0]
    if "--out" not in argv:
        out = os.path.join(folder, "gold.json")
    doc = build(folder)
    counts, cases = summary(doc)
    print(os.path.basename(os.path.abspath(folder)), "entities:", len(doc["entities"]), counts,
          "records:", len(doc["records"]), cases)
    if "--check" not in argv:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1:])
