"""Shared core of the gold builders: anchor-based annotation tables -> checked entities/records.

Used by gold/fonc-2026-cd7-cart/build_gold.py (the report) and gold/unseen-pdfs/build_gold.py
(the unseen PDFs). Offsets are never typed by a person: every entity is located through an anchor
string of annotations.jsonl in which its span is marked [[like this]]; without the markers the
anchor must occur exactly once in the text (or "occ" selects the 0-based occurrence).

Row formats (one JSON object per line of annotations.jsonl):
  {"a": anchor, "e": [[TYPE, norm, key|null], ...], "r": [record, ...], "case": "1"}
  {"not": anchor, "why": reason, "occ": n}    a deliberate non-annotation (completeness check)
  {"comment": ...}                             ignored
A record names local keys of its line: drug, dose, unit, frequency, route, regimen, days, dates,
case (default: the line's case). "unlinked": [keys] + "why" exempts a DOSE/UNIT/FREQUENCY from
belonging to a record. Standard library only.
"""
from __future__ import annotations

import json
import re

TYPES = ["DRUG", "REGIMEN", "DOSE", "UNIT", "DAY", "DATE", "FREQUENCY", "ROUTE"]
SLOT_TYPES = {"drug": "DRUG", "dose": "DOSE", "unit": "UNIT", "frequency": "FREQUENCY",
              "route": "ROUTE", "regimen": "REGIMEN"}
LIST_SLOT_TYPES = {"days": "DAY", "dates": "DATE"}
RECORD_KEYS = set(SLOT_TYPES) | set(LIST_SLOT_TYPES) | {"case"}
MARK = re.compile(r"\[\[(.+?)\]\]")


class GoldError(SystemExit):
    """A gold that does not check out: stops the build with the reason."""


def fail(msg):
    raise GoldError(f"build_gold: {msg}")


def find_all(text, s):
    out, i = [], text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def norm_ok(etype, norm, units, routes):
    num = (int, float)
    if etype == "DRUG":
        return isinstance(norm, str) and norm == norm.lower() and norm.strip() == norm
    if etype == "REGIMEN":
        return isinstance(norm, str) and "  " not in norm and norm.strip() == norm
    if etype == "DOSE":
        if isinstance(norm, list):
            return len(norm) == 2 and all(isinstance(x, num) for x in norm) and norm[0] < norm[1]
        return isinstance(norm, num) and not isinstance(norm, bool)
    if etype == "UNIT":
        return norm in units
    if etype == "DAY":
        return (isinstance(norm, list) and norm and all(type(x) is int for x in norm)
                and norm == sorted(set(norm)))
    if etype == "DATE":
        return isinstance(norm, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", norm) is not None
    if etype == "FREQUENCY":
        return isinstance(norm, str) and re.fullmatch(r"q\d+[hdw]", norm) is not None
    if etype == "ROUTE":
        return norm in routes
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


def read_annotations(path, text, units, routes, drugbank, label="annotations.jsonl"):
    """Entities, records, 'not' spans and unlinked entity ids of one annotation table."""
    ents, recs, not_spans, unlinked = [], [], [], set()
    for lineno, line in enumerate(open(path, encoding="utf-8").read().splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        where = f"{label}:{lineno}"
        if "not" in row:
            if not row.get("why"):
                fail(f"{where}: a 'not' line needs a 'why'")
            marks = _marks(row["not"], _anchor(text, row["not"], row.get("occ"), where))
            if not marks:
                fail(f"{where}: 'not' anchor marks no span")
            not_spans += [(s, e) for s, e, _ in marks]
            continue
        if "a" not in row:
            continue
        marks = _marks(row["a"], _anchor(text, row["a"], row.get("occ"), where))
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
            if not norm_ok(etype, norm, units, routes):
                fail(f"{where}: bad norm {norm!r} for {etype} {span!r}")
            if span != span.strip() or span[-1] in ",;:" or span[0] in ",;:(":
                fail(f"{where}: span has outer space/punctuation: {span!r}")
            ent = {"type": etype, "start": start, "end": end, "text": span, "norm": norm,
                   "_case": row.get("case")}
            if etype == "DRUG" and norm in drugbank:
                ent["ids"] = {"drugbank": drugbank[norm]}
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


def check_entities(ents, blocks, excluded, what="a heading"):
    """Sort, refuse overlaps, entities inside excluded blocks or across blocks; number T1..Tn."""
    ents.sort(key=lambda e: (e["start"], e["end"]))
    for a, b in zip(ents, ents[1:]):
        if b["start"] < a["end"]:
            fail(f"overlapping entities {a['text']!r}@{a['start']} and {b['text']!r}@{b['start']}")
    for e in ents:
        for s, t in excluded:
            if e["start"] < t and s < e["end"]:
                fail(f"entity {e['text']!r}@{e['start']} inside {what}")
        if not any(s <= e["start"] and e["end"] <= t for s, t in blocks):
            fail(f"entity {e['text']!r}@{e['start']} crosses a block boundary")
    for i, e in enumerate(ents, 1):
        e["id"] = f"T{i}"


def check_records(recs, ents, text, unlinked=frozenset(), cases=("1", "2", None)):
    """Slot types, no bare mention, dose with unit (adjacent), valid case; every DOSE, UNIT and
    FREQUENCY in a record unless listed unlinked. Sorts records by drug position, listing order
    kept for records of one drug mention."""
    for rec in recs:
        where = f"record line {rec['_line']}"
        if rec["drug"] is None:
            fail(f"{where}: no drug")
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
            fail(f"{where}: bad case")
        if rec["dose"] and rec["unit"]:
            gap = text[rec["dose"]["end"]:rec["unit"]["start"]]
            if gap not in ("", " "):
                fail(f"{where}: dose and unit not adjacent ({gap!r})")
    recs.sort(key=lambda r: (r["drug"]["start"], r["_line"]))
    used = {id(x) for r in recs for s in ("dose", "unit", "frequency") for x in [r[s]] if x}
    for e in ents:
        if e["type"] in ("DOSE", "UNIT", "FREQUENCY") and id(e) not in used | set(unlinked):
            fail(f"{e['type']} {e['text']!r}@{e['start']} belongs to no record")


def check_complete(text, ents, excluded, not_spans, types=("DRUG", "REGIMEN")):
    """Every occurrence of an annotated surface form of these types is an entity or a 'not'."""
    forms = {(e["type"], e["text"]) for e in ents if e["type"] in types}
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


def records_out(recs):
    def ref(x):
        return x["id"] if x else None
    return [{"id": f"R{i}", "drug": ref(r["drug"]), "dose": ref(r["dose"]),
             "unit": ref(r["unit"]), "frequency": ref(r["frequency"]),
             "route": ref(r["route"]), "days": [x["id"] for x in r["days"]],
             "dates": [x["id"] for x in r["dates"]], "regimen": ref(r["regimen"]),
             "case": r["case"]} for i, r in enumerate(recs, 1)]


def entities_out(ents):
    out = []
    for e in ents:
        o = {k: e[k] for k in ("id", "type", "start", "end", "text", "norm")}
        if "ids" in e:
            o["ids"] = e["ids"]
        out.append(o)
    return out
