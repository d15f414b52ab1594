"""Review pages for a batch folder, and an index page linking them with per-document counts.

``doseline batch IN -o OUT --review`` writes ``OUT/<name>.html`` beside each ``OUT/<name>.json``;
``doseline export OUT --format review`` writes any page still missing (or older than its JSON) and
``index.html`` (in the export folder) with one row per document: entities by type, records,
patients, days anchored to dates, pages, and the inputs the batch could not read (from
``manifest.jsonl``). Static HTML, no script: it opens from the disk like the pages.
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

from ..document import ENTITY_TYPES


def page_path(json_path: Path) -> Path:
    return json_path.with_suffix(".html")


def write_pages(folder: Path, docs: list[tuple[str, dict]], force: bool = False) -> list[Path]:
    """``folder/<name>.html`` for each (name, document) whose page is missing or stale."""
    from ..datasets.export import write_atomic
    from .page import render
    written = []
    for name, obj in docs:
        src = folder / f"{name}.json"
        out = page_path(src)
        if not force and out.exists() and src.exists() and out.stat().st_mtime >= src.stat().st_mtime:
            continue
        write_atomic(out, render(obj))
        written.append(out)
    return written


def write_batch_pages(out_dir: Path, rows: list[dict], log=None) -> int:
    """After a batch: a page beside each document JSON written OK; returns how many."""
    from ..datasets.export import load_document, write_atomic
    from ..errors import InputError
    from .page import render
    n = 0
    for row in rows:
        if row.get("status") != "ok" or not row.get("output"):
            continue
        src = out_dir / row["output"]
        try:
            write_atomic(page_path(src), render(load_document(src)))
            n += 1
        except (InputError, OSError, ValueError, KeyError) as exc:  # one bad page never stops the rest
            if log is not None:
                print(f"  review page of {row['input']}: {exc}", file=log)
    return n


def _counts(obj: dict) -> dict:
    ents = obj.get("entities", [])
    recs = obj.get("records", [])
    by_type = {t: 0 for t in ENTITY_TYPES}
    for e in ents:
        by_type[e.get("type")] = by_type.get(e.get("type"), 0) + 1
    return {"entities": len(ents), "types": by_type, "records": len(recs),
            "patients": len({r.get("case") for r in recs if r.get("case") is not None}),
            "derived": sum(len(r.get("derived_dates") or []) for r in recs),
            "pages": (obj.get("source") or {}).get("pages")}


def render_index(folder: Path, target_dir: Path, docs: list[tuple[str, dict]], failed: list[dict]) -> str:
    rows = []
    tot = {"entities": 0, "records": 0}
    for name, obj in docs:
        c = _counts(obj)
        tot["entities"] += c["entities"]
        tot["records"] += c["records"]
        link = os.path.relpath(page_path(folder / f"{name}.json"), target_dir)
        title = (obj.get("metadata") or {}).get("title") or ""
        cells = "".join(f"<td>{c['types'][t]}</td>" for t in ENTITY_TYPES)
        rows.append(f"<tr><td><a href='{html.escape(Path(link).as_posix(), quote=True)}'>{html.escape(name)}</a>"
                    f"<div class='t'>{html.escape(title[:160])}</div></td><td>{c['pages'] or ''}</td>"
                    f"<td>{c['entities']}</td>{cells}<td>{c['records']}</td><td>{c['patients']}</td>"
                    f"<td>{c['derived']}</td></tr>")
    for r in failed:
        rows.append(f"<tr class='err'><td>{html.escape(str(r.get('input')))}</td>"
                    f"<td colspan='{len(ENTITY_TYPES) + 5}'>not processed: {html.escape(str(r.get('error')))}</td></tr>")
    head = "".join(f"<th>{t}</th>" for t in ENTITY_TYPES)
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
            "<title>doseline review index</title><style>body{font:14px system-ui,sans-serif;margin:18px}"
            "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}"
            "td:first-child,th:first-child{text-align:left}th{background:#eceff1}.t{font-size:11px;color:#607d8b}"
            "tr.err td{color:#b71c1c}</style></head><body>"
            f"<h1>Review pages</h1><p>{len(docs)} documents, {tot['entities']} entities, {tot['records']} records"
            f"{f', {len(failed)} inputs not processed' if failed else ''}.</p>"
            f"<table><tr><th>document</th><th>pages</th><th>entities</th>{head}<th>records</th><th>patients</th>"
            f"<th>days dated</th></tr>{''.join(rows)}</table></body></html>")


def export_review(folder: Path, target_dir: Path, docs: list[tuple[str, dict]]) -> list[Path]:
    """Pages (missing or stale ones) and ``target_dir/index.html``."""
    from ..datasets.export import write_atomic
    folder, target_dir = Path(folder), Path(target_dir)
    written = write_pages(folder, docs)
    failed = []
    manifest = folder / "manifest.jsonl"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if row.get("status") != "ok":
                failed.append(row)
    index = target_dir / "index.html"
    write_atomic(index, render_index(folder, target_dir, docs, failed))
    return written + [index]
