#!/usr/bin/env python3
"""Build gold documents from annotations written in anchor form, for any gold folder.

Why anchors: nobody types an offset. Every entity is located through an anchor string of
``annotations.jsonl`` in which its span is marked ``[[like this]]``; with the markers removed the
anchor must occur exactly once in the text (or ``"occ"`` selects the 0-based occurrence). The
builder computes the offsets, then checks what a reviewer would check by hand: spans equal the
text, no outer spaces or punctuation, no overlaps, norms in the schema's formats, records that
reference entities of the right type, no bare-mention record, every DOSE/UNIT/FREQUENCY used by a
record, and every repeat of an annotated DRUG/REGIMEN surface form covered (completeness).

Two kinds of folder use it:
- ``gold/fonc-2026-cd7-cart/``: its own ``build_gold.py`` adds that report's headings, glossary
  and sections on top of :func:`parse_annotations` and :func:`check`;
- a folder with ``meta.json`` (``gold/unseen-texts/<id>/``): the text is third-party data that is
  never committed. ``meta.json`` names it relative to ``../shared`` with its sha256; the builder
  reads it there, refuses a text whose hash differs, and writes ``gold.json`` next to the
  annotations (git-ignored). The text is one sentence per line; every line is a block.

Usage: python gold/build.py [FOLDER ...] [--check] [--shared PATH]
       (default: every gold/unseen-texts/*/ folder; --check builds without writing)
Standard library only.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
UNSEEN = HERE / "unseen-texts"

TYPES = ["DRUG", "REGIMEN", "DOSE", "UNIT", "DAY", "DATE", "FREQUENCY", "ROUTE"]
# ROUTE norms: the schema's table and its "route norms beyond the table".
ROUTES = {"intrathecal", "intravenous", "oral", "subcutaneous", "inhalation", "parenteral",
          "intramuscular", "topical", "rectal", "sublingual", "transdermal"}
# UCUM-style unit: atoms (mg, g, kg, m2, L, d, h, min, mo, wk, [iU], {cells}, {AUC}) joined by
# "/" or ".", with an optional numeric prefix per atom and parentheses ("mg/kg/(12.h)").
UNIT_ATOM = r"(?:\d*(?:ug|mg|g|kg|ng|m2|mL|L|d|h|min|mo|wk|m\[iU\]|M\[iU\]|\[iU\]|\{[a-zA-Z]+\}))"
UNIT_RE = re.compile(rf"{UNIT_ATOM}(?:[/.](?:{UNIT_ATOM}|\({UNIT_ATOM}(?:\.{UNIT_ATOM})*\)))*")
SLOT_TYPES = {"drug": "DRUG", "dose": "DOSE", "unit": "UNIT", "frequency": "FREQUENCY",
              "route": "ROUTE", "regimen": "REGIMEN"}
LIST_SLOT_TYPES = {"days": "DAY", "dates": "DATE"}
RECORD_SLOTS = set(SLOT_TYPES) | set(LIST_SLOT_TYPES) | {"case"}
MARK = re.compile(r"\[\[(.+?)\]\]")


class GoldError(SystemExit):
    """A gold folder that does not build; the message names the file and line."""


def fail(msg):
    raise GoldError(f"build_gold: {msg}")


def find_all(text, s):
    out, i = [], text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def norm_ok(etype, norm):
    """Is ``norm`` in the schema's format for ``etype``?"""
    num = (int, float)
    if etype == "DRUG":
        return isinstance(norm, str) and norm == norm.lower() and norm.strip() == norm and norm
    if etype == "REGIMEN":
        return isinstance(norm, str) and "  " not in norm and norm.strip() == norm and norm
    if etype == "DOSE":
        if isinstance(norm, list):
            return (len(norm) == 2 and all(isinstance(x, num) and not isinstance(x, bool)
                                           for x in norm) and norm[0] < norm[1])
        return isinstance(norm, num) and not isinstance(norm, bool)
    if etype == "UNIT":
        return isinstance(norm, str) and UNIT_RE.fullmatch(norm) is not None
    if etype == "DAY":
        return (isinstance(norm, list) and bool(norm) and all(type(x) is int for x in norm)
                and norm == sorted(set(norm)))
    if etype == "DATE":
        return isinstance(norm, str) and re.fullmatch(r"(\d{4}|-)-\d{2}(-\d{2})?", norm) is not None
    if etype == "FREQUENCY":
        return isinstance(norm, str) and re.fullmatch(r"q\d+(h|d|w|mo)", norm) is not None
    if etype == "ROUTE":
        return norm in ROUTES
    return False


