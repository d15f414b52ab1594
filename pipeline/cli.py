"""The ``doseline`` command line: extract, evaluate, batch, export, bench, train.

Errors a user can act on print one line on stderr and exit with status 2 (bad input) or 1.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import InputError


def _use_backend(args) -> None:
    """``--backend``: the PDF character backend, for this process and batch workers alike."""
    if getattr(args, "backend", None):
        import os
        os.environ["DOSELINE_PDF_BACKEND"] = args.backend


def _extract(args) -> int:
    _use_backend(args)
    from .datasets.export import write_document, dumps, to_dict
    from .ingest.read import read_stream
    from .run import process, run_path
    inputs = args.inputs
    many = len(inputs) > 1
    out = Path(args.output) if args.output else None
    if many and out is not None and out.suffix == ".json":
        print("doseline: -o must be a folder when several inputs are given", file=sys.stderr)
        return 2
    failed = 0
    for inp in inputs:
        try:
            if inp == "-":
                doc = process(read_stream(sys.stdin, "-"))
            else:
                doc = run_path(inp)
        except InputError as exc:
            print(f"doseline: {exc}", file=sys.stderr)
            failed += 1
            continue
        if out is None:
            if many or inp == "-":
                sys.stdout.write(dumps(to_dict(doc)))
                continue
            target = Path(inp).with_suffix(".json")
        elif many or out.is_dir() or (not out.suffix and inp != "-"):
            target = out / (Path(inp).stem + ".json" if inp != "-" else "stdin.json")
        else:
            target = out
        write_document(doc, target, formats=args.format)
        n_ent, n_rec = len(doc.entities), len(doc.records)
        print(f"{inp} -> {target} ({n_ent} entities, {n_rec} records)", file=sys.stderr)
    return 2 if failed else 0


def _evaluate(args) -> int:
    from .evaluate.score import evaluate, load, tables
    if args.heldout_table:
        from .evaluate.summary import command
        return command(args)
    if args.corpus:
        from .evaluate.report import evaluate_corpus
        return evaluate_corpus(args)
    if not (args.pred and args.gold):
        print("doseline: evaluate needs PRED and GOLD (or --corpus brat DIR)", file=sys.stderr)
        return 2
    pred, gold = load(args.pred), load(args.gold)  # InputError: one line, exit 2 (main)
    result = evaluate(pred, gold)
    print(tables(result))
    if args.json:
        from .datasets.export import dumps, write_atomic
        write_atomic(args.json, dumps(result))
    return 0


def _layout_report(args) -> int:
    from .ingest.layout_report import run_layout_report
    return run_layout_report(args)


def _batch(args) -> int:
    _use_backend(args)
    from .datasets.batch import run_batch
    return run_batch(args)


def _export(args) -> int:
    from .datasets.exporter import export_main
    return export_main(args)


def _bench(args) -> int:
    from .datasets.bench import run_bench
    return run_bench(args)


def _train(args) -> int:
    from .learn.train import train_main
    return train_main(args)


def _visualize(args) -> int:
    from .evaluate.visualize import write
    out = args.output or str(Path(args.document).with_suffix(".html"))
    write(args.document, out)
    print(out)
    return 0


def _review(args) -> int:
    from .review.page import write
    out = args.output or str(Path(args.document).with_suffix(".html"))
    counts = write(args.document, out, args.gold)
    print(f"{out} ({counts['entities']} entities, {counts['records']} records, {counts['bytes'] / 1024:.0f} KiB)",
          file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="doseline", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"doseline {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="extract medication records from PDFs or texts")
    e.add_argument("inputs", nargs="+", metavar="INPUT", help=".pdf, .txt, or - for stdin text")
    e.add_argument("-o", "--output", help="output file (one input) or folder")
    e.add_argument("--format", action="append", default=None,
                   help="extra outputs beside the JSON: csv (default), parquet, jsonl, brat, spacy")
    e.add_argument("--backend", choices=("pdfplumber", "pdfium"),
                   help="PDF character backend (default: DOSELINE_PDF_BACKEND or pdfium)")
    e.set_defaults(func=_extract)

    v = sub.add_parser("evaluate", help="score a predicted document against gold")
    v.add_argument("pred", nargs="?", help="predicted document JSON")
    v.add_argument("gold", nargs="?", help="gold document JSON")
    v.add_argument("--json", metavar="REPORT", help="write all numbers and error lists as JSON")
    v.add_argument("--corpus", nargs="+", metavar="ARG",
                   help="score against a third-party corpus: --corpus brat DIR, or --corpus phee "
                        "[DIR] (default ../shared/corpora/phee)")
    v.add_argument("--map", default="maccrobat", help="label mapping for --corpus (patterns/mappings)")
    v.add_argument("--split", help="with --corpus: brat tune|heldout|all (patterns/mappings/"
                                   "splits.json); phee train|dev|test|tune|heldout|all (default all)")
    v.add_argument("--out", help="with --corpus: write the report JSON here")
    v.add_argument("--limit", type=int, help="with --corpus: first N documents only")
    v.add_argument("--heldout-table", action="store_true",
                   help="seen vs held-out table of every gold set, MACCROBAT halves and PHEE "
                        "(--json REPORT for the numbers)")
    v.add_argument("--sets", help="with --heldout-table: golds,pdfs,maccrobat,phee (default all)")
    v.set_defaults(func=_evaluate)

    r = sub.add_parser("layout-report", help="layout analysis of PDFs without gold (columns, blocks, defects)")
    r.add_argument("pdfs", nargs="+", metavar="PDF", help="PDF files or folders of PDFs")
    r.add_argument("--backend", choices=("pdfplumber", "pdfium"), help="PDF character backend")
    r.add_argument("--json", metavar="FILE", help="write every row (with examples) as JSON")
    r.set_defaults(func=_layout_report)

    b = sub.add_parser("batch", help="process every PDF/text under a folder (or named in a list file)")
    b.add_argument("in_dir", metavar="IN", help="a folder, or a text file with one input path per line")
    b.add_argument("-o", "--output", required=True, metavar="OUT_DIR")
    b.add_argument("--workers", type=int, default=0, help="worker processes (default: all cores)")
    b.add_argument("--resume", action="store_true", help="skip inputs already done")
    b.add_argument("--no-progress", action="store_true")
    b.add_argument("--timeout", type=float, default=300.0,
                   help="seconds per file before it is stopped and recorded as an error (0: none)")
    b.add_argument("--backend", choices=("pdfplumber", "pdfium"),
                   help="PDF character backend (default: DOSELINE_PDF_BACKEND or pdfium)")
    b.add_argument("--review", action="store_true", help="also write a review page OUT_DIR/<name>.html per document")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local process pool (default) or dask.distributed")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: an existing cluster (tcp://host:8786); default a LocalCluster")
    b.set_defaults(func=_batch)

    x = sub.add_parser("export", help="export a batch's documents as a dataset")
    x.add_argument("out_dir", metavar="OUT_DIR", help="folder of document JSON (a batch output)")
    x.add_argument("--format", required=True, action="append",
                   help="parquet, csv, jsonl, brat, spacy, review (pages + index.html) (repeatable)")
    x.add_argument("-o", "--output", help="where to write (default: OUT_DIR/export)")
    x.add_argument("--docs-per-file", type=int, metavar="N",
                   help="parquet: documents per part file of the partitioned dataset (default 1000)")
    x.set_defaults(func=_export)

    n = sub.add_parser("bench", help="throughput of each stage, against plain pdfplumber")
    n.add_argument("--out", default="bench/latest.json", help="write the results JSON here")
    n.add_argument("--pdfs", default=None, help="folder of PDFs (default: ../shared/pdfs if present)")
    n.add_argument("--scale", type=int, default=200, help="documents in the scale run (0 to skip)")
    n.set_defaults(func=_bench)
    t = sub.add_parser("train", help="train the DRUG model on brat corpora and gold JSON")
    t.add_argument("corpora", nargs="+", metavar="CORPUS",
                   help="brat folder (.txt + .ann), gold .json, or folder of gold .json")
    t.add_argument("-o", "--output", required=True, metavar="MODEL", help="model folder to write")
    t.add_argument("--config", help="spaCy config (default: pipeline/learn/configs/drug_ner.cfg)")
    t.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    t.add_argument("--max-steps", type=int, default=None, help="training steps (default: config)")
    t.set_defaults(func=_train)
    z = sub.add_parser("visualize", help="HTML view of a document's entities and records (displaCy)")
    z.add_argument("document", help="document JSON (prediction or gold)")
    z.add_argument("-o", "--output", help="HTML file (default: beside the JSON)")
    z.set_defaults(func=_visualize)
    r = sub.add_parser("review", help="one self-contained HTML review page: text, records, timelines, gold errors")
    r.add_argument("document", help="document JSON (prediction or gold)")
    r.add_argument("--gold", help="gold document JSON: mark false positives, misses and boundary errors")
    r.add_argument("-o", "--output", help="HTML file (default: beside the JSON)")
    r.set_defaults(func=_review)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"doseline: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. an output folder that cannot be created or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"doseline: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
