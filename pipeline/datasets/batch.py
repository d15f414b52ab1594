"""Batch: every PDF/text under a folder to one document JSON each, in parallel, with a run manifest.

A pool of worker processes (``concurrent.futures.ProcessPoolExecutor``) loads the pipeline once
per worker (the initializer warms the spaCy pipeline and the lexicons) and runs
``pipeline.run.run_path`` on one file per task. One bad file never stops the run:

- an unreadable input (``InputError``) or any other exception is recorded in ``manifest.jsonl``
  with a one-line message;
- a file running longer than ``timeout`` seconds is interrupted in its worker (SIGALRM) and, if it
  does not stop, its worker is killed by the parent;
- a worker that dies (native crash, out-of-memory kill) breaks the pool: the files that were in
  flight are rerun one at a time in a fresh pool, so only the file that kills its worker again is
  recorded as an error.

Outputs mirror the input tree (``IN/a/b.pdf`` -> ``OUT/a/b.json``), are written atomically, and
are deterministic: ``source.path`` is the path relative to ``IN_DIR`` and the JSON holds no
timings. ``--resume`` skips inputs whose output exists and whose manifest row has the same input
sha256 and pipeline version (``pipeline_version``: the package version plus a hash of the pipeline
code and the ``patterns/`` data, so a changed rule reruns everything).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..errors import InputError
from .export import write_atomic
from .worker import (HARD_GRACE, FileTimeout, _task, deadline, file_sha256, init_worker, new_row,  # noqa: F401
                     process_file, resident_mb)

INPUT_SUFFIXES = (".pdf", ".txt")
MANIFEST = "manifest.jsonl"
PARTIAL = ".manifest.jsonl.part"
DEFAULT_TIMEOUT = 300.0


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """``__version__`` plus a hash of the pipeline code, its schema and the rule data (modules that
    do not shape the output, like this one and the CLI, are left out)."""
    from ..resources import patterns_dir
    pkg = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    roots = [(pkg, "pipeline"), (patterns_dir(), "patterns")]
    unused = {"cli.py", "datasets/bench.py", "datasets/batch.py"}  # no effect on output
    unused_dirs = {"evaluate", "review"}
    for root, label in roots:
        if not root.is_dir():
            continue
        for f in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = f.relative_to(root)
            if "__pycache__" in rel.parts or f.suffix in (".pyc", ".tmp") or rel.name.startswith(".") \
                    or (label == "pipeline" and (rel.as_posix() in unused or rel.parts[0] in unused_dirs)):
                continue
            h.update(f"{label}/{rel.as_posix()}\0".encode())
            h.update(f.read_bytes())
            h.update(b"\0")
    return f"{__version__}+{h.hexdigest()[:12]}"


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------------------------
# planning
# ---------------------------------------------------------------------------------------------
def discover(in_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Every .pdf/.txt under ``in_dir`` (recursive, sorted, hidden files and ``out_dir`` skipped)."""
    skip = out_dir.resolve() if out_dir is not None else None
    found = []
    for p in in_dir.rglob("*"):
        rel = p.relative_to(in_dir)
        if p.suffix.lower() not in INPUT_SUFFIXES or any(part.startswith(".") for part in rel.parts):
            continue
        if not (p.is_file() or p.is_symlink()):
            continue
        if skip is not None and (skip == p.resolve().parent or skip in p.resolve().parents):
            continue
        found.append(p)
    return sorted(found, key=lambda p: p.relative_to(in_dir).as_posix())


def output_names(rels: list[str]) -> dict[str, str]:
    """``a/b.pdf`` -> ``a/b.json``; ``x.pdf`` and ``x.txt`` side by side -> ``x.pdf.json``, ``x.txt.json``."""
    stems: dict[str, list[str]] = {}
    for r in rels:
        stems.setdefault(Path(r).with_suffix(".json").as_posix(), []).append(r)
    out = {}
    for target, group in stems.items():
        for r in group:
            out[r] = target if len(group) == 1 else r + ".json"
    return out


def read_manifest(out_dir: Path) -> dict[str, dict]:
    """The last row per input of the previous run (the final manifest, then an interrupted run's)."""
    rows: dict[str, dict] = {}
    for name in (MANIFEST, PARTIAL):
        p = out_dir / name
        if not p.exists():
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by an interruption
            if isinstance(row, dict) and "input" in row:
                rows[row["input"]] = row
    return rows


