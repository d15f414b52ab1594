"""Prints a corpus evaluation as tables and runs the ``evaluate --corpus`` command.

``doseline evaluate --corpus brat DIR --map maccrobat [--split tune|heldout|all] [--out REPORT]
[--limit N]`` scores a brat corpus (:mod:`.corpus`); ``--corpus phee [DIR]`` scores PHEE
(:mod:`.phee`). Tables are pandas frames for the terminal; ``--out`` writes every number and miss
as JSON (held-out halves: counts only).
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from .brat import list_corpus
from .corpus import evaluate_dir
from .mapping import load_mapping


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
    re_ = result.get("relation_errors", {})
    if any(re_.values()):
        out.append("Relation misses by class: " + ", ".join(f"{k} {v}" for k, v in re_.items() if v))
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
