"""The records and entities tables of many documents as partitioned parquet datasets.

``doseline export OUT --format parquet`` writes ``records.parquet/`` and ``entities.parquet/``, each a
folder of ``part-00000.parquet``, ``part-00001.parquet``, ... holding the rows of ``docs_per_file``
documents, in document order. This is the layout of Apache Hive/Spark datasets that pandas
(``pd.read_parquet(folder)``), pyarrow (``pyarrow.dataset.dataset(folder)``) and Dask
(``dask.dataframe.read_parquet(folder)``) read as one table. Every part has the same column types
(``export.RECORD_COLUMNS`` / ``ENTITY_COLUMNS``, applied before writing), so parts whose columns
happen to be all empty still read together. Documents are streamed: memory holds one part at a time.
"""
from __future__ import annotations

from itertools import islice
from pathlib import Path

from .export import write_atomic
from .tables import _frame, document_name, entity_rows, record_rows, table_bytes

DOCS_PER_FILE = 1000
PART = "part-{:05d}.parquet"


def _chunks(items, n: int):
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def write_parquet_dataset(docs, out_dir: str | Path, docs_per_file: int = DOCS_PER_FILE,
                          prefix: str = "") -> list[Path]:
    """Write ``docs`` (an iterable of (name, document dict)) as ``{prefix}records.parquet/`` and
    ``{prefix}entities.parquet/`` under ``out_dir``; parts left from an earlier, larger export are removed."""
    if docs_per_file < 1:
        raise ValueError("docs_per_file must be at least 1")
    out_dir = Path(out_dir)
    kinds = (("records", record_rows), ("entities", entity_rows))
    written: list[Path] = []
    for i, chunk in enumerate(_chunks(docs, docs_per_file)):
        for kind, rows_of in kinds:
            rows = [row for name, obj in chunk for row in rows_of(obj, document_name(obj, name))]
            path = out_dir / f"{prefix}{kind}.parquet" / PART.format(i)
            write_atomic(path, table_bytes(_frame(rows, kind), "parquet"))
            written.append(path)
    keep = set(written)
    for kind, _ in kinds:
        folder = out_dir / f"{prefix}{kind}.parquet"
        if folder.is_file():  # a single-file table from an older export
            folder.unlink()
        for stale in folder.glob("part-*.parquet") if folder.is_dir() else ():
            if stale not in keep:
                stale.unlink()
    return written
