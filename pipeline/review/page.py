"""Build the review page of one document: marked-up text, records, timelines, gold comparison.

The page is for looking before trusting (the "error analysis by inspection" step of annotation
projects: brat, Stenetorp et al. 2012; displaCy): what was found, which record each entity feeds,
how each patient's treatment runs in time, and where system and gold disagree.

Design choices:

- The text is rendered here, on the Python side, as escaped HTML with one ``<mark>`` per run of
  characters covered by the same entities (overlapping and nested entities split into runs), so
  the DOM has one element per entity run and nothing else: a 30-page report stays a few thousand
  nodes. Everything interactive (tooltip, record highlighting, the tables) is built by the inline
  script from one JSON blob; the script only ever sets ``textContent``, and the JSON is embedded
  with ``<``, ``>``, ``&`` and U+2028/U+2029 escaped, so no document can inject markup or script.
- With gold, entities are matched with :func:`pipeline.evaluate.score.match_entities` after the
  prediction is mapped onto the gold text through the character alignment
  (:func:`pipeline.evaluate.score.align`), exactly as ``doseline evaluate`` scores; missed gold
  entities are mapped back onto the prediction's text through the reverse alignment so they can
  be shown where they belong. Records are compared with :func:`pipeline.evaluate.score.record_key`.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from ..document import ENTITY_TYPES
from .timeline import patient_timelines

TEMPLATE = Path(__file__).resolve().parent / "template.html"
COLORS = {"DRUG": "#7aecec", "REGIMEN": "#bfeeb7", "DOSE": "#feca74", "UNIT": "#ffeb80",
          "DAY": "#aa9cfc", "DATE": "#c887fb", "FREQUENCY": "#e4e7d2", "ROUTE": "#ff9561"}
SLOTS = ("drug", "dose", "unit", "frequency", "route", "regimen")


def _norm_text(v) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _json_script(obj) -> str:
    """JSON safe inside a <script> element (no "</script>", no HTML comment or CDATA openers)."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ---------------------------------------------------------------------------------------------
# gold comparison
# ---------------------------------------------------------------------------------------------
def compare(pred: dict, gold: dict) -> dict:
    """Scores and per-entity / per-record status of ``pred`` against ``gold``."""
    from ..evaluate.score import align, evaluate, mapped_entities, match_entities, record_key
    result = evaluate(pred, gold)
    same = pred.get("text") == gold.get("text")
    pents = mapped_entities(pred, None if same else align(pred.get("text", ""), gold.get("text", "")))
    strict = match_entities(pents, gold["entities"], "strict")
    lenient = match_entities(pents, gold["entities"], "lenient")
    status = {}
    for e in pred["entities"]:
        status[e["id"]] = "ok" if e["id"] in strict else "bnd" if e["id"] in lenient else "fp"
    matched_gold = set(lenient.values())
    back = None if same else align(gold.get("text", ""), pred.get("text", ""))
    n = len(pred.get("text", ""))
    misses = []
    for g in gold["entities"]:
        if g["id"] in matched_gold:
            continue
        s, e = (g["start"], g["end"]) if back is None else back.map_span(g["start"], g["end"])
        s, e = min(s, n), min(e, n)
        if e <= s:
            continue
        misses.append({"id": f"G{g['id']}", "type": g["type"], "start": s, "end": e, "text": g["text"],
                       "norm": g.get("norm"), "gold": g["id"]})
    gkeys = [record_key(r) for r in gold.get("records", [])]
    remaining = list(gkeys)
    rec_status = {}
    for r in pred.get("records", []):
        k = record_key(r, lenient)
        if k in remaining:
            remaining.remove(k)
            rec_status[r["id"]] = "ok"
        else:
            rec_status[r["id"]] = "fp"
    gmap = {e["id"]: e for e in gold["entities"]}
    miss_pos = {m["gold"]: m for m in misses}
    inv = {g: p for p, g in lenient.items()}
    missed_records = []
    for r, k in zip(gold.get("records", []), gkeys):
        if k not in remaining:
            continue
        remaining.remove(k)
        drug = r.get("drug")
        where = inv.get(drug) or (miss_pos[drug]["id"] if drug in miss_pos else None)
        missed_records.append({"record": r, "ents": gmap, "anchor": where})
    return {"result": result, "status": status, "misses": misses, "records": rec_status,
            "missed_records": missed_records}


