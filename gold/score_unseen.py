#!/usr/bin/env python3
"""Score the pipeline on the unseen case texts: per document, pooled, and misses by class.

Why a pooled score: five short texts hold 1 to 13 records each, so one document's F1 moves in
steps of 0.1-0.5; pooling sums true/false positives and negatives over the documents (micro
average, as the SemEval/i2b2 medication tasks report) before computing P/R/F1.

Why miss classes: issue 13 asks for record misses by class (missing attribute, extra attribute,
wrong drug, wrong case, spurious record, missed record), so that a reader sees which decision
failed without reading the misses one by one. Each unmatched gold record is paired with the
unmatched predicted record on the same drug mention that differs in the fewest slots; a pair is
classed by how it differs. Unpaired gold records are a wrong drug when a leftover predicted
record has all the same slots on another drug mention, else missed; unpaired predicted records
are spurious. Entity misses are counted by type: missed (no overlapping prediction), spurious,
boundary (overlap but not the same span) and norm (matched, other normalized value).

Usage: python gold/score_unseen.py [--pred-dir DIR] [--json OUT]
       (runs the pipeline on each text unless DIR holds <id>.json predictions)
"""
from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipeline.document import ENTITY_TYPES  # noqa: E402
from pipeline.evaluate.score import (align, evaluate, mapped_entities, match_entities,  # noqa: E402
                                     prf)

