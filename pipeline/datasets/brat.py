"""brat standoff (Stenetorp et al. 2012, "brat: a Web-based Tool for NLP-Assisted Text Annotation"):
``.txt`` + ``.ann`` per document; entities as ``T`` lines (spans with line breaks as discontinuous
fragments), norms and ids as JSON in ``AnnotatorNotes`` (``#``) lines, records as ``Administration``
events with a ``Case`` attribute. :func:`from_brat` reads it back without loss."""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..document import ENTITY_TYPES, RECORD_LISTS, RECORD_SLOTS, SCHEMA_ID


# ---------------------------------------------------------------------------------------------
# brat standoff
# ---------------------------------------------------------------------------------------------
TRIGGER = "Administration"
BRAT_ROLES = {"drug": "Drug", "dose": "Dose", "unit": "Unit", "frequency": "Frequency", "route": "Route",
              "regimen": "Regimen", "days": "Day", "dates": "Date"}
ROLE_SLOTS = {v: k for k, v in BRAT_ROLES.items()}
ENTITY_CORE = ("id", "type", "start", "end", "text")
RECORD_CORE = ("id",) + RECORD_SLOTS + RECORD_LISTS + ("case",)


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat fragments of text[start:end]: a span crossing line breaks is cut around them."""
    frags, s = [], start
    for i in range(start, end):
        if text[i] == "\n":
            if i > s:
                frags.append((s, i))
            s = i + 1
    if end > s:
        frags.append((s, end))
    return frags or [(start, end)]


def brat_fragments(locs: str) -> list[tuple[int, int]]:
    """The (start, end) fragments of a text-bound annotation's offsets field, ``"0 3;10 14"``."""
    frags = []
    for loc in locs.split(";"):
        a, b = loc.split()
        frags.append((int(a), int(b)))
    return frags


def read_exact(path: str | Path) -> str:
    """A brat file as stored: UTF-8, no newline translation (brat offsets count characters)."""
    return Path(path).read_bytes().decode("utf-8")


def _t_line(ident: str, typ: str, text: str, start: int, end: int) -> str:
    frags = _fragments(text, start, end)
    offsets = ";".join(f"{a} {b}" for a, b in frags)
    shown = " ".join(text[a:b] for a, b in frags).replace("\n", " ")
    return f"{ident}\t{typ} {offsets}\t{shown}"


def _num(ident: str, prefix: str) -> int | None:
    m = re.fullmatch(prefix + r"(\d+)", ident or "")
    return int(m.group(1)) if m else None


def to_brat(obj: dict) -> tuple[str, str]:
    """(txt, ann) brat standoff of a document dict: entities, norms and ids, records as events."""
    text = obj.get("text", "")
    ents = obj.get("entities", [])
    by_id = {e["id"]: e for e in ents}
    lines: list[str] = []
    notes: list[tuple[str, dict]] = []
    for e in ents:
        lines.append(_t_line(e["id"], e["type"], text, e["start"], e["end"]))
        extra = {k: v for k, v in e.items() if k not in ENTITY_CORE}
        if e.get("text") != text[e["start"]:e["end"]]:
            extra["text"] = e.get("text")
        if extra:
            notes.append((e["id"], extra))
    next_t = max([_num(e["id"], "T") or 0 for e in ents] + [0]) + 1
    triggers: dict[str, str] = {}
    records = obj.get("records", [])
    used_e = {n for r in records if (n := _num(r.get("id"), "R")) is not None}
    next_e = max(used_e | {0}) + 1
    attrs: list[str] = []
    for r in records:
        extra = {k: v for k, v in r.items() if k not in RECORD_CORE}
        n = _num(r.get("id"), "R")
        if n is None:
            n, next_e = next_e, next_e + 1
            extra["id"] = r.get("id")
        eid = f"E{n}"
        drug = r.get("drug")
        if drug in by_id:
            if drug not in triggers:
                triggers[drug] = f"T{next_t}"
                next_t += 1
                d = by_id[drug]
                lines.append(_t_line(triggers[drug], TRIGGER, text, d["start"], d["end"]))
            args = [f"{TRIGGER}:{triggers[drug]}", f"Drug:{drug}"]
        else:  # a record whose drug is not an entity: keep it in the note
            extra["drug"] = drug
            args = []
        for slot in RECORD_SLOTS[1:]:
            if r.get(slot):
                args.append(f"{BRAT_ROLES[slot]}:{r[slot]}")
        for slot in RECORD_LISTS:
            for k, t in enumerate(r.get(slot) or []):
                args.append(f"{BRAT_ROLES[slot]}{k + 1 if k else ''}:{t}")
        if not args:
            args = [f"{TRIGGER}:"]
        lines.append(f"{eid}\t{' '.join(args)}")
        case = r.get("case")
        if case is not None:
            if re.fullmatch(r"\S+", str(case)) and isinstance(case, str):
                attrs.append(f"A{len(attrs) + 1}\tCase {eid} {case}")
            else:
                extra["case"] = case
        if extra:
            notes.append((eid, extra))
    lines.extend(attrs)
    for k, (target, extra) in enumerate(notes, 1):
        lines.append(f"#{k}\tAnnotatorNotes {target}\t{json.dumps(extra, ensure_ascii=False)}")
    return text, "".join(line + "\n" for line in lines)