def parse_annotations(text, lines, name="annotations.jsonl"):
    """Entities, records and deliberate non-annotations from the lines of an annotation table.

    Entities are dicts (type, start, end, text, norm, _case); records hold entity dicts in their
    slots and ``_line``; an entity named in a line's ``"norec": {key: why}`` may stay outside
    every record (a DOSE/UNIT/FREQUENCY restated); ``not_spans`` are (start, end) of ``{"not": ..., "why": ...}`` lines.
    """
    ents, recs, not_spans = [], [], []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = json.loads(line)
        where = f"{name}:{lineno}"
        if "not" in row:  # a deliberate non-annotation, exempt from the completeness check
            plain = MARK.sub(lambda m: m.group(1), row["not"])
            hits = find_all(text, plain)
            m = MARK.search(row["not"])
            occ = row.get("occ")
            if (occ is None and len(hits) != 1) or (occ is not None and len(hits) <= occ) \
                    or m is None or not row.get("why"):
                fail(f"{where}: 'not' anchor must occur once (or have 'occ'), mark a span and"
                     " give 'why'")
            base = hits[occ or 0]
            not_spans.append((base + m.start(), base + m.start() + len(m.group(1))))
            continue
        if "a" not in row:
            continue
        marked = row["a"]
        plain = MARK.sub(lambda m: m.group(1), marked)
        hits = find_all(text, plain)
        occ = row.get("occ")
        if occ is None:
            if len(hits) != 1:
                fail(f"{where}: anchor occurs {len(hits)} times: {plain!r}")
            base = hits[0]
        else:
            if len(hits) <= occ:
                fail(f"{where}: anchor has no occurrence {occ}: {plain!r}")
            base = hits[occ]
        specs = row["e"]
        marks = list(MARK.finditer(marked))
        if len(marks) != len(specs):
            fail(f"{where}: {len(marks)} marked spans but {len(specs)} entity specs")
        local = {}
        shift = 0  # characters of markers before the current mark
        for m, spec in zip(marks, specs):
            etype, norm = spec[0], spec[1]
            key = spec[2] if len(spec) > 2 else None
            start = base + m.start() - shift
            span = m.group(1)
            end = start + len(span)
            shift += 4
            if text[start:end] != span:
                fail(f"{where}: offset mismatch for {span!r}")
            if etype not in TYPES:
                fail(f"{where}: bad type {etype}")
            if not norm_ok(etype, norm):
                fail(f"{where}: bad norm {norm!r} for {etype} {span!r}")
            if span != span.strip() or span[-1] in ",;:" or span[0] in ",;:(":
                fail(f"{where}: span has outer space/punctuation: {span!r}")
            ent = {"type": etype, "start": start, "end": end, "text": span, "norm": norm,
                   "_case": row.get("case"), "_line": lineno}
            ents.append(ent)
            if key is not None:
                if key in local:
                    fail(f"{where}: duplicate key {key}")
                local[key] = ent
        for k, why in row.get("norec", {}).items():
            if k not in local or not why:
                fail(f"{where}: 'norec' names unknown key {k!r} or gives no reason")
            local[k]["_norec"] = why
        for r in row.get("r", []):
            unknown = set(r) - RECORD_SLOTS
            if unknown:
                fail(f"{where}: unknown record slots {unknown}")
            rec = {"_line": lineno}
            for slot in SLOT_TYPES:
                k = r.get(slot)
                if k is not None and k not in local:
                    fail(f"{where}: record names unknown key {k!r}")
                rec[slot] = local[k] if k is not None else None
            for slot in LIST_SLOT_TYPES:
                if any(k not in local for k in r.get(slot, [])):
                    fail(f"{where}: record names an unknown key in {slot}")
                rec[slot] = [local[k] for k in r.get(slot, [])]
            rec["case"] = r.get("case", row.get("case"))
            recs.append(rec)
    return ents, recs, not_spans


