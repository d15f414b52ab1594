"""Evaluation against a third-party corpus in brat standoff, through a label mapping.

``doseline evaluate --corpus brat DIR --map maccrobat [--out REPORT] [--limit N]`` runs the whole
pipeline on every ``.txt`` of DIR, maps the corpus labels onto ours with the mapping in
``patterns/mappings/<name>.json`` and scores entities (strict: same span; lenient: overlapping
span, one-to-one, as in :func:`pipeline.evaluate.match_entities`) and drug-attribute relations,
micro (pooled counts) and macro (mean of per-document scores), with a per-document breakdown and
the lists of misses. Predicted spans are scored in the corpus text's coordinates: the pipeline's
cleanup may reflow the text, so every entity is mapped back through ``Document.source_span`` to
the raw input, which is the corpus ``.txt`` itself.

Corpus spans our schema does not annotate (drug classes, generic therapy words, dosage forms,
...) are listed apart by term lists in the mapping, never silently dropped; a prediction that only
overlaps such a span is "ignored" (neither hit nor false positive) and listed too.

brat standoff: https://brat.nlplab.org/standoff.html (``T`` text-bound spans, possibly
discontinuous ``start end;start end``; ``E`` events whose trigger is a ``T``; ``R`` relations
``TYPE Arg1:X Arg2:Y``). MACCROBAT2020: Caufield et al. 2019, doi:10.6084/m9.figshare.9764942.
"""
from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .score import match_entities, prf
from ..datasets.export import brat_fragments, read_exact

CONTEXT = 50  # characters of corpus text either side of a miss, in the report


# ---------------------------------------------------------------------------------------------
# brat reader
# ---------------------------------------------------------------------------------------------
@dataclass
class BratSpan:
    id: str
    label: str
    start: int  # extent of all fragments
    end: int
    text: str
    fragments: list = field(default_factory=list)


@dataclass
class BratDoc:
    name: str
    text: str
    spans: dict  # T id -> BratSpan
    relations: list  # (type, arg1 T id, arg2 T id), event ids resolved to their trigger


def parse_ann(ann: str) -> tuple[dict, list]:
    spans, events, raw_rels = {}, {}, []
    for line in ann.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        kind = parts[0][:1]
        if kind == "T" and len(parts) >= 2:
            label, _, locs = parts[1].partition(" ")
            frags = brat_fragments(locs)
            spans[parts[0]] = BratSpan(parts[0], label, min(a for a, _ in frags),
                                       max(b for _, b in frags),
                                       parts[2] if len(parts) > 2 else "", frags)
        elif kind == "E" and len(parts) >= 2:
            trigger = parts[1].split()[0]
            events[parts[0]] = trigger.partition(":")[2]
        elif kind == "R" and len(parts) >= 2:
            f = parts[1].split()
            if len(f) >= 3:
                raw_rels.append((f[0], f[1].partition(":")[2], f[2].partition(":")[2]))
    rels = [(t, events.get(a, a), events.get(b, b)) for t, a, b in raw_rels]
    return spans, [r for r in rels if r[1] in spans and r[2] in spans]


def read_brat(txt_path: str | Path) -> BratDoc:
    """One brat document: the ``.txt`` (offsets count characters, newlines kept) and its ``.ann``."""
    txt_path = Path(txt_path)
    text = read_exact(txt_path)
    ann_path = txt_path.with_suffix(".ann")
    ann = read_exact(ann_path) if ann_path.exists() else ""
    spans, rels = parse_ann(ann)
    return BratDoc(txt_path.stem, text, spans, rels)


def list_corpus(directory: str | Path, limit: int | None = None) -> list[Path]:
    files = sorted(Path(directory).glob("*.txt"))
    return files[:limit] if limit else files


# ---------------------------------------------------------------------------------------------
# the mapping
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# scoring one document
# ---------------------------------------------------------------------------------------------
def _overlaps(a, b) -> bool:
    return min(a["end"], b["end"]) > max(a["start"], b["start"])


def _inside(a, b) -> bool:
    return b["start"] <= a["start"] and a["end"] <= b["end"]


def _context(text: str, s: int, e: int) -> str:
    left = text[max(0, s - CONTEXT):s].split("\n")[-1]
    right = text[e:e + CONTEXT].split("\n")[0]
    return f"{left}[{text[s:e]}]{right}"


