"""Stage 5: the document JSON (one format for predictions and gold) and the dataset exports.

Output is deterministic: the same input gives byte-identical JSON (sorted ids, no timings),
and files are written atomically (temp file + rename) so an interrupted run leaves no half file.

Dataset formats (``doseline export`` over a batch, ``extract --format`` beside one JSON):

- ``csv`` / ``parquet``: the flat tables, one row per administration record (``records``) and one
  per entity (``entities``), with typed columns so both files read back equal (``read_table``);
  ``doseline export`` writes parquet as a partitioned dataset (``partitioned.py``);
- ``jsonl``: one document JSON per line;
- ``brat``: brat standoff (Stenetorp et al. 2012, "brat: a Web-based Tool for NLP-Assisted Text
  Annotation"): ``.txt`` + ``.ann`` per document, entities as ``T`` lines (spans with line breaks as
  discontinuous fragments), normalized values and ids as JSON in ``AnnotatorNotes`` (``#``) lines,
  records as ``Administration`` events (a trigger on the drug span; ``Drug``, ``Dose``, ``Unit``,
  ``Frequency``, ``Route``, ``Regimen``, ``Day``/``Day2``..., ``Date``/``Date2``... arguments) and the
  patient as a ``Case`` attribute of the event. :func:`from_brat` reads it back without loss;
- ``spacy``: a spaCy ``DocBin`` with every entity in ``doc.spans["doseline"]`` (overlaps allowed;
  span label = type, span id = entity id), the longest non-overlapping ones in ``doc.ents``, and
  the document JSON (minus text) in ``doc.user_data["doseline"]`` (:func:`from_spacy_doc`).
"""
from __future__ import annotations

import bisect
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from ..document import ENTITY_TYPES, RECORD_LISTS, RECORD_SLOTS, SCHEMA_ID, Document
from ..errors import InputError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "document.schema.json"
FORMATS = ("csv", "parquet", "jsonl", "brat", "spacy")
SPAN_GROUP = "doseline"


def entity_out(doc: Document, e: dict) -> dict:
    out = {k: e[k] for k in ("id", "type", "start", "end", "text", "norm")}
    if e.get("ids"):
        out["ids"] = e["ids"]
    if doc.source.get("format") == "pdf":
        out["source_start"], out["source_end"] = None, None
        out["page"], out["bbox"] = doc.page_bbox(e["start"], e["end"])
    else:
        out["source_start"], out["source_end"] = doc.source_span(e["start"], e["end"])
        out["page"], out["bbox"] = None, None
    return out


def to_dict(doc: Document) -> dict:
    return {
        "schema": SCHEMA_ID,
        "source": {k: doc.source.get(k) for k in ("path", "sha256", "format", "pages", "pages_lost")
                   if k != "pages_lost" or doc.source.get(k)},
        "metadata": {k: doc.metadata.get(k) for k in ("title", "authors", "journal", "year", "doi")},
        "text": doc.text,
        "sections": doc.sections,
        "entities": [entity_out(doc, e) for e in doc.entities],
        "records": doc.records,
        "repairs": doc.repairs,
        "back_matter": doc.back_matter,
        "abbreviations": doc.abbreviations,
    }


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: str | Path, content: str | bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(obj: dict) -> None:
    """Raise jsonschema.ValidationError when ``obj`` is not a valid document."""
    import jsonschema
    jsonschema.validate(obj, schema())


def parse_formats(values) -> list[str]:
    """``["csv", "brat,spacy"]`` -> ``["csv", "brat", "spacy"]``; ``all`` means every format."""
    out: list[str] = []
    for v in values or []:
        for f in str(v).lower().split(","):
            f = f.strip().lstrip(".")
            if not f:
                continue
            names = FORMATS if f == "all" else (f,)
            for n in names:
                if n not in FORMATS:
                    raise InputError(f"unknown export format {f!r} (choose from {', '.join(FORMATS)}, all)")
                if n not in out:
                    out.append(n)
    return out


def document_name(obj: dict, fallback: str = "-") -> str:
    """The document's name in tables: its source path as given when relative (a batch), else the file name."""
    src = obj.get("source")
    path = src.get("path") if isinstance(src, dict) else src if isinstance(src, str) else None
    if not path or path == "-":
        return fallback
    p = Path(path)
    return p.name if p.is_absolute() else p.as_posix()


