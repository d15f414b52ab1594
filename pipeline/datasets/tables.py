"""The flat tables of a document: one row per administration record (``records``) and one per entity
(``entities``), with typed columns so CSV and parquet read back equal (:func:`read_table`); JSON lines.

Column types are fixed (``RECORD_COLUMNS``/``ENTITY_COLUMNS``, pandas nullable dtypes), so tables of
many documents, or the parts of a partitioned dataset, always have one schema."""
from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

from ..document import RECORD_LISTS, RECORD_SLOTS


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
    "dates": "string", "dates_norm": "string", "derived_dates": "string", "derived_anchors": "string",
    "regimen": "string", "regimen_norm": "string",
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
        derived = r.get("derived_dates") or []  # absolute dates of the days (pipeline.link.anchors)
        row["derived_dates"] = _json(list(dict.fromkeys(d["date"] for d in derived))) if derived else None
        row["derived_anchors"] = " ".join(dict.fromkeys(d["anchor"] for d in derived)) or None
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