def score_document(bdoc: BratDoc, pred: dict, mapping: dict) -> dict:
    """Counts, matches and misses of one document (``pred`` as from :func:`pred_from_document`)."""
    gold = gold_items(bdoc, mapping)
    pr = pred_items(pred, mapping, bdoc.text)
    types = list(mapping["types"])
    gents, pents = gold["entities"], pr["entities"]
    gmap = {g["id"]: g for g in gents}
    # predictions that only touch corpus spans our schema leaves out, or that sit inside a
    # corpus span that swallows them by convention, are ignored (listed, not counted)
    ignored = {}
    spans = list(bdoc.spans.values())
    for p in pents:
        spec = mapping["types"][p["type"]]
        inside = set(spec.get("ignore_pred_inside", []))
        for s in spans:
            sd = {"start": s.start, "end": s.end}
            if s.label in inside and _inside(p, sd) and not any(
                    g["type"] == p["type"] and _overlaps(p, g) for g in gents):
                ignored[p["id"]] = f"inside corpus {s.label} '{s.text}'"
                break
    for x in gold["excluded"]:
        for p in pents:
            if p["type"] == x["type"] and _overlaps(p, x) and p["id"] not in ignored and not any(
                    g["type"] == p["type"] and _overlaps(p, g) for g in gents):
                ignored[p["id"]] = f"overlaps {x['label']} '{x['text']}' ({x['category']})"
    scored = [p for p in pents if p["id"] not in ignored]
    pmap = {p["id"]: p for p in scored}
    out = {"document": bdoc.name, "counts": {}, "relations": {}, "misses": {}}
    matches = {mode: match_entities(scored, gents, mode) for mode in ("strict", "lenient")}
    for mode, m in matches.items():
        rows = {}
        for t in types:
            tp = sum(1 for p in m if pmap[p]["type"] == t)
            rows[t] = {"tp": tp, "fp": sum(1 for p in scored if p["type"] == t) - tp,
                       "fn": sum(1 for g in gents if g["type"] == t) - tp}
        out["counts"][mode] = rows
    # relations on entity matches
    for mode, m in matches.items():
        prels = {(t, m.get(h, f"p:{h}"), m.get(a, f"p:{a}")) for t, h, a in pr["relations"]
                 if h not in ignored and a not in ignored}
        rows = {}
        for rt in mapping.get("relations", {}):
            P = {r for r in prels if r[0] == rt}
            G = {r for r in gold["relations"] if r[0] == rt}
            rows[rt] = {"tp": len(P & G), "fp": len(P - G), "fn": len(G - P)}
        out["relations"][mode] = rows
        if mode == "lenient":
            out["_prels"], out["_grels"] = prels, gold["relations"]
    # misses (lenient)
    lm = matches["lenient"]
    matched_gold = set(lm.values())
    text = bdoc.text
    brief = lambda e: {"document": bdoc.name, "type": e["type"], "text": e["text"],
                       "start": e["start"], "end": e["end"],
                       "context": _context(text, e["start"], e["end"])}
    fps = []
    for p in scored:
        if p["id"] in lm:
            continue
        labels = sorted({s.label for s in spans if _overlaps(p, {"start": s.start, "end": s.end})})
        if not labels:
            ls, le = text.rfind("\n", 0, p["start"]) + 1, text.find("\n", p["end"])
            line = {"start": ls, "end": le if le >= 0 else len(text)}
            annotated = any(_overlaps(line, {"start": s.start, "end": s.end}) for s in spans)
            labels = ["(no span)" if annotated else "(sentence not annotated)"]
        fps.append({**brief(p), "pred_type": p["pred_type"], "corpus_labels": labels})
    fns = [{**brief(g), "label": g["label"], "modifies_medication": g["modifies_medication"]}
           for g in gents if g["id"] not in matched_gold]
    boundary = [{**brief(gmap[g]), "pred": pmap[p]["text"]} for p, g in lm.items()
                if p not in matches["strict"]]
    span_text = lambda x: (gmap[x]["text"] if x in gmap else bdoc.spans[x].text if x in bdoc.spans
                           else next((p["text"] for p in pents if f"p:{p['id']}" == x), x))
    rel_brief = lambda r: {"document": bdoc.name, "type": r[0], "drug": span_text(r[1]),
                           "attribute": span_text(r[2])}
    out["misses"] = {
        "false_negatives": fns, "false_positives": fps, "boundary": boundary,
        "relation_fn": [rel_brief(r) for r in sorted(out["_grels"] - out["_prels"])],
        "relation_fp": [rel_brief(r) for r in sorted(out["_prels"] - out["_grels"])],
        "excluded_gold": [{**brief(x), "label": x["label"], "category": x["category"]}
                          for x in gold["excluded"]],
        "excluded_relations": [{"document": bdoc.name, **r} for r in gold["relations_excluded"]],
        "ignored_pred": [{**brief(p), "reason": ignored[p["id"]]} for p in pents if p["id"] in ignored],
    }
    # recall by subgroup: drug-attached or not, and the forms named in the mapping
    groups = defaultdict(lambda: [0, 0])
    for g in gents:
        keys = []
        if mapping["types"][g["type"]].get("recall_by_attachment"):
            keys.append(f"{g['type']} | modifies a Medication: "
                        f"{'yes' if g['modifies_medication'] else 'no'}")
        for form, rx in mapping["types"][g["type"]].get("recall_by_form", {}).items():
            if re.search(rx, g["text"], re.I):
                keys.append(f"{g['type']} | form: {form}")
                break
        else:
            if mapping["types"][g["type"]].get("recall_by_form"):
                keys.append(f"{g['type']} | form: other")
        for k in keys:
            groups[k][0] += 1
            groups[k][1] += g["id"] in matched_gold
    out["recall_groups"] = {k: v for k, v in groups.items()}
    del out["_prels"], out["_grels"]
    return out