# ---------------------------------------------------------------------------------------------
# flat tables
# ---------------------------------------------------------------------------------------------
class Sentences:
    """Sentence (or caption clause) around a span, by punctuation and line breaks, in O(log n)."""
    _END = re.compile(r"[.!?](\s|$)|\n")

    def __init__(self, text: str):
        self.text = text
        starts = {m.end() for m in re.finditer(r"[.;!?]\s", text)}
        starts.update(i + 1 for i, c in enumerate(text) if c == "\n")
        self.starts = sorted(starts)

    def around(self, start: int, end: int) -> str:
        s = 0
        if start:
            k = bisect.bisect_right(self.starts, start)
            s = self.starts[k - 1] if k else 0
        m = self._END.search(self.text, end)
        e = m.end() if m else len(self.text)
        return self.text[s:e].strip()


RECORD_COLUMNS = {
    "document": "string", "record": "string", "case": "string", "drug_id": "string",
    "drug": "string", "drug_norm": "string", "drugbank": "string",
    "dose": "string", "dose_norm": "string", "dose_value": "Float64", "dose_high": "Float64",
    "unit": "string", "unit_norm": "string", "frequency": "string", "frequency_norm": "string",
    "route": "string", "route_norm": "string", "days": "string", "days_norm": "string",
    "dates": "string", "dates_norm": "string", "regimen": "string", "regimen_norm": "string",
    "page": "Int64", "start": "Int64", "end": "Int64", "sentence": "string",
}
ENTITY_COLUMNS = {
    "document": "string", "id": "string", "type": "string", "start": "Int64", "end": "Int64",
    "text": "string", "norm": "string", "drugbank": "string", "ids": "string",
    "source_start": "Int64", "source_end": "Int64", "page": "Int64", "bbox": "string",
    "records": "string", "sentence": "string",
}
TABLES = {"records": RECORD_COLUMNS, "entities": ENTITY_COLUMNS}


def _json(v) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


def _norm_str(v) -> str | None:
    return v if isinstance(v, str) or v is None else _json(v)


def _frame(rows: list, kind: str):
    import pandas as pd
    cols = TABLES[kind]
    df = pd.DataFrame(rows, columns=list(cols))
    return df.astype(cols)


def record_rows(obj: dict, document: str | None = None) -> list[dict]:
    ents = {e["id"]: e for e in obj.get("entities", [])}
    sents = Sentences(obj.get("text", ""))
    name = document or document_name(obj)
    rows = []
    for r in obj.get("records", []):
        drug = ents.get(r.get("drug"), {})
        row = {"document": name, "record": r.get("id"), "case": r.get("case"), "drug_id": r.get("drug"),
               "drug": drug.get("text"), "drug_norm": _norm_str(drug.get("norm")),
               "drugbank": (drug.get("ids") or {}).get("drugbank")}
        for slot in RECORD_SLOTS[1:]:
            e = ents.get(r.get(slot)) if r.get(slot) else None
            row[slot] = e["text"] if e else None
            row[f"{slot}_norm"] = _norm_str(e.get("norm")) if e else None
        dose = ents.get(r.get("dose")) if r.get("dose") else None
        norm = dose.get("norm") if dose else None
        if isinstance(norm, (int, float)) and not isinstance(norm, bool):
            row["dose_value"], row["dose_high"] = float(norm), None
        elif isinstance(norm, list) and len(norm) == 2 and all(isinstance(x, (int, float)) for x in norm):
            row["dose_value"], row["dose_high"] = float(norm[0]), float(norm[1])
        else:
            row["dose_value"], row["dose_high"] = None, None
        for slot in RECORD_LISTS:
            es = [ents[i] for i in r.get(slot, []) if i in ents]
            row[slot] = "; ".join(e["text"] for e in es) or None
            row[f"{slot}_norm"] = _json([e.get("norm") for e in es]) if es else None
        row["page"] = drug.get("page")
        row["start"], row["end"] = drug.get("start"), drug.get("end")
        row["sentence"] = sents.around(drug.get("start", 0), drug.get("end", 0)) if drug else None
        rows.append(row)
    return rows


def entity_rows(obj: dict, document: str | None = None) -> list[dict]:
    sents = Sentences(obj.get("text", ""))
    name = document or document_name(obj)
    used: dict[str, list] = {}
    for r in obj.get("records", []):
        for slot in RECORD_SLOTS:
            if r.get(slot):
                used.setdefault(r[slot], []).append(r["id"])
        for slot in RECORD_LISTS:
            for i in r.get(slot, []):
                used.setdefault(i, []).append(r["id"])
    rows = []
    for e in obj.get("entities", []):
        rows.append({"document": name, "id": e["id"], "type": e["type"], "start": e["start"], "end": e["end"],
                     "text": e["text"], "norm": _norm_str(e.get("norm")),
                     "drugbank": (e.get("ids") or {}).get("drugbank"), "ids": _json(e.get("ids") or None),
                     "source_start": e.get("source_start"), "source_end": e.get("source_end"),
                     "page": e.get("page"), "bbox": _json(e.get("bbox")),
                     "records": " ".join(dict.fromkeys(used.get(e["id"], []))) or None,
                     "sentence": sents.around(e["start"], e["end"])})
    return rows


