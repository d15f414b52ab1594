"""The worker side of ``doseline batch``, shared by both engines (the local process pool in
:mod:`.batch` and :mod:`.dask_engine`): load the pipeline once per worker, run one file under a
time limit, write its JSON atomically and return its manifest row; never raise.
"""
from __future__ import annotations

import hashlib
import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from .export import dumps, to_dict, write_atomic

HARD_GRACE = 60.0  # seconds past the timeout before the parent kills (or restarts) a stuck worker


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class FileTimeout(BaseException):
    """Raised in a worker when one file runs past its time limit (a BaseException, so the
    pipeline's own ``except Exception`` handlers do not swallow it)."""


@contextmanager
def deadline(seconds: float | None):
    """Raise :class:`FileTimeout` in this thread once ``seconds`` have passed: by SIGALRM in a
    process's main thread (the local pool), by an asynchronous exception in any other thread (a
    Dask worker runs tasks in threads). Either way only Python code is interrupted; a call stuck
    in native code is left to the parent's hard limit."""
    if not seconds:
        yield
        return
    if _main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum, frame):
            raise FileTimeout()

        old = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        return
    import ctypes
    import threading
    target, lock, state = threading.get_ident(), threading.Lock(), {"open": True}

    def fire():
        with lock:
            if state["open"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(FileTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["open"] = False
        timer.cancel()


def _main_thread() -> bool:
    import threading
    return threading.current_thread() is threading.main_thread()


_STARTS = None  # in a worker: the queue where each task posts (key, start time) for the watchdog


def init_worker(starts=None, signals: bool = True) -> None:
    """Load the pipeline once per worker: imports, spaCy pipeline, lexicons (on a warm-up text)."""
    global _STARTS
    _STARTS = starts
    if signals:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent
    from ..run import warm_up
    try:
        warm_up()
    except Exception:  # a broken stage shows up on the real files, with their names
        pass


def _task(fn, key: int, job: dict) -> dict:
    """Tell the parent when this file starts (its clock for the hard timeout), then run it."""
    if _STARTS is not None:
        try:
            _STARTS.put((key, time.time()))
        except Exception:
            pass
    return fn(job)


def _message(exc: BaseException, path: str, rel: str) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    msg = msg.replace(path, rel)
    if msg.startswith(rel + ": "):
        msg = msg[len(rel) + 2:]
    if not isinstance(exc, InputError):
        msg = f"internal error: {type(exc).__name__}: {msg}"
    return msg[:500]


def process_file(job: dict) -> dict:
    """Run the pipeline on one input and write its JSON; never raises (errors go in the row)."""
    from ..run import run_path
    t0 = time.perf_counter()
    row = new_row(job)
    try:
        row["sha256"] = job.get("sha256") or file_sha256(Path(job["path"]))
        with deadline(job.get("timeout")):
            doc = run_path(job["path"])
            doc.source["path"] = job["rel"]
            obj = to_dict(doc)
            text = dumps(obj)
        write_atomic(job["out"], text)
        row.update(status="ok", pages=obj["source"].get("pages"), words=len(obj["text"].split()),
                   entities=len(obj["entities"]), records=len(obj["records"]))
    except FileTimeout:
        row["error"] = f"timed out after {job.get('timeout'):g} s"
    except Exception as exc:  # one bad file never stops the run
        row["error"] = _message(exc, str(job["path"]), job["rel"])
    row["seconds"] = round(time.perf_counter() - t0, 3)
    row["rss_mb"] = resident_mb()
    row.update(proportional_mb())
    return row


def resident_mb() -> float | None:
    """This process's resident memory now, in MB (Linux /proc; None elsewhere): the manifest keeps
    it per file, so a worker's growth over a long run can be read off the manifest."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def proportional_mb() -> dict:
    """This process's proportional and unique memory now, in MB (Linux ``smaps_rollup``; None
    elsewhere). RSS counts every page the process maps, so forked pool workers each count the
    pages they share with the parent and each other; PSS divides a shared page among the
    processes that map it (summed over workers it is their true total), USS counts the pages only
    this process maps (what ending it would free)."""
    out = {"pss_mb": None, "uss_mb": None}
    try:
        with open("/proc/self/smaps_rollup") as fh:
            kb = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in fh if ":" in line)
                  if v.strip().endswith("kB")}
    except (OSError, ValueError):
        return out
    if "Pss" in kb:
        out["pss_mb"] = round(kb["Pss"] / 1024, 1)
    if "Private_Clean" in kb and "Private_Dirty" in kb:
        out["uss_mb"] = round((kb["Private_Clean"] + kb["Private_Dirty"]) / 1024, 1)
    return out


def new_row(job: dict, status: str = "error", error: str | None = None) -> dict:
    return {"input": job["rel"], "output": job["out_rel"], "sha256": job.get("sha256"), "status": status,
            "error": error, "seconds": None, "pages": None, "words": None, "entities": None,
            "records": None, "version": job["version"], "resumed": False, "rss_mb": None,
            "pss_mb": None, "uss_mb": None}
