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

annotations.jsonl: one JSON object per line.
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

TYPES = ["DRUG", "REGIMEN", "DOSE", "UNIT", "DAY", "DATE", "FREQUENCY", "ROUTE"]
UNITS = {"mg/m2", "mg/kg", "{cells}/kg", "[iU]", "mg/m2/d", "mg", "g", "ug", "mL", "g/m2",
         "mg/d", "L/min", "ug/kg/min", "ug/kg/d", "mg/kg/d"}
ROUTES = {"intrathecal", "intravenous", "oral", "subcutaneous", "inhalation", "parenteral",
          "intramuscular", "topical", "rectal", "sublingual", "transdermal", "epidural"}
SLOT_TYPES = {"drug": "DRUG", "dose": "DOSE", "unit": "UNIT", "frequency": "FREQUENCY",
              "route": "ROUTE", "regimen": "REGIMEN"}
LIST_SLOT_TYPES = {"days": "DAY", "dates": "DATE"}
RECORD_KEYS = set(SLOT_TYPES) | set(LIST_SLOT_TYPES) | {"case"}
MARK = re.compile(r"\[\[(.+?)\]\]")
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


class GoldError(SystemExit):
    pass


def fail(msg):
    raise GoldError(f"build_gold: {msg}")


def find_all(text, s):
    out, i = [], text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def norm_ok(etype, norm):
    num = (int, float)
    if etype in ("DRUG", "REGIMEN"):
        ok = isinstance(norm, str) and norm.strip() == norm and "  " not in norm
        return ok and (etype == "REGIMEN" or norm == norm.lower())
    if etype == "DOSE":
        if isinstance(norm, list):
            return len(norm) == 2 and all(isinstance(x, num) for x in norm) and norm[0] < norm[1]
        return isinstance(norm, num) and not isinstance(norm, bool)
    if etype == "UNIT":
        return norm in UNITS
    if etype == "DAY":
        return (isinstance(norm, list) and norm and all(type(x) is int for x in norm)
                and norm == sorted(set(norm)))
    if etype == "DATE":
        return isinstance(norm, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", norm) is not None
    if etype == "FREQUENCY":
        return isinstance(norm, str) and re.fullmatch(r"q\d+(h|d|w)", norm) is not None
    if etype == "ROUTE":
        return norm in ROUTES
    return False


def block_spans(text):
    """(start, end) of every block (paragraph, heading, caption, table) of the text."""
    spans, pos = [], 0
    for block in text[:-1].split("\n\n"):
        spans.append((pos, pos + len(block)))
        pos += len(block) + 2
    return spans


def _anchor(text, marked, occ, where):
    plain = MARK.sub(lambda m: m.group(1), marked)
    hits = find_all(text, plain)
    if occ is None:
        if len(hits) != 1:
            fail(f"{where}: anchor occurs {len(hits)} times: {plain!r}")
        return hits[0]
    if len(hits) <= occ:
        fail(f"{where}: anchor has no occurrence {occ}: {plain!r}")
    return hits[occ]


def _marks(marked, base):
    """(start, end, span) in text coordinates of each [[...]] of an anchor found at base."""
    out, shift = [], 0
    for m in MARK.finditer(marked):
        start = base + m.start() - shift
        out.append((start, start + len(m.group(1)), m.group(1)))
        shift += 4
    return out


def read_rows(folder, text):
    ents, recs, not_spans = [], [], []
    unlinked = set()
    path = os.path.join(folder, "annotations.jsonl")
    for lineno, line in enumerate(open(path, encoding="utf-8").read().splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        where = f"{os.path.basename(folder)}/annotations.jsonl:{lineno}"
        if "not" in row:
            if not row.get("why"):
                fail(f"{where}: a 'not' line needs a 'why'")
            base = _anchor(text, row["not"], row.get("occ"), where)
            marks = _marks(row["not"], base)
            if not marks:
                fail(f"{where}: 'not' anchor marks no span")
            not_spans += [(s, e) for s, e, _ in marks]
            continue
        if "a" not in row:
            continue
        base = _anchor(text, row["a"], row.get("occ"), where)
        marks = _marks(row["a"], base)
        specs = row["e"]
        if len(marks) != len(specs):
            fail(f"{where}: {len(marks)} marked spans but {len(specs)} entity specs")
        local = {}
        for (start, end, span), spec in zip(marks, specs):
            etype, norm = spec[0], spec[1]
            key = spec[2] if len(spec) > 2 else None
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
            if etype == "DRUG" and norm in DRUGBANK:
                ent["ids"] = {"drugbank": DRUGBANK[norm]}
            ents.append(ent)
            if key is not None:
                if key in local:
                    fail(f"{where}: duplicate key {key}")
                local[key] = ent
        for k in row.get("unlinked", []):
            if not row.get("why"):
                fail(f"{where}: 'unlinked' needs a 'why'")
            unlinked.add(id(local[k]))
        for r in row.get("r", []):
            unknown = set(r) - RECORD_KEYS
            if unknown:
                fail(f"{where}: unknown record slots {unknown}")
            rec = {"_line": lineno}
            for slot in SLOT_TYPES:
                k = r.get(slot)
                rec[slot] = local[k] if k is not None else None
            for slot in LIST_SLOT_TYPES:
                rec[slot] = [local[k] for k in r.get(slot, [])]
            rec["case"] = r.get("case", row.get("case"))
            recs.append(rec)
    return ents, recs, not_spans, unlinked


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
    excluded = list(heading_blocks)

    ents, recs, not_spans, unlinked = read_rows(folder, text)

    # ---- entity checks
    ents.sort(key=lambda e: (e["start"], e["end"]))
    for a, b in zip(ents, ents[1:]):
        if b["start"] < a["end"]:
            fail(f"overlapping entities {a['text']!r}@{a['start']} and {b['text']!r}@{b['start']}")
    for e in ents:
        for s, t in excluded:
            if e["start"] < t and s < e["end"]:
                fail(f"entity {e['text']!r}@{e['start']} inside a heading")
        if not any(s <= e["start"] and e["end"] <= t for s, t in blocks):
            fail(f"entity {e['text']!r}@{e['start']} crosses a block boundary")
        if "\n" in e["text"]:
            fail(f"entity {e['text']!r} crosses a line")
    for i, e in enumerate(ents, 1):
        e["id"] = f"T{i}"

    # ---- record checks
    for rec in recs:
        where = f"record on line {rec['_line']}"
        if rec["drug"] is None:
            fail(f"{where} has no drug")
        for slot, typ in SLOT_TYPES.items():
            if rec[slot] is not None and rec[slot]["type"] != typ:
                fail(f"{where}: slot {slot} holds {rec[slot]['type']}")
        for slot, typ in LIST_SLOT_TYPES.items():
            if any(x["type"] != typ for x in rec[slot]):
                fail(f"{where}: slot {slot} holds a wrong type")
        if not any(rec[s] for s in ("dose", "unit", "frequency", "route", "regimen", "days",
                                     "dates")):
            fail(f"{where}: a bare mention must not give a record")
        if (rec["unit"] is None) != (rec["dose"] is None):
            fail(f"{where}: dose and unit must come together")
        if rec["case"] not in ("1", "2", None):
            fail(f"{where}: bad case {rec['case']!r}")
        if rec["dose"] and rec["unit"]:
            gap = text[rec["dose"]["end"]:rec["unit"]["start"]]
            if gap not in ("", " "):
                fail(f"{where}: dose and unit not adjacent ({gap!r})")
    recs.sort(key=lambda r: (r["drug"]["start"], r["_line"]))
    used = {id(x) for r in recs for s in ("dose", "unit", "frequency") for x in [r[s]] if x}
    for e in ents:
        if e["type"] in ("DOSE", "UNIT", "FREQUENCY") and id(e) not in used | unlinked:
            fail(f"{e['type']} {e['text']!r}@{e['start']} belongs to no record")

    # ---- completeness: every occurrence of an annotated DRUG/REGIMEN/ROUTE form is decided
    forms = {(e["type"], e["text"]) for e in ents if e["type"] in ("DRUG", "REGIMEN", "ROUTE")}
    covered = [(e["start"], e["end"]) for e in ents]
    for typ, form in sorted(forms):
        flags = 0 if len(form) <= 5 else re.IGNORECASE
        for m in re.finditer(r"(?<![\w‐-])" + re.escape(form) + r"(?![\w])", text, flags):
            s, t = m.start(), m.end()
            if any(a <= s and t <= b for a, b in excluded) or (s, t) in not_spans:
                continue
            if not any(a <= s and t <= b for a, b in covered):
                fail(f"unannotated occurrence of {typ} form {form!r} at {s}: "
                     f"{text[max(0, s - 30):t + 30]!r}")

    # ---- sections: the abstract, then one per heading (flat, heading to end of last block)
    sections = [{"title": "Abstract", "start": blocks[1][0], "end": blocks[1][1], "case": None}]
    section_case = meta.get("section_case", {})
    for i, (s, t) in enumerate(heading_blocks):
        end = heading_blocks[i + 1][0] - 2 if i + 1 < len(heading_blocks) else len(text) - 1
        title = text[s:t]
        sections.append({"title": title, "start": s, "end": end,
                         "case": section_case.get(title)})

    # ---- abbreviations defined in the text, each pair checked to occur
    abbreviations = []
    for short, long in meta.get("abbreviations", []):
        if short not in text or long not in text:
            fail(f"abbreviation pair not in text: {short!r} / {long!r}")
        abbreviations.append({"short": short, "long": long})

    out_ents = []
    for e in ents:
        o = {k: e[k] for k in ("id", "type", "start", "end", "text", "norm")}
        if "ids" in e:
            o["ids"] = e["ids"]
        out_ents.append(o)

    def ref(x):
        return x["id"] if x else None

    out_recs = [{"id": f"R{i}", "drug": ref(r["drug"]), "dose": ref(r["dose"]),
                 "unit": ref(r["unit"]), "frequency": ref(r["frequency"]),
                 "route": ref(r["route"]), "days": [x["id"] for x in r["days"]],
                 "dates": [x["id"] for x in r["dates"]], "regimen": ref(r["regimen"]),
                 "case": r["case"]} for i, r in enumerate(recs, 1)]
    src = meta["source"]
    doc = {
        "schema": "doseline.document/1",
        "source": {"path": src["path"], "sha256": src["sha256"], "format": "pdf",
                   "pages": src["pages"]},
        "metadata": meta["metadata"],
        "text": text,
        "sections": sections,
        "entities": out_ents,
        "records": out_recs,
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