# ---------------------------------------------------------------------------------------------
# aggregation
# ---------------------------------------------------------------------------------------------
def aggregate(docs: list, mapping: dict) -> dict:
    """Micro (pooled counts) and macro (mean over documents where the type occurs in gold or
    prediction) precision/recall/F1, strict and lenient, for entities and relations."""
    res = {"entities": {}, "relations": {}}
    for section, names in (("entities", list(mapping["types"])),
                           ("relations", list(mapping.get("relations", {})))):
        key = "counts" if section == "entities" else "relations"
        for mode in ("strict", "lenient"):
            rows = {}
            for t in names + ["micro"]:
                tot = [0, 0, 0]
                per = []
                for d in docs:
                    c = d[key][mode]
                    cs = [c[t]] if t != "micro" else list(c.values())
                    tp, fp, fn = (sum(x[k] for x in cs) for k in ("tp", "fp", "fn"))
                    tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
                    if tp or fp or fn:
                        per.append(prf(tp, fp, fn))
                row = prf(*tot)
                row["gold"], row["pred"] = tot[0] + tot[2], tot[0] + tot[1]
                n = len(per)
                row["macro"] = {k: (sum(p[k] for p in per) / n if n else None)
                                for k in ("precision", "recall", "f1")}
                row["macro"]["documents"] = n
                rows[t] = row
            res[section][mode] = rows
    groups = defaultdict(lambda: [0, 0])
    for d in docs:
        for k, (n, hit) in d["recall_groups"].items():
            groups[k][0] += n
            groups[k][1] += hit
    fp_by = defaultdict(lambda: defaultdict(int))
    for d in docs:
        for x in d["misses"]["false_positives"]:
            fp_by[x["type"]][" + ".join(x["corpus_labels"])] += 1
    res["false_positives_by_corpus_label"] = {
        t: dict(sorted(v.items(), key=lambda kv: -kv[1])) for t, v in fp_by.items()}
    res["recall_groups"] = {k: {"gold": n, "found": h, "recall": h / n if n else None}
                            for k, (n, h) in sorted(groups.items())}
    return res


