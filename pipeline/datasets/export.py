"""Stage 5: the document JSON (one format for predictions and gold) and the dataset exports.

Output is deterministic: the same input gives byte-identical JSON (sorted ids, no timings),
and files are written atomically (temp file + rename) so an interrupted run leaves no half file.

Dataset formats (``doseline export`` over a batch, ``extract --format`` beside one JSON), each in
its own module (``tables``, ``partitioned``, ``brat``, ``docbin``) and re-exported here:

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

Dates derived from a day<->date tie (``derived_dates`` of a record, :mod:`pipeline.link.anchors`)
are the ``derived_dates`` (JSON list of ISO dates) and ``derived_anchors`` (DATE entity ids) columns
of the records table, and travel in the event's ``AnnotatorNotes`` in brat.
"""
from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from ..document import SCHEMA_ID, Document
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

from .brat import *  # noqa: F401,F403  (the formats' functions stay importable from here)
from .brat import brat_conf, to_brat
from .docbin import *  # noqa: F401,F403
from .docbin import docbin_bytes
from .tables import *  # noqa: F401,F403
from .tables import document_name, entity_rows, jsonl_line, record_rows, table_bytes, _frame  # noqa: F401


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
