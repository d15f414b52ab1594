#!/usr/bin/env python3
"""Score the pipeline end to end on the unseen gold sets: per document, pooled, misses by class.

One scorer for every unseen set: ``unseen-pdfs`` (each gold's PDF, ``meta.json`` -> source path
under ../shared/pdfs/unlabeled) and ``unseen-texts`` (MACCROBAT texts under ../shared/corpora).
Each source is run through ``pipeline.run.run_path`` (the path of ``doseline extract``) and
scored with ``pipeline.evaluate.score.evaluate`` (as ``doseline evaluate``) against the gold
document built in memory by gold/build.py (byte-identical to the gold.json it writes).

Why a pooled score: five short documents hold 1 to 13 records each, so one document's F1 moves
in steps of 0.1-0.5; pooling sums the counts over the documents (tp/fp/fn, matched/correct,
edits/reference characters) before computing P/R/F1 and CER: a micro average, as the
SemEval/i2b2 medication tasks report, so a long document weighs more than a short one.

Why miss classes: issue 13 asks for record misses by class (missing attribute, extra attribute,
wrong drug, wrong case, spurious record, missed record), so that a reader sees which decision
failed without reading the misses one by one. The classes are those of ``doseline evaluate``
(pipeline/evaluate/records.py, in evaluate()'s ``record_errors``): one classifier for the product
and the golds. Entity misses are counted by type: missed (no overlapping prediction), spurious,
boundary (overlap but not the same span) and norm (matched, other normalized value).

Usage: python gold/score.py [SET ...] [--pred-dir DIR] [--json OUT] [--shared PATH]
       SET: unseen-pdfs, unseen-texts (default both). --pred-dir: read DIR/<folder>.json
       predictions where present, else run the pipeline and save its output there.
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
from pipeline.evaluate.records import CLASSES as RECORD_CLASSES  # noqa: E402
from pipeline.evaluate.records import pool as pool_record_errors  # noqa: E402
from pipeline.evaluate.score import evaluate, pool, prf  # noqa: E402

_spec = importlib.util.spec_from_file_location("doseline_gold_build", HERE / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

SETS = ("unseen-pdfs", "unseen-texts")
ENTITY_CLASSES = ("missed", "spurious", "boundary", "norm")


def source_of(folder: Path, shared=None) -> Path:
    """The input of a gold folder: its PDF or its corpus text, under ../shared."""
    src = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["source"]
    return build.shared_root(shared) / (src["path"] if isinstance(src, dict) else src)


def predict(folder: Path, shared=None, pred_dir: Path | None = None) -> dict:
    """The pipeline's document for one folder's source (read from / saved to pred_dir)."""
    cached = Path(pred_dir) / f"{folder.name}.json" if pred_dir is not None else None
    if cached is not None and cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    from pipeline.datasets.export import to_dict
    from pipeline.run import run_path
    pred = to_dict(run_path(source_of(folder, shared)))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(pred, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pred


def entity_misses(result: dict) -> dict:
    """Counts per class and entity type from the error lists of :func:`evaluate`."""
    e = result["errors"]
    out = {c: Counter() for c in ENTITY_CLASSES}
    out["missed"].update(x["type"] for x in e["false_negatives"])
    out["spurious"].update(x["type"] for x in e["false_positives"])
    out["boundary"].update(x["gold"]["type"] for x in e["boundary_errors"])
    out["norm"].update(x["type"] for x in e["norm_errors"])
    return {c: dict(v) for c, v in out.items()}


def score(name: str, shared=None, pred_dir=None) -> dict:
    """One set: per document the evaluate() result and its miss classes; and the pooled numbers."""
    docs = {}
    for folder in build.folders(HERE / name):
        gold = build.build_folder(folder, shared)
        pred = predict(folder, shared, pred_dir)
        res = evaluate(pred, gold)
        docs[folder.name] = {"result": res, "entities_by_class": entity_misses(res)}
    records = pool_record_errors([d["result"]["record_errors"] for d in docs.values()])
    return {"documents": docs, "pooled": pool([d["result"] for d in docs.values()]),
            "records_by_class": records["counts"], "record_slots": records["slots"],
            "entities_by_class": {c: _sum(d["entities_by_class"][c] for d in docs.values())
                                  for c in ENTITY_CLASSES}}


def _sum(dicts) -> dict:
    out = Counter()
    for d in dicts:
        out.update(d)
    return dict(out)


# ---------------------------------------------------------------------------------------------
# markdown
# ---------------------------------------------------------------------------------------------
def _f(x):
    return f"{x:.3f}"


def _prf3(x):
    return f"{_f(x['precision'])} / {_f(x['recall'])} / {_f(x['f1'])}"


def _by_doc(cols, title, rows, cell):
    """A table with one row per key of ``rows`` and one column per document (and pooled)."""
    out = ["", title, "", "| " + rows[0] + " | " + " | ".join(cols) + " |",
           "|---|" + "---|" * len(cols)]
    for k in rows[1]:
        cells = [cell(c, k) for c in cols]
        if any(x != "-" for x in cells):
            out.append(f"| {k} | " + " | ".join(cells) + " |")
    return out


def markdown(s: dict) -> str:
    docs, pooled = s["documents"], s["pooled"]
    cols = list(docs) + ["pooled"]
    res = {**{k: v["result"] for k, v in docs.items()}, "pooled": pooled}
    out = ["### Summary (entities, records: P / R / F1; pooled = micro sums)", "",
           "| document | ent strict P/R/F1 | ent lenient P/R/F1 | norm acc | relations F1 | "
           "records P/R/F1 | records tp/fp/fn | CER | CER reading-order-free |",
           "|---|---|---|---|---|---|---|---|---|"]
    for c in cols:
        r = res[c]
        rec, t = r["records"], r["text"]
        out.append(f"| {c} | {_prf3(r['entities']['strict']['micro'])} | "
                   f"{_prf3(r['entities']['lenient']['micro'])} | "
                   f"{_f(r['normalization']['micro']['accuracy'])} | "
                   f"{_f(r['relations'].get('micro', {'f1': 0.0})['f1'])} | {_prf3(rec)} | "
                   f"{rec['tp']}/{rec['fp']}/{rec['fn']} | {t['cer']:.4f} | "
                   f"{t['cer_reading_order_free']:.4f} |")
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

    def ent_cell(c, t):
        st, le = res[c]["entities"]["strict"].get(t), res[c]["entities"]["lenient"].get(t)
        return f"{_f(st['f1'])} / {_f(le['f1'])}" if st else "-"

    def rel_cell(c, k):
        v = res[c]["relations"].get(k)
        return f"{_f(v['f1'])} ({v['tp']}/{v['fp']}/{v['fn']})" if v else "-"

    out += _by_doc(cols, "### Entities, per document, per type (strict F1 / lenient F1)",
                   ("type", ENTITY_TYPES), ent_cell)
    rels = sorted({k for c in cols for k in res[c]["relations"] if k != "micro"}) + ["micro"]
    out += _by_doc(cols, "### Relations F1 (tp/fp/fn)", ("relation", rels), rel_cell)
    out += _by_doc(cols, "### Record misses by class (counts)", ("class", RECORD_CLASSES),
                   lambda c, k: str(s["records_by_class"].get(k, 0) if c == "pooled"
                                    else docs[c]["result"]["record_errors"]["counts"].get(k, 0)))
    if s["record_slots"]:
        out += ["", "Slots behind the class (pooled): " + ", ".join(
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
    opts = {}
    for name in ("--pred-dir", "--json", "--shared"):
        if name in args:
            i = args.index(name)
            opts[name] = args[i + 1]
            del args[i:i + 2]
    names = args or list(SETS)
    unknown = set(names) - set(SETS)
    if unknown:
        sys.exit(f"score: unknown set {sorted(unknown)}; sets: {', '.join(SETS)}")
    out = {}
    for name in names:
        out[name] = score(name, opts.get("--shared"), opts.get("--pred-dir"))
        print(f"## {name}\n\n{markdown(out[name])}")
    if "--json" in opts:
        Path(opts["--json"]).write_text(
            json.dumps(out, indent=1, ensure_ascii=False, default=list) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
