"""Partitioned parquet export: parts of N documents that pandas, pyarrow and Dask read as one table,
equal to the single in-memory table; stale parts removed; streamed from the documents."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.datasets.export import entities_table, read_table, records_table
from pipeline.datasets.partitioned import write_parquet_dataset
from pipeline.run import run_text

TEXTS = [
    "The patient received cyclophosphamide 500 mg/m2 intravenously on day 1.",
    "Dexamethasone 10 mg was given orally once daily.",
    "No treatment was given.",  # a document without records: its part must still read with the others
    "Tocilizumab 8 mg/kg was given on day 3 and fludarabine 30 mg/m2 on days -5 to -3.",
    "Vancomycin 1 g every 12 h intravenously.",
]


@pytest.fixture(scope="module")
def docs():
    from pipeline.datasets.export import to_dict
    return [(f"doc{i}", to_dict(run_text(t, f"doc{i}.txt"))) for i, t in enumerate(TEXTS)]


def _expected(docs, table):
    from pipeline.datasets.export import document_name
    return pd.concat([table(obj, document_name(obj, name)) for name, obj in docs], ignore_index=True)


def test_parts_read_back_as_one_table(docs, tmp_path):
    written = write_parquet_dataset(iter(docs), tmp_path, docs_per_file=2)
    parts = sorted(p.name for p in (tmp_path / "records.parquet").iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert len(written) == 6
    for kind, table in (("records", records_table), ("entities", entities_table)):
        expected = _expected(docs, table)
        got = read_table(tmp_path / f"{kind}.parquet")  # pandas over the folder
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)
    import pyarrow.dataset as ds
    assert ds.dataset(tmp_path / "records.parquet", format="parquet").count_rows() == len(_expected(docs, records_table))
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.read_parquet(str(tmp_path / "entities.parquet"))
    assert ddf.npartitions == 3 and len(ddf.compute()) == len(_expected(docs, entities_table))


def test_stale_parts_removed_and_bad_size_refused(docs, tmp_path):
    write_parquet_dataset(iter(docs), tmp_path, docs_per_file=1)
    assert len(list((tmp_path / "records.parquet").iterdir())) == 5
    write_parquet_dataset(iter(docs), tmp_path, docs_per_file=5)
    assert [p.name for p in (tmp_path / "records.parquet").iterdir()] == ["part-00000.parquet"]
    with pytest.raises(ValueError):
        write_parquet_dataset(iter(docs), tmp_path, docs_per_file=0)


def test_export_cli_writes_partitioned_dataset(docs, tmp_path):
    import subprocess
    import sys
    from pipeline.datasets.export import dumps
    from ..conftest import ROOT
    for name, obj in docs:
        (tmp_path / f"{name}.json").write_text(dumps(obj), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", str(tmp_path), "--format", "parquet,csv",
                        "--docs-per-file", "2"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    exp = tmp_path / "export"
    assert len(list((exp / "records.parquet").glob("part-*.parquet"))) == 3
    pd.testing.assert_frame_equal(read_table(exp / "records.parquet"), read_table(exp / "records.csv"))
    assert "5 documents" in r.stderr
