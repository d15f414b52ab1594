"""Anchor-form annotation tables -> checked entities and records: the one parser and checker of
every gold folder (report, unseen-pdfs, unseen-texts), used by gold/build.py.

Why anchors: nobody types an offset. Every entity is located through an anchor string of
``annotations.jsonl`` in which its span is marked ``[[like this]]``; with the markers removed the
anchor must occur exactly once in the text (or ``"occ"`` selects the 0-based occurrence). The
checks are what a reviewer would do by hand (gold/GUIDELINES.md §1): spans equal the text, no
outer spaces or punctuation, no overlaps, nothing in headings or the glossary, no entity across
a block or line, norms in the formats of shared/ANNOTATION_SCHEMA.md, records that reference
entities of the right type, no bare-mention record, dose and unit together and adjacent, every
DOSE/UNIT/FREQUENCY used by a record, and every repeat of an annotated DRUG, REGIMEN or ROUTE
surface form covered (completeness: the second annotation pass, made mechanical).

Row formats (one JSON object per line of annotations.jsonl):
  {"a": anchor, "e": [[TYPE, norm, key|null], ...], "r": [record, ...], "case": "1",
   "occ": n, "norec": {key: why}}
  {"not": anchor, "why": reason, "occ": n}    a deliberate non-annotation (completeness check)
  {"comment": ...}                             ignored
A record names local keys of its line: drug, dose, unit, frequency, route, regimen, days, dates,
case (default: the line's case). "norec" names a DOSE/UNIT/FREQUENCY that rightly belongs to no
record (a restated frequency, a dose of an unnamed drug) with the reason.
Standard library only.
"""
from __future__ import annotations

import json
import re

TYPES = ["DRUG", "REGIMEN", "DOSE", "UNIT", "DAY", "DATE", "FREQUENCY", "ROUTE"]
# ROUTE norms: the schema's table, its "route norms beyond the table", and epidural (GUIDELINES §12).
ROUTES = {"intrathecal", "intravenous", "oral", "subcutaneous", "inhalation", "parenteral",
          "intramuscular", "topical", "rectal", "sublingual", "transdermal", "epidural"}
# UCUM-style unit (schema): atoms (mg, g, kg, m2, L, d, h, min, mo, wk, [iU], {cells}, {AUC})
# joined by "/" or ".", an optional numeric prefix per atom and parentheses ("mg/kg/(12.h)").
UNIT_ATOM = r"(?:\d*(?:ug|mg|g|kg|ng|m2|mL|L|d|h|min|mo|wk|m\[iU\]|M\[iU\]|\[iU\]|\{[a-zA-Z]+\}))"
UNIT_RE = re.compile(rf"{UNIT_ATOM}(?:[/.](?:{UNIT_ATOM}|\({UNIT_ATOM}(?:\.{UNIT_ATOM})*\)))*")
# Units the golds use. A UCUM-shaped typo ("mg/L" for "mg/kg") passes UNIT_RE, so a unit new to
# the golds is added here on purpose, after checking it against the schema.
UNITS = {"mg/m2", "mg/kg", "{cells}/kg", "[iU]", "mg/m2/d", "mg", "g", "ug", "mL", "g/m2",
         "mg/d", "L/min", "ug/kg/min", "ug/kg/d", "mg/kg/d", "g/kg", "mg/kg/mo"}
SLOT_TYPES = {"drug": "DRUG", "dose": "DOSE", "unit": "UNIT", "frequency": "FREQUENCY",
              "route": "ROUTE", "regimen": "REGIMEN"}
LIST_SLOT_TYPES = {"days": "DAY", "dates": "DATE"}
RECORD_SLOTS = set(SLOT_TYPES) | set(LIST_SLOT_TYPES) | {"case"}
COMPLETE_TYPES = ("DRUG", "REGIMEN", "ROUTE")
MARK = re.compile(r"\[\[(.+?)\]\]")


class GoldError(SystemExit):
    """A gold folder that does not build; the message names the file and line."""


def fail(msg):
    raise GoldError(f"gold/build.py: {msg}")


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
        return isinstance(norm, str) and UNIT_RE.fullmatch(norm) is not None and norm in UNITS
    if etype == "DAY":
        return (isinstance(norm, list) and bool(norm) and all(type(x) is int for x in norm)
                and norm == sorted(set(norm)))
    if etype == "DATE":  # year optional: "--MM", "--MM-DD" (schema)
        return isinstance(norm, str) and re.fullmatch(r"(\d{4}|-)-\d{2}(-\d{2})?", norm) is not None
    if etype == "FREQUENCY":
        return isinstance(norm, str) and re.fullmatch(r"q\d+(h|d|w|mo)", norm) is not None
    if etype == "ROUTE":
        return norm in ROUTES
    return False


def _anchor(text, row, key, where):
    """Offset in ``text`` of the anchor ``row[key]`` with its markers removed."""
    plain = MARK.sub(lambda m: m.group(1), row[key])
    hits = find_all(text, plain)
    occ = row.get("occ")
    if occ is None:
        if len(hits) != 1:
            fail(f"{where}: anchor occurs {len(hits)} times: {plain!r}")
        return hits[0]
    if len(hits) <= occ:
        fail(f"{where}: anchor has no occurrence {occ}: {plain!r}")
    return hits[occ]


