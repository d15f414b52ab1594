"""The Dask engine of ``doseline batch`` against the local process pool: the same JSON documents
byte for byte, the same manifest statuses, crash and stuck-file isolation, resume after a killed
run, list-file inputs. A LocalCluster of 2 single-thread workers; always runs (no ../shared)."""
from __future__ import annotations

import io
import json

import pytest

pytest.importorskip("distributed")

from pipeline.datasets import batch as batch_mod  # noqa: E402
from pipeline.datasets.batch import batch, output_names  # noqa: E402

from .test_batch import (BAD, GOOD, crash_on_b, hang_on_b, make_inputs, manifest, run_cli,  # noqa: E402,F401
                         small_dir)  # small_dir: the same three small texts as the local pool tests


def _rows(rows):
    return {r["input"]: r for r in rows}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    in_dir = make_inputs(root)
    local = _rows(batch(in_dir, root / "local", workers=2, progress=False, log=io.StringIO()))
    r = run_cli("batch", str(in_dir), "-o", str(root / "dask"), "--engine", "dask", "--workers", "2",
                "--no-progress")
    return in_dir, root, local, r


def test_dask_matches_local_pool(both):
    in_dir, root, local, r = both
    assert r.returncode == 1, r.stderr  # the broken files fail, as with the local pool
    dask_rows = manifest(root / "dask")
    assert sorted(dask_rows) == sorted(local) == sorted(GOOD + list(BAD))
    for rel, row in dask_rows.items():
        assert row["status"] == local[rel]["status"], rel
        assert row["error"] == local[rel]["error"], rel  # the same one-line message
        assert row["sha256"] == local[rel]["sha256"]
    for rel in GOOD:
        name = output_names([rel])[rel]
        assert (root / "dask" / name).read_bytes() == (root / "local" / name).read_bytes(), rel
    for rel in BAD:
        assert f"{rel}: " in r.stderr
    assert not [p for p in (root / "dask").rglob("*") if p.name.startswith(".")]  # atomic writes


def test_dask_resume_after_killed_run_runs_only_missing(both, tmp_path):
    in_dir, root, _local, _r = both
    import shutil
    out = tmp_path / "out"
    shutil.copytree(root / "dask", out)
    # a run killed half-way: only a partial manifest with the first two good files survives
    rows = [json.loads(x) for x in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = [r for r in rows if r["input"] in GOOD[:2]]
    (out / "manifest.jsonl").unlink()
    (out / batch_mod.PARTIAL).write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    (out / output_names([GOOD[2]])[GOOD[2]]).unlink()
    again = _rows(batch(in_dir, out, workers=2, resume=True, progress=False, log=io.StringIO(), engine="dask"))
    assert [rel for rel, r in again.items() if r["resumed"]] == sorted(GOOD[:2])
    assert again[GOOD[2]]["status"] == "ok" and not again[GOOD[2]]["resumed"]
    assert (out / output_names([GOOD[2]])[GOOD[2]]).exists()


def test_dask_worker_crash_is_isolated(small_dir, tmp_path):
    rows = _rows(batch(small_dir, tmp_path / "out", workers=2, progress=False, fn=crash_on_b,
                       log=io.StringIO(), engine="dask"))
    assert rows["b.txt"]["status"] == "error" and "crashed" in rows["b.txt"]["error"]
    assert rows["a.txt"]["status"] == "ok" and rows["c.txt"]["status"] == "ok"


def test_dask_stuck_file_is_stopped(small_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_mod, "HARD_GRACE", 8.0)
    from pipeline.datasets import dask_engine
    monkeypatch.setattr(dask_engine, "HARD_GRACE", 8.0)
    rows = _rows(batch(small_dir, tmp_path / "out", workers=2, progress=False, timeout=1.0,
                       fn=hang_on_b, log=io.StringIO(), engine="dask"))
    assert rows["b.txt"]["status"] == "error" and "timed out" in rows["b.txt"]["error"]
    assert rows["a.txt"]["status"] == "ok" and rows["c.txt"]["status"] == "ok"


def test_list_file_inputs(small_dir, tmp_path):
    d = small_dir
    listing = tmp_path / "inputs.txt"
    listing.write_text("# inputs\nsmall/a.txt\n" + str(d / "c.txt") + "\n\n", encoding="utf-8")
    rows = _rows(batch(listing, tmp_path / "out", workers=1, progress=False, log=io.StringIO()))
    assert sorted(rows) == ["a.txt", "c.txt"] and all(r["status"] == "ok" for r in rows.values())
    empty = tmp_path / "none.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    from pipeline.errors import InputError
    with pytest.raises(InputError, match="names no inputs"):
        batch(empty, tmp_path / "o2", progress=False, log=io.StringIO())


def test_thread_deadline_interrupts_python_code():
    import threading
    import time
    from pipeline.datasets.batch import FileTimeout, deadline
    seen = []

    def work():
        try:
            with deadline(0.2):
                t = time.monotonic()
                while time.monotonic() - t < 5:
                    pass
        except FileTimeout:
            seen.append("timeout")

    th = threading.Thread(target=work)
    th.start()
    th.join(6)
    assert seen == ["timeout"]