_spec = importlib.util.spec_from_file_location("doseline_gold_build", HERE / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

SINGLE = ("dose", "unit", "frequency", "route", "regimen")
LISTS = ("days", "dates")
RECORD_CLASSES = ("missing attribute", "extra attribute", "missing and extra attribute",
                  "wrong drug", "wrong case", "spurious record", "missed record")
ENTITY_CLASSES = ("missed", "spurious", "boundary", "norm")


def predict(folder: Path, shared=None, pred_dir: Path | None = None) -> dict:
    """The pipeline's document for one folder's text (read from pred_dir when given)."""
    if pred_dir is not None and (pred_dir / f"{folder.name}.json").is_file():
        return json.loads((pred_dir / f"{folder.name}.json").read_text(encoding="utf-8"))
    from pipeline.datasets.export import to_dict
    from pipeline.run import run_path
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return to_dict(run_path(build.shared_root(shared) / meta["source"]))


def lenient_map(pred: dict, gold: dict) -> dict:
    """Predicted entity id -> gold entity id, as :func:`evaluate` matches them."""
    same = pred.get("text") == gold.get("text")
    al = None if same else align(pred.get("text", ""), gold.get("text", ""))
    return match_entities(mapped_entities(pred, al), gold["entities"], "lenient")


def _slots(r: dict, m) -> dict:
    out = {s: m(r.get(s)) if r.get(s) else None for s in SINGLE}
    out.update({s: frozenset(m(x) for x in r.get(s, [])) for s in LISTS})
    out["case"] = r.get("case")
    return out


def record_misses(pred: dict, gold: dict) -> dict:
    """Counts of record misses by class, and of the slots missing/extra in paired records."""
    lm = lenient_map(pred, gold)
    pm = lambda x: lm.get(x, f"unmatched:{x}")
    gid = lambda x: x
    P = [(pm(r["drug"]), _slots(r, pm)) for r in pred.get("records", [])]
    G = [(r["drug"], _slots(r, gid)) for r in gold.get("records", [])]
    for g in list(G):  # exact matches first, as evaluate() counts them
        if g in P:
            P.remove(g)
            G.remove(g)
    classes, slots = Counter(), Counter()
    rest_g = []
    for gd, gs in G:
        cands = [(sum(gs[k] != ps[k] for k in gs), i) for i, (pd, ps) in enumerate(P) if pd == gd]
        if not cands:
            rest_g.append((gd, gs))
            continue
        _, i = min(cands)
        _, ps = P.pop(i)
        missing = [k for k in SINGLE if gs[k] and gs[k] != ps[k]] + \
            [k for k in LISTS if gs[k] - ps[k]]
        extra = [k for k in SINGLE if ps[k] and gs[k] != ps[k]] + \
            [k for k in LISTS if ps[k] - gs[k]]
        slots.update(f"missing {k}" for k in missing)
        slots.update(f"extra {k}" for k in extra)
        if gs["case"] != ps["case"]:
            slots["wrong case"] += 1
        if missing and extra:
            classes["missing and extra attribute"] += 1
        elif missing:
            classes["missing attribute"] += 1
        elif extra:
            classes["extra attribute"] += 1
        else:
            classes["wrong case"] += 1
    for gd, gs in rest_g:
        same = [i for i, (pd, ps) in enumerate(P) if ps == gs]
        if same:
            P.pop(same[0])
            classes["wrong drug"] += 1
        else:
            classes["missed record"] += 1
    classes["spurious record"] += len(P)
    return {"classes": {c: classes.get(c, 0) for c in RECORD_CLASSES}, "slots": dict(slots)}


def entity_misses(result: dict) -> dict:
    """Counts per class and entity type from the error lists of :func:`evaluate`."""
    e = result["errors"]
    out = {c: Counter() for c in ENTITY_CLASSES}
    out["missed"].update(x["type"] for x in e["false_negatives"])
    out["spurious"].update(x["type"] for x in e["false_positives"])
    out["boundary"].update(x["gold"]["type"] for x in e["boundary_errors"])
    out["norm"].update(x["type"] for x in e["norm_errors"])
    return {c: dict(v) for c, v in out.items()}


def score(shared=None, pred_dir=None) -> dict:
    """Per document: the evaluate() result and its miss classes; and the pooled numbers."""
    docs = {}
    for folder in build.folders():
        gold = build.build_folder(folder, shared)
        pred = predict(folder, shared, pred_dir)
        res = evaluate(pred, gold)
        docs[folder.name] = {"result": res, "records_by_class": record_misses(pred, gold),
                             "entities_by_class": entity_misses(res)}
    return {"documents": docs, "pooled": pool([d["result"] for d in docs.values()]),
            "records_by_class": _sum(d["records_by_class"]["classes"] for d in docs.values()),
            "record_slots": _sum(d["records_by_class"]["slots"] for d in docs.values()),
            "entities_by_class": {c: _sum(d["entities_by_class"][c] for d in docs.values())
                                  for c in ENTITY_CLASSES}}


def _sum(dicts) -> dict:
    out = Counter()
    for d in dicts:
        out.update(d)
    return dict(out)


def pool(results: list) -> dict:
    """Micro-pooled entities (strict, lenient), normalization, relations and records."""
    def pooled(rows_list):
        acc = {}
        for rows in rows_list:
            for k, v in rows.items():
                a = acc.setdefault(k, [0, 0, 0])
                a[0] += v["tp"]; a[1] += v["fp"]; a[2] += v["fn"]
        return {k: prf(*v) for k, v in acc.items()}
    norm = {}
    for r in results:
        for t, v in r["normalization"].items():
            a = norm.setdefault(t, [0, 0])
            a[0] += v["correct"]; a[1] += v["matched"]
    return {"entities": {m: pooled([r["entities"][m] for r in results])
                         for m in ("strict", "lenient")},
            "normalization": {t: {"accuracy": c / n, "correct": c, "matched": n}
                              for t, (c, n) in norm.items()},
            "relations": pooled([r["relations"] for r in results]),
            "records": pooled([{"records": r["records"]} for r in results])["records"]}


# ---------------------------------------------------------------------------------------------
# markdown
# ---------------------------------------------------------------------------------------------
def _f(x):
    return f"{x:.3f}"


def markdown(s: dict) -> str:
    docs, pooled = s["documents"], s["pooled"]
    cols = list(docs) + ["pooled"]
    res = {**{k: v["result"] for k, v in docs.items()}, "pooled": pooled}
    out = ["### Summary (F1; records P/R/F1 with tp/fp/fn)", "",
           "| document | entities strict | entities lenient | norm acc | relations | records P | records R | records F1 | tp/fp/fn |",
           "|---|---|---|---|---|---|---|---|---|"]
    for c in cols:
        r = res[c]
        rec = r["records"]
        out.append(f"| {c} | {_f(r['entities']['strict']['micro']['f1'])} | "
                   f"{_f(r['entities']['lenient']['micro']['f1'])} | "
                   f"{_f(r['normalization']['micro']['accuracy'])} | "
                   f"{_f(r['relations']['micro']['f1'])} | {_f(rec['precision'])} | "
                   f"{_f(rec['recall'])} | {_f(rec['f1'])} | {rec['tp']}/{rec['fp']}/{rec['fn']} |")
    out += ["", "### Entities, pooled, per type", "",
            "| type | gold | pred | strict P | strict R | strict F1 | lenient P | lenient R | lenient F1 | norm acc |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for t in list(ENTITY_TYPES) + ["micro"]:
        st, le = pooled["entities"]["strict"].get(t), pooled["entities"]["lenient"].get(t)
        if not st:
            continue
        n = pooled["normalization"].get(t)
        out.append(f"| {t} | {st['tp'] + st['fn']} | {st['tp'] + st['fp']} | {_f(st['precision'])} | "
                   f"{_f(st['recall'])} | {_f(st['f1'])} | {_f(le['precision'])} | "
                   f"{_f(le['recall'])} | {_f(le['f1'])} | {_f(n['accuracy']) if n else '-'} |")
    out += ["", "### Entities, per document, per type (strict F1 / lenient F1)", "",
            "| type | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for t in ENTITY_TYPES:
        cells = []
        for c in cols:
            st, le = res[c]["entities"]["strict"].get(t), res[c]["entities"]["lenient"].get(t)
            cells.append(f"{_f(st['f1'])} / {_f(le['f1'])}" if st else "-")
        if any(x != "-" for x in cells):
            out.append(f"| {t} | " + " | ".join(cells) + " |")
    rels = sorted({k for c in cols for k in res[c]["relations"] if k != "micro"}) + ["micro"]
    out += ["", "### Relations F1 (tp/fp/fn)", "",
            "| relation | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for k in rels:
        cells = []
        for c in cols:
            v = res[c]["relations"].get(k)
            cells.append(f"{_f(v['f1'])} ({v['tp']}/{v['fp']}/{v['fn']})" if v else "-")
        out.append(f"| {k} | " + " | ".join(cells) + " |")
    out += ["", "### Record misses by class (counts)", "",
            "| class | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for k in RECORD_CLASSES:
        cells = [str(docs[c]["records_by_class"]["classes"].get(k, 0)) for c in docs]
        out.append(f"| {k} | " + " | ".join(cells) + f" | {s['records_by_class'].get(k, 0)} |")
    if s["record_slots"]:
        out += ["", "Slots behind the paired misses (pooled): " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["record_slots"].items())) + "."]
    out += ["", "### Entity misses by class (counts, pooled, by type)", "",
            "| class | total | by type |", "|---|---|---|"]
    for c in ENTITY_CLASSES:
        d = s["entities_by_class"][c]
        out.append(f"| {c} | {sum(d.values())} | "
                   + (", ".join(f"{t} {n}" for t, n in sorted(d.items())) or "-") + " |")
    return "\n".join(out) + "\n"


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    pred_dir = Path(args[args.index("--pred-dir") + 1]) if "--pred-dir" in args else None
    s = score(pred_dir=pred_dir)
    if "--json" in args:
        out = Path(args[args.index("--json") + 1])
        out.write_text(json.dumps(s, indent=1, ensure_ascii=False, default=list) + "\n",
                       encoding="utf-8")
    print(markdown(s), end="")


if __name__ == "__main__":
    main()