def _marks(marked, base):
    """(start, end, span) in text coordinates of each [[...]] of an anchor found at ``base``."""
    out, shift = [], 0
    for m in MARK.finditer(marked):
        start = base + m.start() - shift
        out.append((start, start + len(m.group(1)), m.group(1)))
        shift += 4
    return out


def parse_annotations(text, lines, name="annotations.jsonl", drugbank=None):
    """Entities, records and deliberate non-annotations from the lines of an annotation table.

    Entities are dicts (type, start, end, text, norm, _case, _line, ids when ``drugbank`` knows
    the norm); records hold entity dicts in their slots and ``_line``; ``not_spans`` are
    (start, end) of the marked spans of ``{"not": ..., "why": ...}`` lines."""
    ents, recs, not_spans = [], [], []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = json.loads(line)
        where = f"{name}:{lineno}"
        if "not" in row:
            if not row.get("why"):
                fail(f"{where}: a 'not' line needs a 'why'")
            marks = _marks(row["not"], _anchor(text, row, "not", where))
            if not marks:
                fail(f"{where}: 'not' anchor marks no span")
            not_spans += [(s, e) for s, e, _ in marks]
            continue
        if "a" not in row:
            continue
        marks, specs = _marks(row["a"], _anchor(text, row, "a", where)), row["e"]
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
            if "\n" in span:
                fail(f"{where}: entity crosses a line: {span!r}")
            ent = {"type": etype, "start": start, "end": end, "text": span, "norm": norm,
                   "_case": row.get("case"), "_line": lineno}
            if drugbank and etype == "DRUG" and norm in drugbank:
                ent["ids"] = {"drugbank": drugbank[norm]}
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
            recs.append(_record(r, row, local, lineno, where))
    return ents, recs, not_spans


def _record(r, row, local, lineno, where):
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
    return rec


def check_entities(ents, blocks, excluded=()):
    """Sort, refuse overlaps, entities in ``excluded`` spans (headings, a glossary) or across
    ``blocks`` (the paragraphs or lines an entity may not cross); number them T1..Tn."""
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


def check_records(text, ents, recs, cases=("1", "2", None)):
    """Slot types, no bare mention, dose with unit (adjacent), valid case; every DOSE, UNIT and
    FREQUENCY in a record unless its line names it in 'norec'. Sorts the records by drug
    position, listing order kept for records of one drug mention."""
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
            # one space of any width: PMC-derived texts (MACCROBAT) write "2.5\u2005mg"
            if gap and not (len(gap) == 1 and gap.isspace()):
                fail(f"{where}: dose and unit not adjacent ({gap!r})")
    recs.sort(key=lambda r: (r["drug"]["start"], r["_line"]))  # stable: listing order kept
    used = {id(x) for r in recs for s in ("dose", "unit", "frequency") for x in [r[s]] if x}
    for e in ents:
        if e["type"] in ("DOSE", "UNIT", "FREQUENCY") and id(e) not in used \
                and not e.get("_norec"):
            fail(f"{e['type']} {e['text']!r}@{e['start']} belongs to no record"
                 " (or name it in the line's 'norec' with the reason)")


def check_complete(text, ents, not_spans, excluded=(), types=COMPLETE_TYPES):
    """Every occurrence of an annotated surface form of ``types`` is an entity or a 'not' span.
    Short forms (<= 5 characters: abbreviations) match case-sensitively."""
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


def check_case_sections(ents, sections, blocks, text):
    """An entity's case agrees with the case of the section it sits in. A figure caption may
    concern the other patient (the block after a "FIGURE n" label)."""
    for e in ents:
        sec = [x for x in sections if x["start"] <= e["start"] < x["end"]]
        if sec and sec[0]["case"] and e["_case"] not in (sec[0]["case"], None):
            i = [j for j, (s, t) in enumerate(blocks) if s <= e["start"] < t][0]
            if i == 0 or not text[blocks[i - 1][0]:blocks[i - 1][1]].startswith("FIGURE"):
                fail(f"entity {e['text']!r}@{e['start']} case {e['_case']} in section {sec[0]}")


def entities_json(ents):
    out = []
    for e in ents:
        o = {k: e[k] for k in ("id", "type", "start", "end", "text", "norm")}
        if "ids" in e:
            o["ids"] = e["ids"]
        out.append(o)
    return out


def records_json(recs):
    def ref(x):
        return x["id"] if x else None
    return [{"id": f"R{i}", "drug": ref(r["drug"]), "dose": ref(r["dose"]),
             "unit": ref(r["unit"]), "frequency": ref(r["frequency"]), "route": ref(r["route"]),
             "days": [x["id"] for x in r["days"]], "dates": [x["id"] for x in r["dates"]],
             "regimen": ref(r["regimen"]), "case": r["case"]}
            for i, r in enumerate(recs, 1)]
