"""An HTML view of a document's entities and records, beside the logic (medspaCy style).

Uses spaCy's displaCy in manual mode, so no pipeline is loaded: any document JSON, gold or
prediction, can be looked at in a browser to review what was found and what was missed.
"""
from __future__ import annotations

import html
from pathlib import Path

COLORS = {"DRUG": "#7aecec", "REGIMEN": "#bfeeb7", "DOSE": "#feca74", "UNIT": "#ffeb80",
          "DAY": "#aa9cfc", "DATE": "#c887fb", "FREQUENCY": "#e4e7d2", "ROUTE": "#ff9561"}


def render(doc: dict) -> str:
    from spacy import displacy
    ents = [{"start": e["start"], "end": e["end"], "label": e["type"]}
            for e in sorted(doc["entities"], key=lambda e: (e["start"], e["end"]))]
    body = displacy.render({"text": doc["text"], "ents": ents, "title": (doc.get("metadata") or {}).get("title")},
                           style="ent", manual=True, page=False, options={"colors": COLORS})
    by_id = {e["id"]: e for e in doc["entities"]}
    t = lambda i: html.escape(by_id[i]["text"]) if i and i in by_id else ""
    rows = "".join(
        f"<tr><td>{r['id']}</td><td>{r.get('case') or ''}</td><td>{t(r['drug'])}</td><td>{t(r.get('dose'))}</td>"
        f"<td>{t(r.get('unit'))}</td><td>{t(r.get('frequency'))}</td><td>{t(r.get('route'))}</td>"
        f"<td>{'; '.join(t(x) for x in r.get('days', []))}</td><td>{'; '.join(t(x) for x in r.get('dates', []))}</td>"
        f"<td>{t(r.get('regimen'))}</td></tr>" for r in doc.get("records", []))
    table = ("<table border=1 cellpadding=3><tr><th>id</th><th>case</th><th>drug</th><th>dose</th><th>unit</th>"
             f"<th>frequency</th><th>route</th><th>days</th><th>dates</th><th>regimen</th></tr>{rows}</table>")
    return (f"<!doctype html><meta charset=utf-8><title>doseline</title><body style='font-family:sans-serif'>"
            f"<h2>Records</h2>{table}<h2>Text</h2><div style='white-space:pre-wrap'>{body}</div></body>")


def write(doc_path: str | Path, out: str | Path) -> None:
    from ..datasets.export import load_document, write_atomic
    doc = load_document(doc_path)
    write_atomic(out, render(doc))
