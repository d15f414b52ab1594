#!/usr/bin/env python3
"""Build and check the gold document (gold.json) of every gold folder: one command, one builder.

A gold folder holds ``annotations.jsonl`` (anchor form, parsed and checked by gold_anchors.py)
and ``meta.json`` (what used to be constants of per-report scripts), in one of two kinds:

- **clean text** (``clean.txt`` present: ``gold/fonc-2026-cd7-cart/``, ``gold/unseen-pdfs/*/``):
  the hand-corrected reference text, one block per paragraph, a blank line between blocks, a
  table one block with one row per line (cells " | "). ``meta.json``: ``source`` {path (under
  the repository when it starts with "gold/", else under ../shared), sha256, format, pages},
  ``metadata``, ``headings`` (in order), ``section_case`` {heading: case}, ``abbreviations``
  [[short, long]], ``glossary`` (true: exactly one "Abbreviations: " block, parsed). The text
  conventions of shared/pdfs/gold/README.md are checked; headings, "FIGURE n" labels and the
  glossary hold no entity; sections run from a heading to the next; DRUG entities get the
  DrugBank ids of drugbank.csv. The source's sha256 is checked whenever the file is present
  (the PDFs of ../shared may be absent: gold.json is committed).
- **shared text** (no clean.txt: ``gold/unseen-texts/<id>/``): the text is third-party data that
  is never committed. ``meta.json`` names it relative to ``../shared`` with its sha256; the text
  is read there, refused when its hash differs, and gold.json is written next to the annotations
  (git-ignored). One sentence per line: every line is a block.

Usage: python gold/build.py [FOLDER ...] [--check] [--out PATH] [--shared PATH]
       FOLDER: a gold folder, or a folder of them (gold/unseen-pdfs); default every gold folder.
       --check builds and checks without writing; --out writes one folder's document to PATH.
Standard library only.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from gold_anchors import (TYPES, GoldError, check_case_sections, check_complete,  # noqa: E402,F401
                          check_entities, check_records, entities_json, fail,
                          parse_annotations, records_json)


def shared_root(shared=None) -> Path:
    return Path(shared or os.environ.get("DOSELINE_SHARED") or ROOT.parent / "shared")


def drugbank() -> dict:
    with open(HERE / "drugbank.csv", encoding="utf-8") as f:
        return {r["norm"]: r["drugbank"]
                for r in csv.DictReader(line for line in f if not line.startswith("#"))}


def read_source(path, sha256, shared=None, required=True):
    """The bytes of a gold's source, refused when its sha256 differs; None when absent and not
    ``required``."""
    src = ROOT / path if path.startswith("gold/") else shared_root(shared) / path
    if not src.is_file():
        if required:
            fail(f"source {src} not found (is ../shared present?)")
        return None
    data = src.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if sha256 is not None and digest != sha256:
        fail(f"{src} has sha256 {digest}, the annotations were made on {sha256}")
    return data


def block_spans(text, sep="\n\n"):
    """(start, end) of every block of the text: paragraphs (sep "\\n\\n") or lines ("\\n")."""
    spans, pos = [], 0
    for block in text[:-1].split(sep) if sep == "\n\n" else text.split(sep):
        spans.append((pos, pos + len(block)))
        pos += len(block) + len(sep)
    return spans


def check_clean_text(text):
    """The conventions of shared/pdfs/gold/README.md a clean.txt must meet."""
    if not text.endswith("\n") or text.endswith("\n\n"):
        fail("clean.txt must end with exactly one newline")
    if "\n\n\n" in text or re.search(r"[ \t]\n", text) or "\r" in text or "  " in text:
        fail("clean.txt: bad blank lines, double or trailing spaces")
    if "\ufffe" in text or "\u00ad" in text:
        fail("clean.txt: soft hyphen left in the text")


def build_clean(folder: Path, meta: dict, shared=None) -> dict:
    """The gold document of a clean-text folder (the report, an unseen PDF)."""
    text = (folder / "clean.txt").read_text(encoding="utf-8")
    check_clean_text(text)
    blocks = block_spans(text)
    block_text = [text[s:e] for s, e in blocks]
    for (s, e), b in zip(blocks, block_text):
        if "\n" in b and " | " not in b:
            fail(f"block at {s} spans several lines but is not a table")
    headings = meta["headings"]
    if [b for b in block_text if b in headings] != headings:
        fail("headings missing, repeated or out of order")
    heads = [blk for blk, b in zip(blocks, block_text) if b in headings]
    figures = [blk for blk, b in zip(blocks, block_text) if re.fullmatch(r"FIGURE \d", b)]
    glossary = [blk for blk, b in zip(blocks, block_text) if b.startswith("Abbreviations: ")]
    if len(glossary) != (1 if meta.get("glossary") else 0):
        fail(f"{len(glossary)} glossary blocks, meta.json says glossary={meta.get('glossary')}")

    src = meta["source"]
    data = read_source(src["path"], src.get("sha256"), shared,
                       required=src["path"].startswith("gold/"))
    lines = (folder / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    ents, recs, not_spans = parse_annotations(text, lines, f"{folder.name}/annotations.jsonl",
                                              drugbank())
    excluded = heads + figures + glossary
    check_entities(ents, blocks, excluded)
    check_records(text, ents, recs)
    check_complete(text, ents, not_spans, excluded)

    # sections: the abstract, then one per heading (flat, heading to end of its last block)
    sections = [{"title": "Abstract", "start": blocks[1][0], "end": blocks[1][1], "case": None}]
    for i, (s, t) in enumerate(heads):
        end = heads[i + 1][0] - 2 if i + 1 < len(heads) else len(text) - 1
        sections.append({"title": text[s:t], "start": s, "end": end,
                         "case": meta.get("section_case", {}).get(text[s:t])})
    check_case_sections(ents, sections, blocks, text)

    # abbreviations: the glossary's, then those defined in the text (each pair checked)
    abbreviations, seen = [], set()
    for s, t in glossary:
        for item in text[s:t][len("Abbreviations: "):].rstrip(".").split("; "):
            short, long = item.split(", ", 1)
            abbreviations.append({"short": short, "long": long})
            seen.add(short)
    for short, long in meta.get("abbreviations", []):
        if short not in text or long not in text:
            fail(f"abbreviation pair not in text: {short!r} / {long!r}")
        if short not in seen:
            abbreviations.append({"short": short, "long": long})
            seen.add(short)

    fmt = src.get("format") or ("pdf" if src["path"].endswith(".pdf") else "text")
    if src.get("sha256") is None and data is None:
        fail(f"{folder.name}: meta.json gives no sha256 and the source is absent")
    sha = src.get("sha256") or hashlib.sha256(data).hexdigest()
    return document({"path": src["path"], "sha256": sha, "format": fmt,
                     "pages": src.get("pages")}, meta["metadata"], text, sections, ents, recs,
                    abbreviations)


def build_shared_text(folder: Path, meta: dict, shared=None) -> dict:
    """The gold document of a folder whose text is read from ../shared (one sentence a line)."""
    text = read_source(meta["source"], meta["sha256"], shared).decode("utf-8")
    lines = (folder / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    ents, recs, not_spans = parse_annotations(text, lines, f"{folder.name}/annotations.jsonl")
    blocks = block_spans(text, "\n")
    check_entities(ents, blocks)
    check_records(text, ents, recs)
    check_complete(text, ents, not_spans)
    sections = [{"title": meta.get("section", "Case report"), "start": 0,
                 "end": len(text.rstrip("\n")), "case": meta.get("case")}]
    check_case_sections(ents, sections, blocks, text)
    return document({"path": meta["source"], "sha256": meta["sha256"], "format": "text",
                     "pages": None}, meta.get("metadata", {}), text, sections, ents, recs,
                    meta.get("abbreviations", []))


def document(source, metadata, text, sections, ents, recs, abbreviations) -> dict:
    doc = {"schema": "doseline.document/1", "source": source, "metadata": metadata,
           "text": text, "sections": sections, "entities": entities_json(ents),
           "records": records_json(recs), "repairs": [], "back_matter": [],
           "abbreviations": abbreviations}
    for e in doc["entities"]:  # final self-check on the serialised form
        assert text[e["start"]:e["end"]] == e["text"], e
    return doc


def build_folder(folder, shared=None) -> dict:
    """The checked gold document of one gold folder, of either kind."""
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if (folder / "clean.txt").is_file():
        return build_clean(folder, meta, shared)
    return build_shared_text(folder, meta, shared)


def folders(root=HERE) -> list[Path]:
    """The gold folders at or below ``root`` (a gold folder, a set of them, or gold/)."""
    root = Path(root).resolve()
    if (root / "meta.json").is_file() and (root / "annotations.jsonl").is_file():
        return [root]
    found = [p.parent for pat in ("*/annotations.jsonl", "*/*/annotations.jsonl")
             for p in root.glob(pat) if (p.parent / "meta.json").is_file()]
    return sorted(found)


def summary(doc) -> str:
    counts = {}
    for e in doc["entities"]:
        counts[e["type"]] = counts.get(e["type"], 0) + 1
    cases = {}
    for r in doc["records"]:
        cases[r["case"]] = cases.get(r["case"], 0) + 1
    return (f"entities {len(doc['entities'])} {{{', '.join(f'{t}: {counts.get(t, 0)}' for t in TYPES)}}}"
            f"; records {len(doc['records'])} {cases}")


def write_json(doc, out):
    """Write a gold document the way every gold.json is written (UTF-8, indent 1, final newline)."""
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return out


def _option(args, name):
    if name not in args:
        return None
    i = args.index(name)
    if i + 1 >= len(args):
        fail(f"{name} needs a path")
    value = args[i + 1]
    del args[i:i + 2]
    return value


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    write = "--check" not in args
    shared, out = _option(args, "--shared"), _option(args, "--out")
    targets = [f for a in args if not a.startswith("--") for f in folders(a)] \
        if any(not a.startswith("--") for a in args) else folders()
    if out and len(targets) != 1:
        fail("--out goes with exactly one folder")
    for folder in targets:
        doc = build_folder(folder, shared)
        print(f"{folder.relative_to(HERE) if folder.is_relative_to(HERE) else folder}: "
              f"{summary(doc)}")
        if write:
            print("  wrote", write_json(doc, out or folder / "gold.json"))


if __name__ == "__main__":
    main()