# ---------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------
def render_text(text: str, spans: list, pdf: bool) -> str:
    """Escaped ``text`` with a ``<mark>`` per run of characters covered by the same spans.

    ``spans``: dicts with id, type, start, end and optional ``cls`` (gold status). A run takes the
    colour of its shortest covering span; ``data-e`` lists every covering id."""
    bounds = {0, len(text)}
    for s in spans:
        bounds.add(max(0, min(s["start"], len(text))))
        bounds.add(max(0, min(s["end"], len(text))))
    cuts = sorted(bounds)
    by_start: dict[int, list] = {}
    for s in spans:
        by_start.setdefault(s["start"], []).append(s)
    active: list = []
    out = []
    page = None
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s["end"] > a] + by_start.get(a, [])
        piece = html.escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        if pdf:
            pages = [s.get("page") for s in active if s.get("page")]
            if pages and pages[0] != page and (page is None or pages[0] > page):
                page = pages[0]
                out.append(f'<span class="pg" data-page="{page}">p.{page}</span>')
        main = min(active, key=lambda s: (s["end"] - s["start"], s["start"]))
        classes = ["e", "t-" + main["type"]]
        for c in sorted({s.get("cls") for s in active if s.get("cls")}):
            classes.append(c)
        ids = " ".join(html.escape(s["id"], quote=True) for s in active)
        out.append(f'<mark class="{" ".join(classes)}" data-e="{ids}">{piece}</mark>')
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# the page
# ---------------------------------------------------------------------------------------------
def _date_runs(dates) -> list[str]:
    """ISO dates as runs of consecutive days: "2021-05-23 – 2021-05-25"."""
    from datetime import date
    days = sorted({date.fromisoformat(d).toordinal() for d in dates})
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][1] + 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    iso = lambda o: date.fromordinal(o).isoformat()
    return [iso(a) if a == b else f"{iso(a)} – {iso(b)}" for a, b in runs]


def _record_row(r: dict, ents: dict, status: str | None, gold: bool = False) -> dict:
    t = lambda i: ents[i]["text"] if i and i in ents else ""
    nrm = lambda i: _norm_text(ents[i].get("norm")) if i and i in ents else ""
    derived = r.get("derived_dates") or []
    row = {"id": r.get("id"), "case": r.get("case"), "status": status, "gold": gold,
           "days": "\n".join(t(i) for i in r.get("days", [])),  # one per line in the table
           "dates": "\n".join(t(i) for i in r.get("dates", [])),
           "derived": "\n".join(_date_runs(d["date"] for d in derived)),
           "ents": [i for i in [r.get(s) for s in SLOTS] + list(r.get("days", [])) + list(r.get("dates", [])) if i]}
    for s in SLOTS:
        row[s] = t(r.get(s))
    row["drug_norm"] = nrm(r.get("drug"))
    row["unit_norm"] = nrm(r.get("unit"))
    row["freq_norm"] = nrm(r.get("frequency"))
    return row


def build(doc: dict, gold: dict | None = None) -> dict:
    """Everything the page shows, as plain data (also what the tests check without a browser)."""
    ents = {e["id"]: e for e in doc.get("entities", [])}
    cmp = compare(doc, gold) if gold is not None else None
    spans = []
    for e in doc.get("entities", []):
        cls = cmp["status"][e["id"]] if cmp else None
        spans.append({**e, "cls": None if cls in (None, "ok") else cls})
    if cmp:
        spans.extend({**m, "cls": "miss"} for m in cmp["misses"])
    rows = []
    for r in doc.get("records", []):
        rows.append(_record_row(r, ents, cmp["records"].get(r["id"]) if cmp else None))
    if cmp:
        for k, m in enumerate(cmp["missed_records"], 1):
            row = _record_row(m["record"], m["ents"], "fn", gold=True)
            row["id"] = f"gold {m['record'].get('id') or k}"
            row["ents"] = [m["anchor"]] if m["anchor"] else []
            rows.append(row)
    ent_data = {}
    for s in spans:
        ent_data[s["id"]] = {"type": s["type"], "text": s.get("text", ""), "norm": _norm_text(s.get("norm")),
                             "ids": s.get("ids") or {}, "page": s.get("page"), "bbox": s.get("bbox"),
                             "status": s.get("cls") or ("ok" if cmp else None)}
    return {"spans": spans, "rows": rows, "ents": ent_data, "cmp": cmp,
            "timelines": patient_timelines(doc)}


