"""Maps a corpus's labels onto our entity types, as data (``patterns/mappings/<name>.json``).

A mapping names, per type of ours, the corpus labels it corresponds to and the corpus spans our
schema does not annotate (drug classes, generic therapy words, dosage forms, ...): those are listed
apart by term lists, never silently dropped. Gold items come out in the corpus text's coordinates;
predicted entities are mapped back through ``Document.source_span`` to the raw input (the corpus
``.txt`` itself), since cleanup may reflow the text. A DOSE is joined with the UNIT right after it
to meet corpus Dosage spans that hold both. MACCROBAT2020: Caufield et al. 2019,
doi:10.6084/m9.figshare.9764942.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .brat import BratDoc


def load_mapping(name: str) -> dict:
    """A mapping by name (``patterns/mappings/<name>.json``) or by path."""
    p = Path(name)
    if not (p.suffix == ".json" and p.exists()):
        from ..resources import pattern_path
        p = pattern_path(f"mappings/{name}.json")
    m = json.loads(p.read_text(encoding="utf-8"))
    for k, v in list(m.get("term_lists", {}).items()):
        if isinstance(v, str):  # "maccrobat": the list of that name in another mapping
            m["term_lists"][k] = load_mapping(v)["term_lists"][k]
        elif "extends" in v:  # that list, with more categories and terms
            base = load_mapping(v["extends"])["term_lists"][k]
            cats = {c: list(t) for c, t in base["categories"].items()}
            for c, t in v.get("categories", {}).items():
                cats[c] = cats.get(c, []) + t
            m["term_lists"][k] = {**base, **{x: y for x, y in v.items() if x != "extends"},
                                  "categories": cats}
    m["_compiled"] = {k: _compile_terms(v) for k, v in m.get("term_lists", {}).items()}
    return m


_B = r"(?<![\w-])"  # word boundary that keeps hyphenated words whole
_E = r"(?![\w-])"


def _compile_terms(spec: dict) -> dict:
    cats = spec.get("categories", {})
    out = {"whole": spec.get("whole_span", False), "cats": [], "qual": None, "cut": None}
    for cat, terms in cats.items():
        for t in terms:
            rx = re.compile(t if out["whole"] else _B + f"(?:{t})" + _E, re.I)
            out["cats"].append((cat, len(t), rx))
    if not out["whole"]:
        out["cats"].sort(key=lambda x: -x[1])  # longest terms removed first
    q = spec.get("qualifiers")
    if q:
        out["qual"] = re.compile(_B + "(?:" + "|".join(map(re.escape, q)) + ")" + _E, re.I)
    if spec.get("cut_at"):
        out["cut"] = re.compile(spec["cut_at"], re.I)
    return out


def _norm(text: str) -> str:
    t = re.sub(r"[()\[\],;:®™*]", " ", text.lower())
    return re.sub(r"\s+", " ", t).strip()


def outside_schema(text: str, mapping: dict, list_name: str | None) -> str | None:
    """The category of a corpus span our schema does not annotate, or None.

    Term lists: the span is outside when nothing but listed terms and qualifiers is left once
    they are removed (a relative clause is cut first); with ``whole_span`` a term must match the
    whole span. The category is that of the first category (in the list's order) removed."""
    if not list_name:
        return None
    spec = mapping["_compiled"][list_name]
    t = _norm(text)
    if spec["whole"]:
        for cat, _, rx in spec["cats"]:
            if rx.fullmatch(t):
                return cat
        return None
    if spec["cut"] is not None:
        m = spec["cut"].search(t)
        if m and m.start() > 0:
            t = t[:m.start()]
    found = set()
    for cat, _, rx in spec["cats"]:
        if rx.search(t):
            found.add(cat)
            t = rx.sub(" ", t)
    if spec["qual"] is not None:
        t = spec["qual"].sub(" ", t)
    if not found or re.sub(r"[\s\-/&+.]+", "", t):
        return None
    order = list(mapping["term_lists"][list_name]["categories"])
    return min(found, key=order.index)


# ---------------------------------------------------------------------------------------------
# gold and predictions in a common form
# ---------------------------------------------------------------------------------------------
def gold_items(bdoc: BratDoc, mapping: dict) -> dict:
    """Scored gold entities and relations, and the spans/relations left apart (with reasons)."""
    label_type = {}
    for typ, spec in mapping["types"].items():
        for lab in spec["gold"]:
            label_type[lab] = typ
    eff = effective_labels(bdoc, {lab for t, spec in mapping["types"].items()
                                  if spec.get("coreference") for lab in spec["gold"]})
    # spans of one label whose whole text is of another type ("twice daily" as a Dosage)
    for typ, spec in mapping["types"].items():
        for rule in spec.get("relabel", []):
            for tid, sp in bdoc.spans.items():
                if eff[tid] == rule["label"] and re.fullmatch(rule["pattern"], sp.text.strip(), re.I):
                    eff[tid] = spec["gold"][0]
    # a modifier that carries the value of a span without one ("150 mg" Lab_value -> "daily
    # dosing" Dosage) takes that span's label and inherits its relations
    corpus_rels = list(bdoc.relations)
    for typ, spec in mapping["types"].items():
        for rule in spec.get("modifiers", []):
            for t, a, h in bdoc.relations:
                if (t == "MODIFY" and bdoc.spans[a].label == rule["label"]
                        and eff[h] == rule["modifying"]
                        and (not spec.get("require") or re.search(spec["require"], bdoc.spans[a].text))):
                    eff[a] = rule["modifying"]
                    corpus_rels += [(t2, a, h2) for t2, a2, h2 in bdoc.relations
                                    if a2 == h and t2 == "MODIFY"]
    ents, excluded = [], []
    reason = {}
    for s in bdoc.spans.values():
        typ = label_type.get(eff[s.id])
        if typ is None:
            continue
        spec = mapping["types"][typ]
        why = None
        if spec.get("require") and not re.search(spec["require"], s.text):
            why = "no digit" if spec["require"] == r"\d" else f"no match for {spec['require']}"
        else:
            why = outside_schema(s.text, mapping, spec.get("not_in_schema"))
        label = s.label if eff[s.id] == s.label else f"{s.label}->{eff[s.id]}"
        item = {"id": s.id, "type": typ, "label": label, "start": s.start, "end": s.end,
                "text": s.text}
        if why:
            reason[s.id] = why
            excluded.append({**item, "category": why})
        else:
            ents.append(item)
    attached = {r[1] for r in corpus_rels if r[0] == "MODIFY" and eff[r[2]] == "Medication"}
    for e in ents:
        e["modifies_medication"] = e["id"] in attached
    rels, rels_excluded = set(), []
    for rtype, spec in mapping.get("relations", {}).items():
        for t, a, h in corpus_rels:
            if t != spec["gold"]:
                continue
            if eff[a] != spec["attribute"] or eff[h] != spec["head"]:
                continue
            if h in reason or a in reason:
                rels_excluded.append({"type": rtype, "head": bdoc.spans[h].text,
                                      "tail": bdoc.spans[a].text,
                                      "reason": reason.get(h) or reason.get(a)})
            else:
                rels.add((rtype, h, a))
    return {"entities": ents, "excluded": excluded, "relations": rels,
            "relations_excluded": rels_excluded}


def effective_labels(bdoc: BratDoc, labels: set) -> dict:
    """Each span's label, where a ``Coreference`` span that IDENTICAL relations chain to a span
    of one of ``labels`` takes that label (MACCROBAT marks a repeated mention as Coreference)."""
    eff = {tid: s.label for tid, s in bdoc.spans.items()}
    if not labels:
        return eff
    parent = {tid: tid for tid in bdoc.spans}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for t, a, b in bdoc.relations:
        if t == "IDENTICAL" and "Coreference" in (bdoc.spans[a].label, bdoc.spans[b].label):
            parent[find(a)] = find(b)
    group_label = {}
    for tid, s in bdoc.spans.items():
        if s.label in labels:
            group_label.setdefault(find(tid), s.label)
    for tid, s in bdoc.spans.items():
        if s.label == "Coreference" and find(tid) in group_label:
            eff[tid] = group_label[find(tid)]
    return eff


def pred_from_document(doc) -> dict:
    """Entities (text coordinates) and records of a pipeline Document, as plain dicts."""
    ents = [{k: e.get(k) for k in ("id", "type", "start", "end", "text")} for e in doc.entities]
    return {"text": doc.text, "entities": ents, "records": list(doc.records),
            "source_span": doc.source_span}


def pred_items(pred: dict, mapping: dict, raw: str) -> dict:
    """Predicted entities in corpus (raw) coordinates under the mapped types, and the relations
    from the records. ``pred["source_span"](start, end)`` maps text to raw offsets (identity
    when absent). A DOSE is joined with a UNIT that follows it with only spaces between."""
    text = pred.get("text", raw)
    to_raw = pred.get("source_span") or (lambda s, e: (s, e))
    by_id = {e["id"]: e for e in pred["entities"]}
    pred_type = {}
    joins = {}
    for typ, spec in mapping["types"].items():
        for lab in spec["pred"]:
            pred_type[lab] = typ
        for lab in spec.get("join_adjacent", []):
            joins[lab] = typ
    units = sorted((e for e in pred["entities"] if e["type"] in joins), key=lambda e: e["start"])
    ents, alias = [], {}
    used_units = set()
    for e in sorted(pred["entities"], key=lambda e: (e["start"], e["end"])):
        typ = pred_type.get(e["type"])
        if typ is None:
            continue
        s, t = e["start"], e["end"]
        parts = [e["id"]]
        for u in units:
            if joins[u["type"]] != typ or u["id"] in used_units:
                continue
            if u["start"] >= t and not text[t:u["start"]].strip() and u["start"] - t <= 2:
                t = u["end"]
                parts.append(u["id"])
                used_units.add(u["id"])
                break
        rs, re_ = to_raw(s, t)
        if rs is None:
            continue
        ents.append({"id": e["id"], "type": typ, "pred_type": "+".join(by_id[p]["type"] for p in parts),
                     "start": rs, "end": re_, "text": raw[rs:re_], "parts": parts})
        for p in parts:
            alias[p] = e["id"]
    rels = set()
    for rtype, spec in mapping.get("relations", {}).items():
        for r in pred.get("records", []):
            d, a = r.get("drug"), r.get(spec["slot"])
            if d in alias and a in alias:
                rels.add((rtype, alias[d], alias[a]))
    return {"entities": ents, "relations": rels}
