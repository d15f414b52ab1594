"""Stage 5: the document JSON (one format for predictions and gold) and the flat record table.

Output is deterministic: the same input gives byte-identical JSON (sorted ids, no timings),
and files are written atomically (temp file + rename) so an interrupted run leaves no half file.
"""
from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from .document import SCHEMA_ID, Document

SCHEMA_PATH = Path(__file__).with_name("schema") / "document.schema.json"


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
        "source": {k: doc.source.get(k) for k in ("path", "sha256", "format", "pages")},
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


def write_atomic(path: str | Path, content: str | bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
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


def records_table(obj: dict):
    """One row per administration, with entity texts and normalized values (pandas)."""
    import pandas as pd
    ents = {e["id"]: e for e in obj.get("entities", [])}
    text = obj.get("text", "")
    rows = []
    for r in obj.get("records", []):
        drug = ents.get(r["drug"], {})
        row = {"document": Path(obj.get("source", {}).get("path") or "-").name,
               "record": r["id"], "case": r.get("case"),
               "drug": drug.get("text"), "drug_norm": drug.get("norm"),
               "drugbank": (drug.get("ids") or {}).get("drugbank")}
        for slot in ("dose", "unit", "frequency", "route", "regimen"):
            e = ents.get(r.get(slot)) if r.get(slot) else None
            row[slot] = e["text"] if e else None
            row[f"{slot}_norm"] = json.dumps(e["norm"]) if e and slot == "dose" else (e["norm"] if e else None)
        for slot in ("days", "dates"):
            es = [ents[i] for i in r.get(slot, []) if i in ents]
            row[slot] = "; ".join(e["text"] for e in es) or None
            row[f"{slot}_norm"] = json.dumps([e["norm"] for e in es]) if es else None
        row["page"] = drug.get("page")
        row["sentence"] = sentence_around(text, drug.get("start", 0), drug.get("end", 0))
        rows.append(row)
    cols = ["document", "record", "case", "drug", "drug_norm", "drugbank", "dose", "dose_norm",
            "unit", "unit_norm", "frequency", "frequency_norm", "route", "route_norm", "days",
            "days_norm", "dates", "dates_norm", "regimen", "regimen_norm", "page", "sentence"]
    return pd.DataFrame(rows, columns=cols)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or caption clause) holding text[start:end], by punctuation and line breaks."""
    import re
    s = max(text.rfind("\n", 0, start), *(m.end() - 1 for m in re.finditer(r"[.;!?]\s", text[:start]))) + 1 \
        if start else 0
    m = re.search(r"[.!?](\s|$)|\n", text[end:])
    e = end + (m.end() if m else len(text) - end)
    return text[s:e].strip()


def write_document(doc: Document, out: str | Path, formats=None) -> dict:
    """Write the document JSON and, beside it, the flat record table (CSV) and other formats."""
    obj = to_dict(doc)
    write_atomic(out, dumps(obj))
    table = records_table(obj)
    write_atomic(Path(out).with_suffix(".records.csv"), table.to_csv(index=False))
    return obj
