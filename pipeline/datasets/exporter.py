"""``doseline export OUT --format ...``: a batch folder of document JSON to a dataset.

The command sits apart from :mod:`.export` so the format writers depend on nothing above them:
this module uses the writers, the partitioned parquet dataset and the review index; none of them
uses it."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from .export import iter_documents, load_documents, parse_formats, write_formats
from .partitioned import DOCS_PER_FILE, write_parquet_dataset


def export_main(args) -> int:
    """``doseline export OUT --format ...``: parquet as a partitioned dataset (streamed, one part per
    ``--docs-per-file`` documents), the other formats as single files."""
    folder = Path(args.out_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of document JSON")
    asked = [f.strip().lower() for v in args.format or [] for f in str(v).split(",") if f.strip()]
    review = "review" in asked  # review pages + index.html (pipeline.review.index)
    formats = parse_formats([f for f in asked if f != "review"])
    target = Path(args.output) if getattr(args, "output", None) else folder / "export"
    skip = target.resolve()
    n_docs = n_rec = n_ent = 0
    written: list[Path] = []
    others = [f for f in formats if f != "parquet"]
    docs = load_documents(folder, skip=skip) if others or review else []
    if others:
        written += write_formats(docs, others, target)

    def counted(docs):
        nonlocal n_docs, n_rec, n_ent
        for name, obj in docs:
            n_docs, n_rec, n_ent = n_docs + 1, n_rec + len(obj.get("records", [])), n_ent + len(obj.get("entities", []))
            yield name, obj
    if "parquet" in formats:
        per = getattr(args, "docs_per_file", None) or DOCS_PER_FILE
        written += write_parquet_dataset(counted(iter_documents(folder, skip=skip)), target, per)
    else:
        list(counted(docs))
    if not n_docs:
        raise InputError(f"{folder}: no document JSON found (run `doseline batch` first)")
    if review:
        from ..review.index import export_review
        written += export_review(folder, target, docs)
        formats.append("review")
    print(f"{n_docs} documents ({n_ent} entities, {n_rec} records) -> {target}: "
          f"{', '.join(formats)} ({len(written)} files)", file=sys.stderr)
    return 0