def evaluate_dir(directory, mapping: dict, limit: int | None = None, runner=None,
                 progress: bool = False, split: str | None = None) -> dict:
    """Run ``runner(text, path) -> Document`` (the pipeline by default) on each corpus text and
    score it. Documents the pipeline fails on are scored as empty predictions and listed.
    ``split`` (tune, heldout, all; :mod:`.splits`) picks the fixed half; reserved documents are
    never run. A held-out result keeps counts only: its misses are not listed."""
    if runner is None:
        from ..run import run_text as runner
    from .splits import select
    files, reserved = select(list_corpus(directory), split)
    files = files[:limit] if limit else files
    docs, errors, seconds = [], [], {}
    it = files
    if progress:
        from tqdm import tqdm
        it = tqdm(files, desc="corpus", unit="doc", file=sys.stderr)
    for f in it:
        bdoc = read_brat(f)
        t0 = time.perf_counter()
        try:
            pred = pred_from_document(runner(bdoc.text, str(f)))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the corpus
            errors.append({"document": bdoc.name, "error": f"{type(exc).__name__}: {exc}"})
            pred = {"text": bdoc.text, "entities": [], "records": []}
        seconds[bdoc.name] = time.perf_counter() - t0
        docs.append(score_document(bdoc, pred, mapping))
    result = aggregate(docs, mapping)
    misses = defaultdict(list)
    for d in docs:
        for k, v in d["misses"].items():
            misses[k].extend(v)
    result.update({
        "corpus": str(directory), "mapping": mapping.get("name"), "documents": len(docs),
        "errors": errors, "seconds": {"total": sum(seconds.values()), "per_document": seconds},
        "per_document": [{"document": d["document"], "counts": d["counts"],
                          "relations": d["relations"]} for d in docs],
        "misses": dict(misses),
        "caveats": mapping.get("caveats", []),
        "notes": {t: s.get("note") for t, s in mapping["types"].items()},
        "excluded_summary": _excluded_summary(misses.get("excluded_gold", [])),
    })
    if split:
        result["split"] = split
    if reserved:
        result["reserved_unseen_gold"] = reserved
    if split == "heldout":
        withhold(result)
    return result


def withhold(result: dict) -> None:
    """Held-out results keep counts, never the misses themselves (nobody reads them one by one)."""
    result["misses"] = {k: len(v) for k, v in result["misses"].items()}
    result["excluded_summary"] = {k: {"count": v["count"]} for k, v in
                                  result["excluded_summary"].items()}
    result["heldout"] = True


def _excluded_summary(excluded: list) -> dict:
    out = defaultdict(lambda: defaultdict(int))
    for x in excluded:
        out[f"{x['label']} | {x['category']}"][x["text"]] += 1
    return {k: {"count": sum(v.values()), "texts": dict(sorted(v.items(), key=lambda kv: -kv[1]))}
            for k, v in sorted(out.items())}


# ---------------------------------------------------------------------------------------------
# presentation and the command
# ---------------------------------------------------------------------------------------------
def tables(result: dict, per_document: bool = True, misses: int = 8) -> str:
    import pandas as pd
    fmt = lambda x: f"{x:.3f}"
    out = []
    rows = []
    ent = result["entities"]
    for t in ent["lenient"]:
        s, l = ent["strict"][t], ent["lenient"][t]
        rows.append({"type": t, "gold": l["gold"], "pred": l["pred"],
                     "strict P": s["precision"], "strict R": s["recall"], "strict F1": s["f1"],
                     "P": l["precision"], "R": l["recall"], "F1": l["f1"],
                     "macro F1": l["macro"]["f1"]})
    split = f", split '{result['split']}'" if result.get("split") else ""
    out.append(f"MACCROBAT-style corpus {result['corpus']} ({result['documents']} documents, "
               f"mapping '{result['mapping']}'{split})")
    out.append("\nEntities (strict; lenient P/R/F1 = overlap, one-to-one; macro = mean over documents)")
    out.append(pd.DataFrame(rows).set_index("type").to_string(float_format=fmt))
    rows = []
    rel = result["relations"]
    for t in rel["lenient"]:
        s, l = rel["strict"][t], rel["lenient"][t]
        rows.append({"relation": t, "gold": l["gold"], "pred": l["pred"], "strict F1": s["f1"],
                     "P": l["precision"], "R": l["recall"], "F1": l["f1"],
                     "macro F1": l["macro"]["f1"]})
    out.append("\nRelations (on strict / lenient entity matches)")
    out.append(pd.DataFrame(rows).set_index("relation").to_string(float_format=fmt))
    g = result["recall_groups"]
    if g:
        out.append("\nRecall by group")
        out.append(pd.DataFrame([{"group": k, **v} for k, v in g.items()]).set_index("group")
                   .to_string(float_format=fmt))
    fpl = result.get("false_positives_by_corpus_label", {})
    if fpl:
        rows = [{"type": t, "corpus label under the false positive": k, "count": n}
                for t, v in fpl.items() for k, n in list(v.items())[:6]]
        out.append("\nFalse positives by what the corpus says at that place (top 6 per type)")
        out.append(pd.DataFrame(rows).set_index(["type", "corpus label under the false positive"])
                   .to_string())
    ex = result["excluded_summary"]
    if ex:
        out.append("\nCorpus spans outside our schema (not scored)")
        out.append(pd.DataFrame([{"label | category": k, "count": v["count"],
                                  "examples": ", ".join(list(v.get("texts", {}))[:6])}
                                 for k, v in ex.items()]).set_index("label | category")
                   .to_string(max_colwidth=90))
    if per_document and result["per_document"]:
        rows = []
        for d in result["per_document"]:
            r = {"document": d["document"]}
            for t, c in d["counts"]["lenient"].items():
                r[t] = f"{c['tp']}/{c['fp']}/{c['fn']}"
            for t, c in d["relations"]["lenient"].items():
                r[t] = f"{c['tp']}/{c['fp']}/{c['fn']}"
            rows.append(r)
        out.append("\nPer document, lenient tp/fp/fn")
        out.append(pd.DataFrame(rows).set_index("document").to_string())
    if misses and not result.get("heldout"):
        m = result["misses"]
        for key, title in (("false_negatives", "Missed corpus spans"),
                           ("false_positives", "False positives")):
            items = m.get(key, [])
            if items:
                out.append(f"\n{title} ({len(items)}; first {misses} per type, all in --out)")
                by = defaultdict(list)
                for x in items:
                    by[x["type"]].append(x)
                for t, xs in by.items():
                    for x in xs[:misses]:
                        out.append(f"  {t:10} {x['document']}: {x['context']}")
    if result.get("reserved_unseen_gold"):
        out.append("\nReserved unseen gold (not run): " + ", ".join(result["reserved_unseen_gold"]))
    if result.get("heldout"):
        out.append("\nHeld-out half: counts only, misses withheld")
    if result["errors"]:
        out.append(f"\n{len(result['errors'])} documents failed in the pipeline:")
        out.extend(f"  {e['document']}: {e['error']}" for e in result["errors"])
    if result.get("caveats"):
        out.append("\nMapping caveats")
        out.extend(f"  - {c}" for c in result["caveats"])
    sec = result["seconds"]["total"]
    out.append(f"\n{result['documents']} documents in {sec:.1f} s "
               f"({sec / max(result['documents'], 1):.2f} s per document)")
    return "\n".join(out)


