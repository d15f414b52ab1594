"""Ablation of the learned component on the held-out sets: rules alone, model alone, both.

- MACCROBAT held-out half (odd index of sorted ids, reserved ids left out), scored by
  :mod:`pipeline.evaluate.corpus` with the ``maccrobat`` mapping: DRUG, DOSE+UNIT, ROUTE lenient
  P/R/F1 (pooled). "model alone" scores the model's raw DRUG spans on every sentence (no gate,
  no guards, no lexicon) for DRUG only.
- PHEE test: recall of the annotated Drug spans (lenient overlap; PHEE is not exhaustive, so
  precision is not measured), all spans and the spans inside our schema (class words left out
  by the same term list).

Only counts are printed: held-out misses are not read one by one. Usage:
``python -m pipeline.learn.ablation SHARED_DIR [--model DIR] [--json OUT]``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

MODES = ("rules", "model", "both")


def heldout_maccrobat(folder: Path) -> list[Path]:
    from ..evaluate.corpus import list_corpus
    from ..evaluate.splits import select
    return select(list_corpus(folder), "heldout")[0]


def _set_mode(on: bool, model_dir: str | None) -> None:
    from ..recognize.pipeline import recognizer_nlp
    os.environ["DOSELINE_MODEL"] = "on" if on else "off"
    if model_dir:
        os.environ["DOSELINE_MODEL_PATH"] = str(model_dir)
    recognizer_nlp.cache_clear()


def _model_only_pred(text: str, model_dir: str | None) -> dict:
    from ..nlp import base_nlp
    from ..recognize.entities import _sentence_bounds
    from .model import predict
    bounds = [(a, b) for a, b in _sentence_bounds(base_nlp()(text)) if text[a:b].strip()]
    ents = []
    for (a, _), spans in zip(bounds, predict([text[a:b] for a, b in bounds], model_dir)):
        for s, e in spans:
            ents.append({"id": f"M{len(ents)}", "type": "DRUG", "start": s + a, "end": e + a,
                         "text": text[s + a:e + a]})
    return {"text": text, "entities": ents, "records": []}


def maccrobat(folder: Path, mode: str, model_dir: str | None) -> dict:
    from ..evaluate.corpus import (aggregate, load_mapping, pred_from_document, read_brat,
                                   score_document)
    from ..run import run_text
    mapping = load_mapping("maccrobat")
    if mode != "model":
        _set_mode(mode == "both", model_dir)
    docs, t0 = [], time.perf_counter()
    for f in heldout_maccrobat(folder):
        bdoc = read_brat(f)
        if mode == "model":
            pred = _model_only_pred(bdoc.text, model_dir)
        else:
            pred = pred_from_document(run_text(bdoc.text, str(f)))
        docs.append(score_document(bdoc, pred, mapping))
    full = aggregate(docs, mapping)
    agg = full["entities"]["lenient"]
    out = {"documents": len(docs), "seconds": round(time.perf_counter() - t0, 1),
           "DRUG false positives by corpus label": full["false_positives_by_corpus_label"].get("DRUG", {})}
    for t in ("DRUG", "DOSE+UNIT", "ROUTE"):
        r = agg[t]
        out[t] = {k: round(r[k], 3) for k in ("precision", "recall", "f1")}
        out[t].update(gold=r["gold"], pred=r["pred"])
    return out


def phee_test(folder: Path, mode: str, model_dir: str | None) -> dict:
    from ..evaluate.corpus import list_corpus, read_brat
    from ..run import run_text
    from .corpus import _scoring_mapping
    from ..evaluate.corpus import gold_items
    mapping = _scoring_mapping()
    if mode != "model":
        _set_mode(mode == "both", model_dir)
    n_all = hit_all = n_in = hit_in = 0
    t0 = time.perf_counter()
    for f in list_corpus(folder):
        bdoc = read_brat(f)
        if mode == "model":
            pred = _model_only_pred(bdoc.text, model_dir)["entities"]
        else:
            doc = run_text(bdoc.text, str(f))
            to_raw = doc.source_span or (lambda s, e: (s, e))
            pred = []
            for e in doc.entities:
                if e["type"] in ("DRUG", "REGIMEN"):
                    rs, re_ = to_raw(e["start"], e["end"])
                    if rs is not None:
                        pred.append({"start": rs, "end": re_})
        inside = {(g["start"], g["end"]) for g in gold_items(bdoc, mapping)["entities"]}
        for sp in bdoc.spans.values():
            if sp.label != "Drug":
                continue
            hit = any(p["start"] < sp.end and sp.start < p["end"] for p in pred)
            n_all += 1
            hit_all += hit
            if (sp.start, sp.end) in inside:
                n_in += 1
                hit_in += hit
    return {"documents": len(list_corpus(folder)), "seconds": round(time.perf_counter() - t0, 1),
            "Drug recall": round(hit_all / max(n_all, 1), 3), "Drug gold": n_all,
            "Drug recall (in schema)": round(hit_in / max(n_in, 1), 3), "Drug gold (in schema)": n_in}


def speed(path: Path, model_dir: str | None, repeat: int = 5) -> dict:
    """Seconds of the recognize stage on one text (after cleanup), model off and on, best of
    ``repeat`` after a warm-up run; the share of sentences the gate lets the model see; peak RSS."""
    import resource
    from ..cleanup.repair import cleanup
    from ..ingest.read import read_text
    from ..recognize.stage import recognize
    raw = Path(path).read_text(encoding="utf-8")
    base = cleanup(read_text(raw, str(path)))
    out = {"words": len(base.text.split())}
    for on in (False, True):
        _set_mode(on, model_dir)
        times = []
        for _ in range(repeat + 1):  # the first run loads the model: not counted
            d = cleanup(read_text(raw, str(path)))
            times.append(_timed(lambda: recognize(d)))
        out["model" if on else "rules"] = round(min(times[1:]), 4)
    from . import model as lm
    from ..nlp import base_nlp
    from ..recognize.entities import _sentence_bounds
    doc = base_nlp()(base.text)
    sents = [base.text[a:b] for a, b in _sentence_bounds(doc) if base.text[a:b].strip()]
    out["sentences"] = len(sents)
    out["gated_sentences"] = sum(lm.gated(s, lambda p: False) for s in sents)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared", help="the shared folder (corpora/maccrobat2020-dev, corpora/phee)")
    ap.add_argument("--model", help="model folder (default: the shipped model)")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--sets", default="maccrobat,phee")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--speed", help="time the recognize stage on this text file instead")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if args.speed:
        print(json.dumps(speed(Path(args.speed), args.model)))
        return 0
    res = {}
    for mode in args.modes.split(","):
        if "maccrobat" in args.sets:
            res[f"maccrobat/{mode}"] = maccrobat(shared / "corpora/maccrobat2020-dev", mode, args.model)
            print(f"maccrobat/{mode}", json.dumps(res[f"maccrobat/{mode}"]), flush=True)
        if "phee" in args.sets:
            res[f"phee/{mode}"] = phee_test(shared / "corpora/phee/brat/test", mode, args.model)
            print(f"phee/{mode}", json.dumps(res[f"phee/{mode}"]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
