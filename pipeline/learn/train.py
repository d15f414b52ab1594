"""``doseline train CORPUS... -o MODEL``: corpora -> DocBin -> ``spacy train`` on a config in the repo.

Reproducible: the same corpora, config and seed give the same model (spaCy fixes the Python,
NumPy and thinc seeds from ``[system] seed``; the corpus order is the sorted file order and the
dev tenth is chosen by a hash of each document's name, :func:`pipeline.learn.corpus.is_dev`).
CPU only. The model written to MODEL is spaCy's ``model-best`` (best dev F1 over the run), with
``training.json`` beside it recording the corpora, counts, seed, steps, scores and seconds.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..resources import portable

CONFIG = Path(__file__).resolve().parent / "configs" / "drug_ner.cfg"


def train_model(corpora, output, config: str | Path = CONFIG, seed: int = 0,
                max_steps: int | None = None, eval_frequency: int | None = None,
                quiet: bool = False) -> dict:
    """Train a DRUG model from ``corpora`` into folder ``output``; returns the training record."""
    import logging
    from spacy.cli.train import train as spacy_train
    from .corpus import load_sources, write_docbins
    t0 = time.perf_counter()
    sources = load_sources(corpora)
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="doseline-train-") as tmp:
        tmp = Path(tmp)
        counts = write_docbins(sources, tmp / "data")
        overrides = {"paths.train": str(tmp / "data" / "train.spacy"),
                     "paths.dev": str(tmp / "data" / "dev.spacy"),
                     "system.seed": int(seed)}
        if max_steps is not None:
            overrides["training.max_steps"] = int(max_steps)
            overrides["training.eval_frequency"] = max(1, min(200, int(max_steps) // 2))
        if eval_frequency is not None:
            overrides["training.eval_frequency"] = int(eval_frequency)
        if quiet:
            logging.getLogger("spacy").setLevel(logging.ERROR)
        t1 = time.perf_counter()
        spacy_train(Path(config), tmp / "out", overrides=overrides, use_gpu=-1)
        seconds_train = time.perf_counter() - t1
        best = tmp / "out" / "model-best"
        if not best.is_dir():
            best = tmp / "out" / "model-last"
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(best, output)
    meta = json.loads((output / "meta.json").read_text(encoding="utf-8"))
    record = {"corpora": [portable(c) for c in corpora], "config": Path(config).name, "seed": int(seed),
              "max_steps": max_steps, "counts": counts,
              "dev_scores": {k: meta.get("performance", {}).get(k)
                             for k in ("ents_p", "ents_r", "ents_f")},
              "seconds": {"convert": round(t1 - t0, 1), "train": round(seconds_train, 1)}}
    (output / "training.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record


def train_main(args) -> int:
    rec = train_model(args.corpora, args.output, config=args.config or CONFIG, seed=args.seed,
                      max_steps=args.max_steps, quiet=False)
    c = rec["counts"]
    s = rec["dev_scores"]
    f = s.get("ents_f")
    print(f"{args.output}: {c['documents']} documents, {c['train_sentences']} training sentences "
          f"({c['train_drugs']} DRUG), dev F1 {f:.3f}" if f is not None else
          f"{args.output}: trained ({c['documents']} documents)", file=sys.stderr)
    return 0
