"""Batch over generated inputs (small texts, a reportlab PDF, broken files): manifest, exit code,
atomic outputs, resume, determinism, crashes and stuck files. Always runs (no ../shared needed)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.datasets import batch as batch_mod
from pipeline.datasets.batch import FileTimeout, batch, deadline, output_names, process_file
from pipeline.datasets.export import validate

from ..conftest import ROOT

TEXT_A = ("Case presentation\n\nThe patient received cyclophosphamide 500 mg/m2 intravenously on day 1 "
          "and dexamethasone 10 mg orally once daily.\n")
TEXT_B = "On day 3, tocilizumab 8 mg/kg was given. Fludarabine 30 mg/m2 was given on days -5 to -3.\n"
BAD = {  # file -> words expected in its error message
    "broken/empty.pdf": "empty",
    "broken/notapdf.pdf": "not a PDF",
    "broken/truncated.pdf": "corrupt",
    "broken/encrypted.pdf": "encrypted",
    "broken/blank.txt": "empty",
}
GOOD = ["a.txt", "good.pdf", "sub/b.txt"]


def make_pdf(lines) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = 800
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


def make_inputs(root: Path) -> Path:
    from pypdf import PdfWriter
    d = root / "in"
    (d / "sub").mkdir(parents=True)
    (d / "broken").mkdir()
    (d / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (d / "sub" / "b.txt").write_text(TEXT_B, encoding="utf-8")
    pdf = make_pdf(["Case report", "The patient received cyclophosphamide 500 mg/m2 intravenously on day 1.",
                    "Tocilizumab 8 mg/kg was given on day 3."])
    (d / "good.pdf").write_bytes(pdf)
    (d / "broken" / "empty.pdf").write_bytes(b"")
    (d / "broken" / "notapdf.pdf").write_bytes(b"<html><body>not a pdf</body></html>\n")
    (d / "broken" / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    w = PdfWriter(clone_from=io.BytesIO(pdf))
    w.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    (d / "broken" / "encrypted.pdf").write_bytes(buf.getvalue())
    (d / "broken" / "blank.txt").write_text("  \n\n", encoding="utf-8")
    (d / "notes.md").write_text("not an input", encoding="utf-8")  # ignored: not .pdf/.txt
    return d


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=ROOT)


def manifest(out: Path) -> dict:
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["input"]: r for r in rows}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    in_dir = make_inputs(root)
    out = root / "out"
    r = run_cli("batch", str(in_dir), "-o", str(out), "--workers", "2", "--no-progress")
    return in_dir, out, r


def test_batch_processes_good_and_lists_bad(first_run):
    in_dir, out, r = first_run
    assert r.returncode == 1, r.stderr  # some inputs failed
    rows = manifest(out)
    assert sorted(rows) == sorted(GOOD + list(BAD))  # notes.md is not an input
    assert list(rows) == sorted(rows)  # manifest in input order
    for rel in GOOD:
        row = rows[rel]
        assert row["status"] == "ok" and row["error"] is None, row
        assert len(row["sha256"]) == 64 and row["version"].startswith("0.") and row["seconds"] >= 0
        assert isinstance(row["entities"], int) and isinstance(row["records"], int)
        obj = json.loads((out / row["output"]).read_text(encoding="utf-8"))
        validate(obj)
        assert obj["source"]["path"] == rel  # relative to IN_DIR
        assert obj["source"]["sha256"] == row["sha256"]
    assert rows["sub/b.txt"]["output"] == "sub/b.json"  # mirrors the input tree
    assert rows["good.pdf"]["pages"] == 1
    for rel, needle in BAD.items():
        row = rows[rel]
        assert row["status"] == "error" and needle in row["error"], row
        assert "\n" not in row["error"] and str(in_dir) not in row["error"]
        assert not (out / row["output"]).exists()
        assert f"{rel}: " in r.stderr  # every bad file is listed on stderr
    assert "internal error" not in r.stderr
    # atomic writes leave no temp files, and the partial manifest is gone after a full run
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_batch_is_deterministic(first_run, tmp_path):
    in_dir, out, _ = first_run
    out2 = tmp_path / "again"
    batch(in_dir, out2, workers=1, progress=False, log=io.StringIO())
    for rel in GOOD:
        name = output_names([rel])[rel]
        a, b = (out / name).read_bytes(), (out2 / name).read_bytes()
        assert a == b, rel
        assert str(in_dir).encode() not in a and str(tmp_path).encode() not in b  # no absolute paths
        assert b'"timings"' not in a


def test_resume_skips_done_and_reruns_changed(first_run, tmp_path):
    in_dir, out, _ = first_run
    work = tmp_path / "in"
    import shutil
    shutil.copytree(in_dir, work)
    out2 = tmp_path / "out"
    batch(work, out2, workers=2, progress=False, log=io.StringIO())
    before = {rel: (out2 / output_names([rel])[rel]).stat().st_mtime_ns for rel in GOOD}
    (work / "a.txt").write_text(TEXT_A.replace("500", "750"), encoding="utf-8")
    log = io.StringIO()
    rows = {r["input"]: r for r in batch(work, out2, workers=2, resume=True, progress=False, log=log)}
    assert rows["sub/b.txt"]["resumed"] and rows["good.pdf"]["resumed"]
    assert not rows["a.txt"]["resumed"] and rows["a.txt"]["status"] == "ok"
    assert all(not rows[rel]["resumed"] and rows[rel]["status"] == "error" for rel in BAD)  # retried
    assert (out2 / "sub/b.json").stat().st_mtime_ns == before["sub/b.txt"]
    assert "750" in (out2 / "a.json").read_text(encoding="utf-8")
    assert "already done" in log.getvalue()
    assert manifest(out2)["a.txt"]["sha256"] == rows["a.txt"]["sha256"]
    # a changed pipeline version reruns everything
    old = batch_mod.pipeline_version()
    try:
        batch_mod.pipeline_version.cache_clear()
        orig = batch_mod.__version__
        batch_mod.__version__ = "9.9.9"
        rows = batch(work, out2, workers=1, resume=True, progress=False, log=io.StringIO())
        assert not any(r["resumed"] for r in rows) and rows[0]["version"] != old
    finally:
        batch_mod.__version__ = orig
        batch_mod.pipeline_version.cache_clear()


def test_resume_after_interruption_uses_partial_manifest(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (d / "b.txt").write_text(TEXT_B, encoding="utf-8")
    out = tmp_path / "out"
    rows = batch(d, out, workers=1, progress=False, log=io.StringIO())
    # simulate a run killed before it wrote the final manifest: only the partial one survives
    (out / "manifest.jsonl").rename(out / batch_mod.PARTIAL)
    rows2 = batch(d, out, workers=1, resume=True, progress=False, log=io.StringIO())
    assert [r["resumed"] for r in rows2] == [True, True]
    assert [r["sha256"] for r in rows2] == [r["sha256"] for r in rows]
    assert not (out / batch_mod.PARTIAL).exists()


# worker functions for the crash and timeout tests (module level: the pool pickles them by name)
def crash_on_b(job):
    if job["rel"].endswith("b.txt"):
        os._exit(3)  # a native crash / OOM kill of the worker
    return process_file(job)


def hang_on_b(job):
    if job["rel"].endswith("b.txt"):
        time.sleep(60)  # stuck where SIGALRM is not set up: the parent must kill the worker
    return process_file(dict(job, timeout=None))  # the others get no tight in-worker limit


@pytest.fixture
def small_dir(tmp_path):
    d = tmp_path / "small"
    d.mkdir()
    (d / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (d / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (d / "c.txt").write_text(TEXT_A.replace("cyclophosphamide", "fludarabine"), encoding="utf-8")
    return d


def test_worker_crash_is_isolated(small_dir, tmp_path):
    rows = {r["input"]: r for r in batch(small_dir, tmp_path / "out", workers=2, progress=False,
                                         fn=crash_on_b, log=io.StringIO())}
    assert rows["b.txt"]["status"] == "error" and "crashed" in rows["b.txt"]["error"]
    assert rows["a.txt"]["status"] == "ok" and rows["c.txt"]["status"] == "ok"


def test_stuck_file_is_killed(small_dir, tmp_path, monkeypatch):
    # hard limit = timeout + grace = 9 s from the file's start: far below the 60 s hang, far above
    # what a healthy tiny text takes even on a loaded 2-core machine (so no race with a.txt/c.txt)
    monkeypatch.setattr(batch_mod, "HARD_GRACE", 8.0)
    t0 = time.monotonic()
    rows = {r["input"]: r for r in batch(small_dir, tmp_path / "out", workers=2, progress=False, timeout=1.0,
                                         fn=hang_on_b, log=io.StringIO())}
    assert rows["b.txt"]["status"] == "error" and "timed out" in rows["b.txt"]["error"]
    assert rows["a.txt"]["status"] == "ok" and rows["c.txt"]["status"] == "ok"
    assert time.monotonic() - t0 < 55  # did not wait for the sleeping worker


def test_deadline_interrupts():
    with pytest.raises(FileTimeout):
        with deadline(0.2):
            time.sleep(5)


def test_output_names_avoid_collisions():
    names = output_names(["x.pdf", "x.txt", "a/y.pdf"])
    assert names == {"x.pdf": "x.pdf.json", "x.txt": "x.txt.json", "a/y.pdf": "a/y.json"}


def test_batch_errors_on_missing_or_empty_folder(tmp_path):
    r = run_cli("batch", str(tmp_path / "nope"), "-o", str(tmp_path / "o"))
    assert r.returncode == 2 and "not a folder" in r.stderr
    (tmp_path / "empty").mkdir()
    r = run_cli("batch", str(tmp_path / "empty"), "-o", str(tmp_path / "o"))
    assert r.returncode == 2 and "no .pdf or .txt" in r.stderr


def test_bench_prints_table_and_saves_json(tmp_path):
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / "one.pdf").write_bytes(make_pdf(["Case report", "The patient received cyclophosphamide 500 mg/m2 "
                                             "intravenously on day 1."]))
    out = tmp_path / "bench.json"
    r = run_cli("bench", "--pdfs", str(pdfs), "--scale", "2", "--out", str(out))
    assert r.returncode == 0, r.stderr
    for needle in ("pdfplumber extract_text", "ingest", "recognize", "export", "end to end", "pages/s",
                   "words/s", "peak MB", "speed-up"):
        assert needle in r.stdout, needle
    res = json.loads(out.read_text(encoding="utf-8"))
    stages = {(row["corpus"], row["stage"]) for row in res["rows"]}
    assert ("pdfs", "pdfplumber extract_text") in stages and ("pdfs", "end to end") in stages
    assert ("report", "cleanup") in stages
    pdf_e2e = next(row for row in res["rows"] if row["corpus"] == "pdfs" and row["stage"] == "end to end")
    assert pdf_e2e["pages"] == 1 and pdf_e2e["docs_per_s"] > 0 and pdf_e2e["peak_mb"] > 0
    assert [run["workers"] for run in res["scale"]["runs"]][0] == 1
    assert all(run["ok"] == 2 for run in res["scale"]["runs"]) and all(x > 0 for x in res["scale"]["speedup"].values())
    assert {run["engine"] for run in res["scale"]["runs"]} == {"local", "dask"}
    assert all(run["worker_rss_peak_mb"] > 0 for run in res["scale"]["runs"])
    assert all(run["worker_pss_peak_mb"] > 0 and run["worker_uss_peak_mb"] > 0 for run in res["scale"]["runs"])
