"""Recall and relation scores on PHEE, the pharmacovigilance event corpus (sentences, JSON lines).

``doseline evaluate --corpus phee [DIR] [--split train|dev|test|tune|heldout|all]`` runs the
pipeline on each PHEE sentence on its own (``pipeline.run.run_text``; the spaCy pipeline is loaded
once) and compares our entities and records with the Treatment arguments of its events, through
``patterns/mappings/phee.json``. PHEE annotates a drug, dose or route only where it takes part in an
adverse or therapeutic event (Sun et al., EMNLP 2022, doi:10.18653/v1/2022.emnlp-main.376), so it
measures recall and relations on annotated events, not precision. Matching is lenient (overlapping
span, one-to-one; :func:`pipeline.evaluate.score.match_entities`), strict recall beside it.

Held-out split (test): counts only. Its misses are never listed, in the tables or in the JSON, so
that nobody tunes on them (the house rule for held-out sets).
"""
from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from .mapping import outside_schema, pred_from_document, pred_items
from .records import REL_CLASSES, classify_relations
from ..resources import shared_dir
from .score import match_entities

SPLITS = {"train": ["train"], "dev": ["dev"], "test": ["test"], "tune": ["train", "dev"],
          "heldout": ["test"], "all": ["train", "dev", "test"]}
HELDOUT = {"test"}
CONTEXT = 50


def _extent(starts: list, texts: list) -> tuple[int, int]:
    return starts[0], starts[-1] + len(texts[-1])