def records_table(obj: dict, document: str | None = None):
    """One row per administration, with entity texts and normalized values (pandas)."""
    return _frame(record_rows(obj, document), "records")


def entities_table(obj: dict, document: str | None = None):
    """One row per entity, with its normalized value, ids, place and the records using it (pandas)."""
    return _frame(entity_rows(obj, document), "entities")


def table_bytes(df, fmt: str) -> bytes:
    if fmt == "csv":
        return df.to_csv(index=False).encode("utf-8")
    import io
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def read_table(path: str | Path, kind: str | None = None):
    """Read a records/entities table written by this module back with its column types."""
    import pandas as pd
    path = Path(path)
    kind = kind or ("entities" if "entities" in path.name else "records")
    cols = TABLES[kind]
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return df.astype(cols)


# ---------------------------------------------------------------------------------------------
# JSON lines
# ---------------------------------------------------------------------------------------------
def jsonl_line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


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


# ---------------------------------------------------------------------------------------------
# spaCy DocBin
# ---------------------------------------------------------------------------------------------
def to_spacy_doc(obj: dict, vocab=None):
    """A spaCy Doc of the text, tokenized with the project's tokenizer and split at every entity
    boundary, with all entities as spans (``doc.spans["doseline"]``) and non-overlapping ones as ents."""
    from spacy.tokens import Doc, Span
    from spacy.util import filter_spans
    from ..nlp import base_nlp
    nlp = base_nlp()
    text = obj.get("text", "")
    ents = obj.get("entities", [])
    cuts = sorted({e["start"] for e in ents} | {e["end"] for e in ents})
    words, spaces = [], []
    for tok in nlp.tokenizer(text):
        s, e = tok.idx, tok.idx + len(tok.text)
        inner = cuts[bisect.bisect_right(cuts, s):bisect.bisect_left(cuts, e)]
        bounds = [s, *inner, e]
        for k in range(len(bounds) - 1):
            words.append(text[bounds[k]:bounds[k + 1]])
            spaces.append(bool(tok.whitespace_) if k == len(bounds) - 2 else False)
    doc = Doc(vocab or nlp.vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise ValueError("tokenization does not reproduce the text")
    spans = []
    for e in ents:
        sp = doc.char_span(e["start"], e["end"], alignment_mode="expand")
        spans.append(Span(doc, sp.start, sp.end, label=e["type"], span_id=e["id"]))
    doc.spans[SPAN_GROUP] = spans
    doc.ents = filter_spans(spans)
    doc.user_data[SPAN_GROUP] = json.dumps({k: v for k, v in obj.items() if k != "text"}, ensure_ascii=False)
    return doc


def from_spacy_doc(doc) -> dict:
    """The document dict stored in a Doc made by :func:`to_spacy_doc`."""
    obj = json.loads(doc.user_data[SPAN_GROUP])
    out = {}
    for k in ("schema", "source", "metadata"):
        if k in obj:
            out[k] = obj.pop(k)
    out["text"] = doc.text
    out.update(obj)
    return out


def docbin_bytes(docs: list[dict]) -> bytes:
    from spacy.tokens import DocBin
    db = DocBin(store_user_data=True)
    for obj in docs:
        db.add(to_spacy_doc(obj))
    return db.to_bytes()


def read_docbin(path: str | Path) -> list:
    """The spaCy Docs of a ``.spacy`` file (blank English vocab)."""
    import spacy
    from spacy.tokens import DocBin
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


# ---------------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------------
def write_formats(docs: list[tuple[str, dict]], formats, out_dir: str | Path, prefix: str = "",
                  brat_dir: str | None = "brat") -> list[Path]:
    """Write ``docs`` ([(name, document dict)]) in each format under ``out_dir``.

    Tables are ``{prefix}records.csv`` etc., JSON lines ``{prefix}documents.jsonl``, the DocBin
    ``{prefix}documents.spacy``, brat pairs ``{brat_dir}/{name}.txt|.ann`` (with annotation.conf)."""
    out_dir = Path(out_dir)
    written: list[Path] = []

    def put(path: Path, content):
        write_atomic(path, content)
        written.append(path)

    formats = parse_formats(formats)
    tables = {}
    if {"csv", "parquet"} & set(formats):
        for kind, rows_of in (("records", record_rows), ("entities", entity_rows)):
            rows = [row for name, obj in docs for row in rows_of(obj, document_name(obj, name))]
            tables[kind] = _frame(rows, kind)
    for fmt in formats:
        if fmt in ("csv", "parquet"):
            for kind, df in tables.items():
                put(out_dir / f"{prefix}{kind}.{fmt}", table_bytes(df, fmt))
        elif fmt == "jsonl":
            put(out_dir / f"{prefix}documents.jsonl", "".join(jsonl_line(obj) for _, obj in docs))
        elif fmt == "spacy":
            put(out_dir / f"{prefix}documents.spacy", docbin_bytes([obj for _, obj in docs]))
        elif fmt == "brat":
            base = out_dir / brat_dir if brat_dir else out_dir
            for name, obj in docs:
                txt, ann = to_brat(obj)
                put(base / f"{name}.txt", txt)
                put(base / f"{name}.ann", ann)
            if brat_dir:
                put(base / "annotation.conf", brat_conf([obj for _, obj in docs]))
    return written


def write_document(doc: Document, out: str | Path, formats=None) -> dict:
    """Write the document JSON and, beside it, the other formats (default: the record table as CSV).

    ``x.json`` gets ``x.records.csv``/``x.entities.csv``, ``x.records.parquet``/``x.entities.parquet``,
    ``x.jsonl``, ``x.brat.txt``/``x.brat.ann`` and ``x.spacy``."""
    obj = to_dict(doc)
    out = Path(out)
    formats = parse_formats(formats) if formats else ["csv"]
    write_atomic(out, dumps(obj))
    stem = out.stem
    for fmt in formats:
        if fmt == "jsonl":
            write_atomic(out.with_name(f"{stem}.jsonl"), jsonl_line(obj))
        elif fmt == "spacy":
            write_atomic(out.with_name(f"{stem}.spacy"), docbin_bytes([obj]))
        elif fmt == "brat":
            write_formats([(f"{stem}.brat", obj)], ["brat"], out.parent, brat_dir=None)
        else:
            write_formats([(stem, obj)], [fmt], out.parent, prefix=f"{stem}.")
    return obj


# ---------------------------------------------------------------------------------------------
# doseline export
# ---------------------------------------------------------------------------------------------
def is_document(obj) -> bool:
    """A document dict, ours or a gold file: text, and our schema id or a list of entities."""
    return isinstance(obj, dict) and isinstance(obj.get("text"), str) \
        and (obj.get("schema") == SCHEMA_ID or isinstance(obj.get("entities"), list))


def load_document(path: str | Path) -> dict:
    """One document JSON with its text and entities, or :class:`InputError` with a one-line reason."""
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read document JSON ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a document JSON ({exc})") from None
    if not (is_document(obj) and isinstance(obj.get("entities"), list)):
        raise InputError(f"{path}: not a document JSON (needs text and entities)")
    return obj


def iter_documents(folder: str | Path, skip: Path | None = None):
    """(relative name without .json, document dict) for every document JSON under ``folder``, one at
    a time, in name order."""
    folder = Path(folder)
    for p in sorted(folder.rglob("*.json"), key=lambda p: p.relative_to(folder).as_posix()):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if skip is not None and (p.resolve() == skip or skip in p.resolve().parents):
            continue
        try:
            obj = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if is_document(obj):  # gold too
            yield rel.with_suffix("").as_posix(), obj


def load_documents(folder: str | Path, skip: Path | None = None) -> list[tuple[str, dict]]:
    """[(relative name without .json, document dict)] for every document JSON under ``folder``."""
    return list(iter_documents(folder, skip))


def export_main(args) -> int:
    """``doseline export OUT --format ...``: parquet as a partitioned dataset (streamed, one part per
    ``--docs-per-file`` documents), the other formats as single files."""
    import sys
    from .partitioned import DOCS_PER_FILE, write_parquet_dataset
    folder = Path(args.out_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of document JSON")
    formats = parse_formats(args.format)
    target = Path(args.output) if getattr(args, "output", None) else folder / "export"
    skip = target.resolve()
    n_docs = n_rec = n_ent = 0
    written: list[Path] = []
    others = [f for f in formats if f != "parquet"]
    if others:
        docs = load_documents(folder, skip=skip)
        written += write_formats(docs, others, target)

    def counted(docs):
        nonlocal n_docs, n_rec, n_ent
        for name, obj in docs:
            n_docs, n_rec, n_ent = n_docs + 1, n_rec + len(obj.get("records", [])), n_ent + len(obj.get("entities", []))
            yield name, obj
    if "parquet" in formats:
        per = getattr(args, "docs_per_file", None) or DOCS_PER_FILE
        written += write_parquet_dataset(counted(iter_documents(folder, skip=skip)), target, per)
    else:
        list(counted(docs))
    if not n_docs:
        raise InputError(f"{folder}: no document JSON found (run `doseline batch` first)")
    print(f"{n_docs} documents ({n_ent} entities, {n_rec} records) -> {target}: "
          f"{', '.join(formats)} ({len(written)} files)", file=sys.stderr)
    return 0