def check(text, ents, recs, not_spans, blocks, excluded=(), cases=("1", "2", None)):
    """Check entities and records, give entities ids T1.. in text order, sort the records.

    ``blocks``: (start, end) of the paragraphs an entity may not cross; ``excluded``: spans that
    hold no entity (headings, a glossary)."""
    ents.sort(key=lambda e: (e["start"], e["end"]))
    for a, b in zip(ents, ents[1:]):
        if b["start"] < a["end"]:
            fail(f"overlapping entities {a['text']!r}@{a['start']} and {b['text']!r}@{b['start']}")
    for e in ents:
        for s, t in excluded:
            if e["start"] < t and s < e["end"]:
                fail(f"entity {e['text']!r}@{e['start']} inside a heading or the glossary")
        if not any(s <= e["start"] and e["end"] <= t for s, t in blocks):
            fail(f"entity {e['text']!r}@{e['start']} crosses a block boundary")
    for i, e in enumerate(ents, 1):
        e["id"] = f"T{i}"

    for rec in recs:
        where = f"record line {rec['_line']}"
        if rec["drug"] is None:
            fail(f"{where} has no drug")
        for slot, typ in SLOT_TYPES.items():
            if rec[slot] is not None and rec[slot]["type"] != typ:
                fail(f"{where}: slot {slot} holds {rec[slot]['type']}")
        for slot, typ in LIST_SLOT_TYPES.items():
            for x in rec[slot]:
                if x["type"] != typ:
                    fail(f"{where}: slot {slot} holds {x['type']}")
        if not any(rec[s] for s in ("dose", "unit", "frequency", "route", "regimen", "days",
                                     "dates")):
            fail(f"{where}: bare mention must not give a record")
        if (rec["unit"] is None) != (rec["dose"] is None):
            fail(f"{where}: dose and unit must come together here")
        if rec["case"] not in cases:
            fail(f"{where}: bad case {rec['case']!r}")
        if rec["dose"] and rec["unit"]:
            gap = text[rec["dose"]["end"]:rec["unit"]["start"]]
            if gap not in ("", " "):
                fail(f"{where}: dose and unit not adjacent ({gap!r})")
    recs.sort(key=lambda r: (r["drug"]["start"], r["_line"]))  # stable: listing order kept
    used = {id(x) for r in recs for s in ("dose", "unit", "frequency") for x in [r[s]] if x}
    for e in ents:
        if e["type"] in ("DOSE", "UNIT", "FREQUENCY") and id(e) not in used \
                and not e.get("_norec"):
            fail(f"{e['type']} {e['text']!r}@{e['start']} belongs to no record"
                 " (or name it in the line's 'norec' with the reason)")

    # completeness: every occurrence of an annotated DRUG/REGIMEN surface form is covered
    forms = {(e["type"], e["text"]) for e in ents if e["type"] in ("DRUG", "REGIMEN")}
    covered = [(e["start"], e["end"]) for e in ents]
    for typ, form in sorted(forms):
        flags = 0 if len(form) <= 5 else re.IGNORECASE
        for m in re.finditer(r"(?<![\w‐-])" + re.escape(form) + r"(?![\w])", text, flags):
            s, t = m.start(), m.end()
            if any(a <= s and t <= b for a, b in excluded):
                continue
            if (s, t) in not_spans:
                continue
            if not any(a <= s and t <= b for a, b in covered):
                fail(f"unannotated occurrence of {typ} form {form!r} at {s}: "
                     f"{text[max(0, s - 30):t + 30]!r}")


def entity_json(e, ids=None):
    o = {"id": e["id"], "type": e["type"], "start": e["start"], "end": e["end"],
         "text": e["text"], "norm": e["norm"]}
    if ids:
        o["ids"] = ids
    return o


def records_json(recs):
    ref = lambda x: x["id"] if x else None
    return [{"id": f"R{i}", "drug": ref(r["drug"]), "dose": ref(r["dose"]),
             "unit": ref(r["unit"]), "frequency": ref(r["frequency"]), "route": ref(r["route"]),
             "days": [x["id"] for x in r["days"]], "dates": [x["id"] for x in r["dates"]],
             "regimen": ref(r["regimen"]), "case": r["case"]}
            for i, r in enumerate(recs, 1)]


# ---------------------------------------------------------------------------------------------
# folders whose text lives in ../shared (third-party data, never committed)
# ---------------------------------------------------------------------------------------------
def shared_root(shared=None) -> Path:
    return Path(shared or os.environ.get("DOSELINE_SHARED") or ROOT.parent / "shared")


def line_blocks(text):
    """(start, end) of every line: the corpus texts hold one sentence per line."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def build_folder(folder, shared=None) -> dict:
    """The gold document of a ``meta.json`` folder, its text read from ``shared``."""
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    src = shared_root(shared) / meta["source"]
    if not src.is_file():
        fail(f"{folder.name}: source text {src} not found (is ../shared present?)")
    data = src.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta["sha256"]:
        fail(f"{folder.name}: {src} has sha256 {digest}, the annotations were made on"
             f" {meta['sha256']}")
    text = data.decode("utf-8")
    lines = (folder / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    ents, recs, not_spans = parse_annotations(text, lines, f"{folder.name}/annotations.jsonl")
    check(text, ents, recs, not_spans, line_blocks(text))
    case = meta.get("case")
    return {
        "schema": "doseline.document/1",
        "source": {"path": meta["source"], "sha256": digest, "format": "text", "pages": None},
        "metadata": meta.get("metadata", {}),
        "text": text,
        "sections": [{"title": meta.get("section", "Case report"), "start": 0,
                      "end": len(text.rstrip("\n")), "case": case}],
        "entities": [entity_json(e) for e in ents],
        "records": records_json(recs),
        "repairs": [],
        "back_matter": [],
        "abbreviations": meta.get("abbreviations", []),
    }


def folders(root=UNSEEN):
    return sorted(p for p in Path(root).iterdir() if (p / "meta.json").is_file())


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


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    write = "--check" not in args
    shared = None
    if "--shared" in args:
        i = args.index("--shared")
        if i + 1 >= len(args):
            fail("--shared needs a path")
        shared = args[i + 1]
        del args[i:i + 2]
    targets = [Path(a) for a in args if not a.startswith("--")] or folders()
    for folder in targets:
        doc = build_folder(folder, shared)
        print(f"{folder.name}: {summary(doc)}")
        if write:
            print("  wrote", write_json(doc, folder / "gold.json"))


if __name__ == "__main__":
    main()