def read_sentences(path: str | Path) -> list[dict]:
    """PHEE JSON lines -> sentences with their Treatment arguments as spans (one per entity id)
    and, per Treatment, its mentions' extents with the argument ids each holds."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        j = json.loads(line)
        spans, treatments = {}, []
        for ann in j.get("annotations", []):
            for ev in ann.get("events", []):
                tr = ev.get("Treatment")
                if not tr:
                    continue
                mentions = [_extent(s, t) for s, t in zip(tr.get("start", []), tr.get("text", []))]
                args = defaultdict(list)
                for label in ("Drug", "Dosage", "Route", "Freq"):
                    a = tr.get(label)
                    if not a:
                        continue
                    for s, t, eid in zip(a["start"], a["text"], a["entity_id"]):
                        st, en = _extent(s, t)
                        spans.setdefault(eid, {"id": eid, "label": label, "start": st, "end": en,
                                               "text": j["context"][st:en]})
                        args[label].append(eid)
                treatments.append({"mentions": mentions, "args": dict(args)})
        out.append({"id": j["id"], "text": j["context"], "spans": spans, "treatments": treatments})
    return out


def _inside(span: dict, ext: tuple) -> bool:
    return ext[0] <= span["start"] and span["end"] <= ext[1]


def gold_items(sent: dict, mapping: dict) -> dict:
    """Scored gold spans (type = mapping type; ``numeric`` flag), those set apart (with their
    category) and gold relations ``{type, attr, drugs}`` between scored spans."""
    label_type = {lab: t for t, spec in mapping["types"].items() for lab in spec["gold"]}
    ents, excluded, reason = [], [], {}
    for s in sent["spans"].values():
        typ = label_type.get(s["label"])
        if typ is None:
            continue
        spec = mapping["types"][typ]
        item = {**s, "type": typ}
        if spec.get("numeric"):
            item["numeric"] = bool(re.search(spec["numeric"], s["text"]))
        why = outside_schema(s["text"], mapping, spec.get("not_in_schema"))
        if why:
            reason[s["id"]] = why
            excluded.append({**item, "category": why})
        else:
            ents.append(item)
    scored = {e["id"]: e for e in ents}
    rels = []
    for rt, spec in mapping.get("relations", {}).items():
        seen = set()
        for tr in sent["treatments"]:
            drugs = [d for d in tr["args"].get("Drug", []) if d in scored]
            for a in tr["args"].get(spec["attribute"], []):
                if a not in scored or (spec.get("numeric_only") and not scored[a].get("numeric")):
                    continue
                exts = [m for m in tr["mentions"] if _inside(scored[a], m)]
                near = [d for d in drugs if any(_inside(scored[d], m) for m in exts)] or drugs
                if near and (a, tuple(near)) not in seen:
                    seen.add((a, tuple(near)))
                    rels.append({"type": rt, "attr": a, "drugs": set(near)})
    return {"entities": ents, "excluded": excluded, "relations": rels}


def _context(text: str, s: int, e: int) -> str:
    return f"{text[max(0, s - CONTEXT):s]}[{text[s:e]}]{text[e:e + CONTEXT]}"


def entity_rows(mapping: dict) -> list[tuple[str, str, bool]]:
    """(row name, mapping type, numeric only): one row per type, plus a numeric row where the
    type has one."""
    rows = []
    for t, spec in mapping["types"].items():
        if spec.get("numeric"):
            rows += [(f"{t} (all)", t, False), (f"{t} numeric", t, True)]
        else:
            rows.append((t, t, False))
    return rows


def score_sentence(sent: dict, pred: dict, mapping: dict) -> dict:
    """Counts of one sentence: per entity row gold/found (lenient and strict), per relation
    gold/found and predicted/true on annotated spans; misses with context."""
    gold = gold_items(sent, mapping)
    pr = pred_items(pred, mapping, sent["text"])
    gents, pents = gold["entities"], pr["entities"]
    lm = match_entities(pents, gents, "lenient")
    sm = match_entities(pents, gents, "strict")
    lg, sg = set(lm.values()), set(sm.values())
    out = {"id": sent["id"], "entities": {}, "relations": {}, "predicted": defaultdict(int),
           "excluded": defaultdict(int), "misses": {"entities": [], "relations": []}}
    for p in pents:
        out["predicted"][p["type"]] += 1
    for x in gold["excluded"]:
        out["excluded"][f"{x['type']} | {x['category']}"] += 1
    for row, typ, numeric in entity_rows(mapping):
        gs = [g for g in gents if g["type"] == typ and (not numeric or g.get("numeric"))]
        out["entities"][row] = {"gold": len(gs), "found": sum(g["id"] in lg for g in gs),
                                "strict": sum(g["id"] in sg for g in gs)}
    gmap = {g["id"]: g for g in gents}
    for g in gents:
        if g["id"] not in lg:
            out["misses"]["entities"].append({"id": sent["id"], "type": g["type"], "text": g["text"],
                                              "context": _context(sent["text"], g["start"], g["end"])})
    prels = {(t, lm[d], lm[a]) for t, d, a in pr["relations"] if d in lm and a in lm}
    out["relation_errors"] = classify_relations(gold["relations"], prels, lg)
    for rt, spec in mapping.get("relations", {}).items():
        G = [r for r in gold["relations"] if r["type"] == rt]
        found = [r for r in G if any((rt, d, r["attr"]) in prels for d in r["drugs"])]
        ok_attr = {r["attr"] for r in G} | {
            g["id"] for g in gents if g["type"] == spec["attribute"]
            and (not spec.get("numeric_only") or g.get("numeric"))}
        P = {(t, d, a) for t, d, a in prels if t == rt and gmap[d]["type"] == "Drug" and a in ok_attr}
        tp = sum(1 for _, d, a in P if any(r["attr"] == a and d in r["drugs"] for r in G))
        out["relations"][rt] = {"gold": len(G), "found": len(found), "pred": len(P), "tp": tp}
        for r in G:
            if r not in found:
                a = gmap[r["attr"]]
                out["misses"]["relations"].append({
                    "id": sent["id"], "type": rt, "attribute": a["text"],
                    "drugs": sorted(gmap[d]["text"] for d in r["drugs"])})
    return out


def _ratio(a: int, b: int):
    return a / b if b else None


def aggregate(scores: list, mapping: dict, heldout: bool) -> dict:
    ents = defaultdict(lambda: defaultdict(int))
    rels = defaultdict(lambda: defaultdict(int))
    pred, excl = defaultdict(int), defaultdict(int)
    for s in scores:
        for row, c in s["entities"].items():
            for k, v in c.items():
                ents[row][k] += v
        for rt, c in s["relations"].items():
            for k, v in c.items():
                rels[rt][k] += v
        for k, v in s["predicted"].items():
            pred[k] += v
        for k, v in s["excluded"].items():
            excl[k] += v
    res = {"sentences": len(scores), "heldout": heldout, "entities": {}, "relations": {},
           "predicted": dict(sorted(pred.items())), "excluded": dict(sorted(excl.items()))}
    for row, c in ents.items():
        res["entities"][row] = {"gold": c["gold"], "found": c["found"],
                                "recall": _ratio(c["found"], c["gold"]),
                                "strict recall": _ratio(c["strict"], c["gold"])}
    for rt, c in rels.items():
        r, p = _ratio(c["found"], c["gold"]), _ratio(c["tp"], c["pred"])
        f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        res["relations"][rt] = {"ours": mapping["relations"][rt].get("ours"), "gold": c["gold"],
                                "found": c["found"], "recall": r, "pred": c["pred"], "tp": c["tp"],
                                "precision": p, "f1": f1}
    res["relation_errors"] = {c: sum(s["relation_errors"][c] for s in scores) for c in REL_CLASSES}
    if not heldout:
        res["misses"] = {k: [m for s in scores for m in s["misses"][k]]
                         for k in ("entities", "relations")}
    return res


def default_dir() -> Path:
    return shared_dir() / "corpora" / "phee"


def split_file(directory: str | Path, split: str) -> Path:
    d = Path(directory)
    for p in (d / "json" / f"{split}.json", d / f"{split}.json"):
        if p.exists():
            return p
    raise FileNotFoundError(f"{d}: no json/{split}.json")


def evaluate_phee(directory, mapping: dict, split: str = "all", runner=None, limit=None,
                  progress: bool = False) -> dict:
    """Score each PHEE split named by ``split`` (tune/heldout/all expand to train, dev, test),
    with pooled "tune" (train+dev) beside the splits when both are run."""
    if runner is None:
        from ..run import run_text as runner
    result = {"corpus": str(directory), "mapping": mapping.get("name"), "splits": {},
              "errors": [], "caveats": mapping.get("caveats", []),
              "notes": {t: s.get("note") for t, s in mapping["types"].items()}}
    per_split, t0 = {}, time.perf_counter()
    for sp in SPLITS[split]:
        sents = read_sentences(split_file(directory, sp))[:limit] if limit else \
            read_sentences(split_file(directory, sp))
        it = sents
        if progress:
            from tqdm import tqdm
            it = tqdm(sents, desc=f"phee {sp}", unit="sent", file=sys.stderr)
        scores = []
        for s in it:
            try:
                pred = pred_from_document(runner(s["text"], s["id"]))
            except Exception as exc:  # noqa: BLE001 - one bad sentence must not stop the corpus
                result["errors"].append({"id": s["id"], "error": f"{type(exc).__name__}: {exc}"})
                pred = {"text": s["text"], "entities": [], "records": []}
            scores.append(score_sentence(s, pred, mapping))
        per_split[sp] = scores
        result["splits"][sp] = aggregate(scores, mapping, sp in HELDOUT)
    if "train" in per_split and "dev" in per_split:
        result["splits"]["tune"] = aggregate(per_split["train"] + per_split["dev"], mapping, False)
        del result["splits"]["tune"]["misses"]  # listed under train and dev
    result["seconds"] = time.perf_counter() - t0
    return result


def tables(result: dict, misses: int = 10) -> str:
    import pandas as pd
    fmt = lambda x: f"{x:.3f}"
    out = [f"PHEE {result['corpus']} (mapping '{result['mapping']}'): recall on annotated events"]
    rows, rrows = [], []
    for sp, r in result["splits"].items():
        name = f"{sp}{' (held-out)' if r['heldout'] else ''}"
        row = {"split": name, "sentences": str(r["sentences"])}
        for k, c in r["entities"].items():
            row[k] = f"{c['recall']:.3f} ({c['gold']})" if c["recall"] is not None else "-"
        rows.append(row)
        for rt, c in r["relations"].items():
            rrows.append({"split": name, "relation": f"{rt} ({c['ours']})", "gold": c["gold"],
                          "R": c["recall"], "pred": c["pred"], "P": c["precision"], "F1": c["f1"]})
    out.append("\nEntities, lenient recall (gold spans)")
    out.append(pd.DataFrame(rows).set_index("split").T.to_string())
    out.append("\nRelations (P over our relations whose drug and attribute match annotated spans)")
    out.append(pd.DataFrame(rrows).set_index(["split", "relation"]).to_string(float_format=fmt))
    errs = {sp: r["relation_errors"] for sp, r in result["splits"].items() if "relation_errors" in r}
    if errs:
        out.append("\nRelation misses by class (records.classify_relations)")
        out.append(pd.DataFrame(errs).T.to_string())
    ex = defaultdict(dict)
    for sp, r in result["splits"].items():
        for k, n in r["excluded"].items():
            ex[k][sp] = n
    if ex:
        out.append("\nPHEE spans outside our schema (not scored)")
        df = pd.DataFrame.from_dict(ex, orient="index").fillna(0).astype(int)
        out.append(df[[sp for sp in result["splits"] if sp in df.columns]].sort_index().to_string())
    for sp, r in result["splits"].items():
        if misses and r.get("misses"):
            ms = r["misses"]
            out.append(f"\nMisses in {sp}: {len(ms['entities'])} spans, {len(ms['relations'])} "
                       f"relations (first {misses} of each; all in --out)")
            out.extend(f"  {m['type']:7} {m['id']}: {m['context']}" for m in ms["entities"][:misses])
            out.extend(f"  {m['type']:12} {m['id']}: {m['drugs']} -> {m['attribute']}"
                       for m in ms["relations"][:misses])
    if result["errors"]:
        out.append(f"\n{len(result['errors'])} sentences failed in the pipeline:")
        out.extend(f"  {e['id']}: {e['error']}" for e in result["errors"])
    out.append("\nMapping caveats")
    out.extend(f"  - {c}" for c in result["caveats"])
    n = sum(r["sentences"] for sp, r in result["splits"].items() if sp != "tune")
    out.append(f"\n{n} sentences in {result['seconds']:.1f} s")
    return "\n".join(out)