def evaluate_corpus(args) -> int:
    fmt, rest = args.corpus[0].lower(), args.corpus[1:]
    if fmt == "phee":
        return evaluate_phee_command(args, rest[0] if rest else None)
    if fmt != "brat" or len(rest) != 1:
        print("doseline: --corpus takes 'brat DIR' or 'phee [DIR]'", file=sys.stderr)
        return 2
    directory = rest[0]
    split = getattr(args, "split", None)
    if split is not None and split not in ("tune", "heldout", "all"):
        print(f"doseline: --split for a brat corpus is tune, heldout or all", file=sys.stderr)
        return 2
    d = Path(directory)
    if not d.is_dir() or not list_corpus(d, 1):
        print(f"doseline: {d}: not a folder of brat .txt/.ann files", file=sys.stderr)
        return 2
    try:
        mapping = load_mapping(args.map or "maccrobat")
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        print(f"doseline: cannot load mapping '{args.map}': {exc}", file=sys.stderr)
        return 2
    limit = getattr(args, "limit", None)
    result = evaluate_dir(d, mapping, limit=limit, progress=sys.stderr.isatty(), split=split)
    print(tables(result))
    _write_out(args, result)
    return 1 if result["errors"] else 0


def evaluate_phee_command(args, directory: str | None) -> int:
    from .phee import SPLITS, default_dir, evaluate_phee, tables as phee_tables
    d = Path(directory) if directory else default_dir()
    split = getattr(args, "split", None) or "all"
    if split not in SPLITS:
        print(f"doseline: --split for phee is one of {', '.join(SPLITS)}", file=sys.stderr)
        return 2
    if not (d / "json").is_dir() and not list(d.glob("*.json")):
        print(f"doseline: {d}: not a PHEE folder (json/<split>.json)", file=sys.stderr)
        return 2
    name = args.map if args.map and args.map != "maccrobat" else "phee"
    result = evaluate_phee(d, load_mapping(name), split, limit=getattr(args, "limit", None),
                           progress=sys.stderr.isatty())
    print(phee_tables(result))
    _write_out(args, result)
    return 1 if result["errors"] else 0


def _write_out(args, result: dict) -> None:
    if getattr(args, "out", None):
        from ..datasets.export import write_atomic
        write_atomic(args.out, json.dumps(result, ensure_ascii=False, indent=1, default=_jsonable) + "\n")
        print(f"report -> {args.out}", file=sys.stderr)


def _jsonable(x):
    if isinstance(x, (set, tuple)):
        return sorted(x)
    return str(x)