def already_done(row: dict | None, sha: str, version: str, out: Path) -> bool:
    if not row or row.get("status") != "ok" or row.get("sha256") != sha or row.get("version") != version:
        return False
    try:
        obj = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return (obj.get("source") or {}).get("sha256") == sha


# ---------------------------------------------------------------------------------------------
# the parent side
# ---------------------------------------------------------------------------------------------
def run_jobs(jobs: list[dict], workers: int, on_row, fn=process_file, timeout: float | None = None):
    """Run ``fn(job)`` for each job in a process pool; ``on_row(row)`` gets every result, crashes
    and hard timeouts included. At most ``workers`` jobs are in flight, so a broken pool points
    at few suspects, which are rerun one at a time."""
    import multiprocessing
    import queue
    ctx = multiprocessing.get_context()
    pending = deque(jobs)
    suspects: deque = deque()
    hard = (timeout + HARD_GRACE) if timeout else None
    keys = iter(range(1 << 62))
    while pending or suspects:
        starts = ctx.Queue()
        started: dict[int, float] = {}
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker,
                                   initargs=(starts,))
        inflight: dict = {}  # future -> (job, key)
        broken = killed = None

        def submit(job):
            key = next(keys)
            inflight[pool.submit(_task, fn, key, job)] = (job, key)

        try:
            while (pending or suspects or inflight) and broken is None:
                if suspects:
                    if not inflight:
                        submit(suspects.popleft())
                else:
                    while pending and len(inflight) < workers:
                        submit(pending.popleft())
                done, _ = wait(list(inflight), timeout=min(5.0, hard or 5.0), return_when=FIRST_COMPLETED)
                for f in done:
                    job, _key = inflight[f]
                    try:
                        row = f.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:  # e.g. a result that cannot be sent back
                        row = new_row(job, error=f"internal error: {type(exc).__name__}: {exc}"[:500])
                    del inflight[f]
                    on_row(row)
                if hard and broken is None:
                    while True:
                        try:
                            key, t = starts.get_nowait()
                        except (queue.Empty, OSError, EOFError):
                            break
                        started[key] = t
                    now = time.time()
                    stuck = [f for f, (_j, key) in inflight.items() if key in started and now - started[key] > hard]
                    if stuck:
                        killed = {inflight[f][1] for f in stuck}
                        _kill(pool)
                        broken = True
            if broken:
                lone = len(inflight) == 1 and killed is None
                for f, (job, key) in list(inflight.items()):
                    if killed is not None and key in killed:
                        on_row(new_row(job, error=f"timed out after {timeout:g} s (worker killed)"))
                    elif lone:
                        on_row(new_row(job, error="worker process crashed on this file "
                                                  "(native library fault or killed, e.g. out of memory)"))
                    elif killed is not None:
                        pending.appendleft(job)  # innocent bystanders of a deliberate kill
                    else:
                        suspects.append(job)
                inflight.clear()
        except BaseException:
            _kill(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            starts.cancel_join_thread()
            starts.close()


def _kill(pool: ProcessPoolExecutor) -> None:
    """Kill this pool's own worker processes (by their process objects, never by name)."""
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            p.kill()
        except Exception:
            pass


def read_listing(list_file: Path) -> tuple[Path, list[Path]]:
    """Inputs named in a list file (one path per line, ``#`` comments, relative paths taken from the
    list's folder) and the folder they are named relative to (their common parent)."""
    try:
        lines = list_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{list_file}: cannot read the list of inputs ({exc})") from None
    paths = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            p = Path(line)
            paths.append((p if p.is_absolute() else list_file.parent / p).resolve())
    if not paths:
        raise InputError(f"{list_file}: the list names no inputs")
    root = Path(os.path.commonpath([str(p.parent) for p in paths]))
    return root, sorted(set(paths), key=lambda p: p.relative_to(root).as_posix())


def batch(in_dir, out_dir, workers: int = 0, resume: bool = False, progress: bool = True,
          timeout: float | None = DEFAULT_TIMEOUT, fn=process_file, log=sys.stderr,
          engine: str = "local", scheduler: str | None = None) -> list[dict]:
    """Process every input under ``in_dir`` (a folder, or a file listing one input path per line)
    into ``out_dir`` with the ``local`` process pool or the ``dask`` engine; returns the manifest rows."""
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if in_dir.is_file():
        in_dir, inputs = read_listing(in_dir)
    elif in_dir.is_dir():
        inputs = discover(in_dir, out_dir)
    else:
        raise InputError(f"{in_dir}: not a folder or a list of inputs")
    if not inputs:
        raise InputError(f"{in_dir}: no .pdf or .txt files found")
    out_dir.mkdir(parents=True, exist_ok=True)
    version = pipeline_version()
    rels = [p.relative_to(in_dir).as_posix() for p in inputs]
    names = output_names(rels)
    previous = read_manifest(out_dir) if resume else {}
    rows: dict[str, dict] = {}
    jobs = []
    for p, rel in zip(inputs, rels):
        out = out_dir / names[rel]
        job = {"path": str(p.resolve()), "rel": rel, "out": str(out), "out_rel": names[rel],
               "version": version, "timeout": timeout, "sha256": None}
        try:
            job["sha256"] = file_sha256(p)
        except OSError as exc:
            rows[rel] = new_row(job, error=f"cannot read: {exc.strerror or exc}")
            continue
        if resume and already_done(previous.get(rel), job["sha256"], version, out):
            rows[rel] = dict(previous[rel], resumed=True)
            continue
        jobs.append(job)
    n_workers = max(1, min(workers or default_workers(), len(jobs) or 1))
    if resume and (len(inputs) - len(jobs)):
        print(f"batch: {len(inputs) - len(jobs)} of {len(inputs)} inputs already done, skipped", file=log)

    partial = out_dir / PARTIAL
    t0 = time.perf_counter()
    bar = None
    if progress and jobs:
        from tqdm import tqdm
        bar = tqdm(total=len(jobs), unit="file", desc="batch", file=log, dynamic_ncols=True,
                   disable=not getattr(log, "isatty", lambda: False)())
    errors = [0]
    with open(partial, "a" if resume else "w", encoding="utf-8") as part:
        def on_row(row):
            rows[row["input"]] = row
            part.write(json.dumps(row, ensure_ascii=False) + "\n")
            part.flush()
            if row["status"] != "ok":
                errors[0] += 1
            if bar is not None:
                bar.set_postfix(errors=errors[0], refresh=False)
                bar.update(1)
        try:
            if jobs:
                if engine == "dask":
                    from .dask_engine import run_jobs_dask
                    run_jobs_dask(jobs, n_workers, on_row, fn=fn, timeout=timeout, scheduler=scheduler)
                else:
                    run_jobs(jobs, n_workers, on_row, fn=fn, timeout=timeout)
        except KeyboardInterrupt:
            print(f"\nbatch: interrupted after {len(rows)} of {len(rels)} inputs; "
                  "rerun with --resume to continue", file=log)
            raise
        finally:
            if bar is not None:
                bar.close()
            ordered = [rows[r] for r in rels if r in rows]
            write_atomic(out_dir / MANIFEST, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered))
    if len(ordered) == len(rels):
        partial.unlink(missing_ok=True)
    elapsed = time.perf_counter() - t0
    ok = sum(r["status"] == "ok" for r in ordered)
    failed = [r for r in ordered if r["status"] != "ok"]
    resumed = sum(bool(r.get("resumed")) for r in ordered)
    rate = f", {len(jobs) / elapsed:.2f} files/s" if jobs and elapsed > 0 else ""
    print(f"batch: {len(ordered)} inputs, {ok} ok ({resumed} resumed), {len(failed)} failed, "
          f"{n_workers} worker{'s' if n_workers > 1 else ''}, {elapsed:.1f} s{rate} -> {out_dir / MANIFEST}",
          file=log)
    for r in failed:
        print(f"  {r['input']}: {r['error']}", file=log)
    return ordered


def run_batch(args) -> int:
    """``doseline batch IN_DIR -o OUT_DIR``: exit 0 when every input was processed, 1 if any failed."""
    progress = not getattr(args, "no_progress", False)
    timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    rows = batch(args.in_dir, args.output, workers=args.workers or 0, resume=args.resume,
                 progress=progress, timeout=timeout or None, engine=getattr(args, "engine", "local"),
                 scheduler=getattr(args, "scheduler", None))
    if getattr(args, "review", False):  # a review page beside each document JSON
        from ..review.index import write_batch_pages
        n = write_batch_pages(Path(args.output), rows, log=sys.stderr)
        print(f"batch: {n} review pages -> {args.output}/*.html", file=sys.stderr)
    return 1 if any(r["status"] != "ok" for r in rows) else 0