def _scores(cmp: dict | None) -> str:
    if not cmp:
        return ""
    res = cmp["result"]
    cells = []
    for label, d in (("entities strict", res["entities"]["strict"]["micro"]),
                     ("entities lenient", res["entities"]["lenient"]["micro"]),
                     ("relations", res["relations"]["micro"]), ("records", res["records"])):
        cells.append(f"<td>{label}</td><td>{d['precision']:.3f}</td><td>{d['recall']:.3f}</td>"
                     f"<td>{d['f1']:.3f}</td><td>{d['tp']}</td><td>{d['fp']}</td><td>{d['fn']}</td>")
    norm = res["normalization"].get("micro", {})
    n_fp = sum(1 for v in cmp["status"].values() if v == "fp")
    n_bnd = sum(1 for v in cmp["status"].values() if v == "bnd")
    return ("<section id='scores'><h2>Against gold</h2><table class='scores'><tr><th></th><th>P</th><th>R</th>"
            "<th>F1</th><th>tp</th><th>fp</th><th>fn</th></tr>"
            + "".join(f"<tr>{c}</tr>" for c in cells) + "</table>"
            f"<p>normalization accuracy {norm.get('accuracy', float('nan')):.3f}; text CER "
            f"{res['text']['cer']:.4f}. In the text: <mark class='e fp'>false positive</mark> {n_fp}, "
            f"<mark class='e bnd'>boundary error</mark> {n_bnd}, <mark class='e miss'>missed</mark> "
            f"{len(cmp['misses'])}. In the tables: records not in gold (fp) and gold records missed (fn).</p>"
            "</section>")


def render(doc: dict, gold: dict | None = None, title: str | None = None) -> str:
    data = build(doc, gold)
    meta = doc.get("metadata") or {}
    src = doc.get("source") or {}
    name = title or meta.get("title") or src.get("path") or "document"
    pdf = src.get("format") == "pdf"
    legend = "".join(f'<span class="lg t-{t}">{t}</span>' for t in ENTITY_TYPES)
    counts = (f"{len(doc.get('entities', []))} entities, {len(doc.get('records', []))} records"
              + (f", {src.get('pages')} pages" if src.get("pages") else ""))
    payload = {"ents": data["ents"], "rows": data["rows"], "pdf": pdf}
    svg = "".join(data["timelines"]) or "<p class='none'>No record has a day or a date.</p>"
    body = render_text(doc.get("text", ""), data["spans"], pdf)
    style = "".join(f".t-{t}{{background:{c}}}" for t, c in COLORS.items())
    values = {"TITLE": html.escape(str(name)), "SOURCE": html.escape(str(src.get("path") or "")),
              "COUNTS": html.escape(counts), "TYPE_STYLE": style, "LEGEND": legend,
              "SCORES": _scores(data["cmp"]), "TIMELINES": svg, "TEXT": body, "DATA": _json_script(payload)}
    # one pass over the template: a document's text containing "{{DATA}}" is never substituted
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def write(doc_path: str | Path, out: str | Path, gold_path: str | Path | None = None) -> dict:
    """Write the review page of ``doc_path`` (with ``gold_path``) to ``out``; returns the counts."""
    from ..datasets.export import load_document, write_atomic
    doc = load_document(doc_path)
    gold = load_document(gold_path) if gold_path else None
    page = render(doc, gold)
    write_atomic(out, page)
    return {"entities": len(doc.get("entities", [])), "records": len(doc.get("records", [])),
            "bytes": len(page.encode("utf-8"))}
