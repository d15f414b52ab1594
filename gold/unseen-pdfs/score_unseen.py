#!/usr/bin/env python3
"""Score the pipeline end to end on the unseen PDF golds, per document and pooled.

Each gold's source PDF (``meta.json`` -> ``source.path``, relative to ../shared) is run through
``pipeline.run.run_path`` (the same path as ``doseline extract``) and scored with
``pipeline.evaluate.score.evaluate`` (as ``doseline evaluate``). Pooled figures sum the counts
(tp/fp/fn, matched/correct, edits/reference characters) over the documents, so a long document
weighs more than a short one: micro-averaging, as the per-document scorer does over types.

Usage (from the repository root): .venv/bin/python gold/unseen-pdfs/score_unseen.py [--json OUT]
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("DOSELINE_SHARED", ROOT.parent / "shared"))


def folders() -> list[Path]:
    return sorted(p.parent for p in HERE.glob("*/meta.json"))


def pdf_of(folder: Path) -> Path:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return SHARED / meta["source"]["path"]


def score_folder(folder: Path) -> dict:
    """The evaluate() report of the pipeline's output on the folder's PDF against its gold."""
    sys.path.insert(0, str(ROOT))
    from pipeline.datasets.export import to_dict
    from pipeline.evaluate.score import evaluate
    from pipeline.run import run_path
    pred = to_dict(run_path(pdf_of(folder)))
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return evaluate(pred, gold)


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def _summary(rep: dict) -> dict:
    """The figures of the first-score table, with the counts that pool."""
    t = rep["text"]
    ref = t["reference_chars"]
    out = {}
    for mode in ("strict", "lenient"):
        m = rep["entities"][mode]["micro"]
        out[f"entities_{mode}"] = _prf(m["tp"], m["fp"], m["fn"])
    n = rep["normalization"]["micro"]
    out["normalization"] = {"accuracy": n["correct"] / n["matched"] if n["matched"] else 0.0,
                            "correct": n["correct"], "matched": n["matched"]}
    rel = rep["relations"].get("micro", {"tp": 0, "fp": 0, "fn": 0})
    out["relations"] = _prf(rel["tp"], rel["fp"], rel["fn"])
    rec = rep["records"]
    out["records"] = _prf(rec["tp"], rec["fp"], rec["fn"])
    out["text"] = {"cer": t["cer"], "cer_reading_order_free": t["cer_reading_order_free"],
                   "edits": t["edits"], "rof_edits": t["cer_reading_order_free"] * ref,
                   "reference_chars": ref}
    return out


def pool(summaries: list[dict]) -> dict:
    out = {}
    for key in ("entities_strict", "entities_lenient", "relations", "records"):
        out[key] = _prf(*(sum(s[key][k] for s in summaries) for k in ("tp", "fp", "fn")))
    correct = sum(s["normalization"]["correct"] for s in summaries)
    matched = sum(s["normalization"]["matched"] for s in summaries)
    out["normalization"] = {"accuracy": correct / matched if matched else 0.0,
                            "correct": correct, "matched": matched}
    ref = sum(s["text"]["reference_chars"] for s in summaries)
    out["text"] = {"cer": sum(s["text"]["edits"] for s in summaries) / ref,
                   "cer_reading_order_free": sum(s["text"]["rof_edits"] for s in summaries) / ref,
                   "edits": sum(s["text"]["edits"] for s in summaries),
                   "rof_edits": sum(s["text"]["rof_edits"] for s in summaries),
                   "reference_chars": ref}
    return out


def table(rows: dict) -> str:
    """Markdown: one row per document and the pooled row."""
    head = ("| document | ent strict P/R/F1 | ent lenient P/R/F1 | norm acc | relations F1 "
            "| records P/R/F1 | CER | CER reading-order-free |\n|---|---|---|---|---|---|---|---|")
    lines = [head]
    for name, s in rows.items():
        def prf(x):
            return f"{x['precision']:.3f} / {x['recall']:.3f} / {x['f1']:.3f}"
        lines.append(
            f"| {name} | {prf(s['entities_strict'])} | {prf(s['entities_lenient'])} | "
            f"{s['normalization']['accuracy']:.3f} | {s['relations']['f1']:.3f} | "
            f"{prf(s['records'])} | {s['text']['cer']:.4f} | "
            f"{s['text']['cer_reading_order_free']:.4f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    reports = {f.name: score_folder(f) for f in folders()}
    rows = {name: _summary(rep) for name, rep in reports.items()}
    rows["**pooled**"] = pool(list(rows.values()))
    print(table(rows))
    if "--json" in argv:
        out = argv[argv.index("--json") + 1]
        Path(out).write_text(json.dumps({"summary": rows, "reports": reports}, indent=1,
                                        ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
