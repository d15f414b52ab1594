"""Scores a brat corpus against the pipeline, document by document, through a label mapping.

``doseline evaluate --corpus brat DIR --map maccrobat [--out REPORT] [--limit N]`` runs the whole
pipeline on every ``.txt`` of DIR, maps the corpus labels onto ours (:mod:`.mapping`) and scores
entities (strict: same span; lenient: overlapping span, one-to-one, as in
:func:`pipeline.evaluate.score.match_entities`) and drug-attribute relations, micro (pooled counts)
and macro (mean of per-document scores), with a per-document breakdown and the lists of misses.
A prediction that only overlaps a corpus span outside our schema is "ignored" (neither hit nor
false positive) and listed too. Reading is in :mod:`.brat`, tables and the command in
:mod:`.report`; their names are re-exported here.
"""
from __future__ import annotations

import re
import sys
import time
from collections import defaultdict

from .brat import BratDoc, BratSpan, list_corpus, parse_ann, read_brat  # noqa: F401 (re-exported)
from .mapping import (effective_labels, gold_items, load_mapping, outside_schema,  # noqa: F401
                      pred_from_document, pred_items)
from .records import REL_CLASSES, classify_relations
from .score import match_entities, prf

CONTEXT = 50  # characters of corpus text either side of a miss, in the report


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
            out["relation_errors"] = classify_relations(
                [{"type": t, "drugs": {h}, "attr": a} for t, h, a in gold["relations"]], prels,
                set(m.values()))
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
    res["relation_errors"] = {c: sum(d["relation_errors"][c] for d in docs) for c in REL_CLASSES}
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
