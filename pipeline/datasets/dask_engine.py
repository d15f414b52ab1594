"""The Dask engine of ``doseline batch``: the same jobs, rows and guarantees as the local process
pool (:func:`pipeline.datasets.batch.run_jobs`), scheduled by ``dask.distributed``.

Dask is an established distributed scheduler (Rocklin 2015, "Dask: Parallel Computation with
Blocked algorithms and Task Scheduling", SciPy): with no address a ``LocalCluster`` on this
machine, with ``--scheduler tcp://host:8786`` a cluster started elsewhere with ``dask scheduler``
and ``dask worker``. The mapping to the local pool:

- one task per file (``process_file``: run the pipeline, write the JSON atomically on the worker,
  return the manifest row), at most as many in flight as the cluster has threads, so a crash or a
  stuck file points at few suspects;
- the pipeline is loaded once per worker by a worker plugin (:class:`WarmUp`), not per task;
- a file that runs past ``timeout`` is interrupted inside its worker thread (``deadline`` raises
  ``FileTimeout`` there); one still running ``HARD_GRACE`` seconds later has its worker restarted
  by the nanny and is recorded as timed out;
- a worker that dies on a file (native crash, out-of-memory kill) makes that task fail with
  ``KilledWorker`` once the scheduler has given up on it (``allowed-failures``, set to 0 on a
  local cluster so the file is not retried on the next worker), and the file is recorded as crashed.

Outputs are written by the workers themselves, so on a multi-machine cluster IN and OUT must be on
a file system every worker sees, under the same paths.
"""
from __future__ import annotations

import logging
import time

from .worker import HARD_GRACE, init_worker, new_row

try:  # the plugin base class; optional dependency, checked when the engine is asked for
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - dask not installed
    WorkerPlugin = object


class WarmUp(WorkerPlugin):
    """Load the pipeline (spaCy pipelines, lexicons, wordfreq, PDF backend) once per worker."""
    name = "doseline-warm-up"

    def setup(self, worker):  # noqa: D401 - distributed's hook
        init_worker(None, signals=False)


def _client(scheduler: str | None, workers: int):
    """A client on ``scheduler``, or on a new LocalCluster of ``workers`` single-thread processes."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        from ..errors import InputError
        raise InputError("the dask engine needs dask.distributed: pip install 'dask[distributed]'") from None
    if scheduler:
        return Client(scheduler, set_as_default=False), None
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.worker.daemon": False,
                          "distributed.admin.system-monitor.gil.enabled": False}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster, set_as_default=False), cluster


def _slots(client) -> int:
    return max(1, sum(client.nthreads().values()))


def _worker_of(client, key) -> str | None:
    for addr, keys in client.processing().items():
        if key in keys:
            return addr
    return None


def run_jobs_dask(jobs: list[dict], workers: int, on_row, fn, timeout: float | None = None,
                  scheduler: str | None = None) -> None:
    """Run ``fn(job)`` for each job on a Dask cluster; ``on_row(row)`` gets every result."""
    from distributed import wait
    from distributed.client import FutureCancelledError

    client, cluster = _client(scheduler, workers)
    try:
        with client.as_current():
            _loop(client, jobs, on_row, fn, timeout, wait, FutureCancelledError)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _loop(client, jobs, on_row, fn, timeout, wait, cancelled) -> None:
    """Keep every thread of the cluster busy, hand each finished row to ``on_row`` in completion
    order, and restart the worker of a file stuck past its hard limit."""
    client.register_plugin(WarmUp(), name=WarmUp.name)
    slots = _slots(client)
    hard = (timeout + HARD_GRACE) if timeout else None
    pending = list(reversed(jobs))
    inflight: dict = {}  # future -> (job, submitted at)
    while pending or inflight:
        while pending and len(inflight) < slots:
            job = pending.pop()
            inflight[client.submit(fn, job, pure=False, key=f"doseline-{job['rel']}-{time.time_ns()}")] \
                = (job, time.time())
        try:
            done, _ = wait(list(inflight), timeout=2.0, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        for f in done:
            job, _t = inflight.pop(f)
            on_row(_result(f, job, cancelled))
        if hard:
            now = time.time()
            for f, (job, t) in list(inflight.items()):
                if now - t <= hard:
                    continue
                addr = _worker_of(client, f.key)
                inflight.pop(f)
                f.cancel()
                if addr:
                    try:
                        client.restart_workers([addr])
                    except Exception:  # the nanny may already be restarting it
                        pass
                on_row(new_row(job, error=f"timed out after {timeout:g} s (worker restarted)"))


def _result(f, job: dict, cancelled) -> dict:
    try:
        return f.result()
    except cancelled:
        return new_row(job, error="task cancelled by the cluster")
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":
            return new_row(job, error="worker process crashed on this file "
                                      "(native library fault or killed, e.g. out of memory)")
        return new_row(job, error=f"internal error: {type(exc).__name__}: {exc}"[:500])