def from_brat(txt: str, ann: str, name: str | None = None) -> dict:
    """The document dict of a brat standoff pair written by :func:`to_brat` (or annotated in brat)."""
    entities: dict[str, dict] = {}
    triggers: dict[str, tuple] = {}
    events: list[tuple[str, str, list]] = []
    cases: dict[str, str] = {}
    notes: dict[str, dict] = {}
    for line in ann.splitlines():
        if not line.strip():
            continue
        kind = line[0]
        parts = line.split("\t")
        if kind == "T":
            ident, mid = parts[0], parts[1]
            typ, offs = mid.split(" ", 1)
            frags = brat_fragments(offs)
            s, e = min(a for a, _ in frags), max(b for _, b in frags)
            if typ == TRIGGER:
                triggers[ident] = (s, e)
            else:
                entities[ident] = {"id": ident, "type": typ, "start": s, "end": e, "text": txt[s:e]}
        elif kind == "E":
            args = parts[1].split()
            trig = args[0].split(":", 1)[1] if ":" in args[0] else ""
            events.append((parts[0], trig, [a.split(":", 1) for a in args[1:]]))
        elif kind in "AM":
            f = parts[1].split()
            if f[0] == "Case" and len(f) >= 3:
                cases[f[1]] = f[2]
        elif kind == "#":
            target = parts[1].split(" ", 1)[1].strip()
            note = parts[2] if len(parts) > 2 else ""
            try:
                val = json.loads(note)
            except json.JSONDecodeError:
                val = None
            if isinstance(val, dict):
                notes.setdefault(target, {}).update(val)
            elif note.strip():
                notes.setdefault(target, {}).setdefault("norm", note.strip())
    out_ents = []
    for ident, e in entities.items():
        extra = notes.get(ident, {})
        e.update(extra)
        e.setdefault("norm", None)
        out_ents.append(e)
    records = []
    for eid, trig, args in events:
        n = _num(eid, "E")
        rec = {"id": f"R{n}" if n is not None else eid, "drug": None, "dose": None, "unit": None,
               "frequency": None, "route": None, "days": [], "dates": [], "regimen": None, "case": None}
        if trig in entities:  # the short form: the drug entity itself is the trigger
            rec["drug"] = trig
        for role, t in args:
            slot = ROLE_SLOTS.get(re.sub(r"\d+$", "", role))
            if slot in RECORD_LISTS:
                rec[slot].append(t)
            elif slot:
                rec[slot] = t
        rec["case"] = cases.get(eid)
        rec.update(notes.get(eid, {}))
        records.append(rec)
    return {"schema": SCHEMA_ID,
            "source": {"path": name, "sha256": None, "format": "text", "pages": None},
            "metadata": {k: None for k in ("title", "authors", "journal", "year", "doi")},
            "text": txt, "sections": [], "entities": out_ents, "records": records,
            "repairs": [], "back_matter": [], "abbreviations": []}


def brat_conf(docs: list[dict]) -> str:
    """annotation.conf for a brat collection of these documents (overlapping spans allowed)."""
    types = list(ENTITY_TYPES) + sorted({e["type"] for d in docs for e in d.get("entities", [])} - set(ENTITY_TYPES))
    cases = sorted({str(r["case"]) for d in docs for r in d.get("records", []) if r.get("case") is not None}
                   | {"1", "2"})
    args = ", ".join([f"Drug:DRUG", "Dose?:DOSE", "Unit?:UNIT", "Frequency?:FREQUENCY", "Route?:ROUTE",
                      "Regimen?:REGIMEN", "Day*:DAY", "Date*:DATE"])
    return ("[entities]\n" + "".join(t + "\n" for t in types)
            + "\n[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
            + f"\n[events]\n{TRIGGER}\t{args}\n"
            + f"\n[attributes]\nCase\tArg:{TRIGGER}, Value:{'|'.join(cases)}\n")


def read_brat(path_stem: str | Path) -> dict:
    """Read ``stem.txt`` + ``stem.ann`` (exactly as stored: no newline translation)."""
    stem = Path(path_stem)
    stem = stem.with_suffix("") if stem.suffix in (".txt", ".ann") else stem
    txt, ann = read_exact(f"{stem}.txt"), read_exact(f"{stem}.ann")
    return from_brat(txt, ann, name=stem.name)
