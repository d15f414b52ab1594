"""Benchmark: throughput of each stage and end to end, against plain pdfplumber, and a scale run.

PDF rows include the reader alone with each character backend (``ingest pdfium``,
``ingest pdfplumber``, and ``ingest pdfium, pure Python`` without the compiled character loop)
beside the pipeline's ``ingest`` (the default backend) and plain ``extract_text``; text quality
gives strict and reading-order-free CER side by side.

For the bundled report (text) and every PDF in ``../shared/pdfs`` (or ``--pdfs``) the stages of
``pipeline.run`` (ingest, then each of ``run.STAGES``) and the export (document JSON + record
table) are timed one by one, in CPU seconds of the process, after a warm-up (models and lexicons
loaded), in the same process as the reference: pdfplumber's plain ``page.extract_text()`` over
every page. A second pass under ``tracemalloc`` gives each stage's peak Python heap; the
process's peak RSS comes from ``resource.getrusage``. The scale run repeats the inputs (symlinks
in a temp folder) to ``--scale`` documents and runs ``batch`` with 1 worker and with all workers;
it reports each worker's peak and growth of RSS, PSS and USS from the manifest.
"""
from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..resources import ROOT, shared_dir

REPORT = "fonc-2026-cd7-cart"
STAGE_ORDER = ("ingest", "cleanup", "recognize", "link", "export")
REFERENCE = "pdfplumber extract_text"
END_TO_END = "end to end"
BACKENDS = ("pdfium", "pdfplumber")  # PDF character backends timed side by side (ingest rows)
PURE = "ingest pdfium, pure Python"  # the pdfium backend without its compiled loop, when it is built
# Stage rows are CPU seconds of this process: the pipeline runs in one thread, and on a shared
# machine wall time mostly measured the neighbours (the scale run keeps wall time: it measures
# the workers together).
CLOCK = time.process_time


def bundled_report() -> Path | None:
    for p in (ROOT / "gold" / REPORT / "source.txt", shared_dir() / "reports" / f"{REPORT}.txt"):
        if p.exists():
            return p
    return None


def _stages():
    from .. import run
    return [(name, fn) for name, fn in run.STAGES]


def time_document(path: Path, memory: bool = False) -> dict:
    """Seconds (or, with ``memory``, peak traced bytes) of each stage on one input."""
    from .export import dumps, records_table, to_dict
    from ..ingest.read import ingest
    out: dict = {}

    def measure(name, fn, *a):
        if memory:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            res = fn(*a)
            out[name] = max(0, tracemalloc.get_traced_memory()[1] - base)
        else:
            t0 = CLOCK()
            res = fn(*a)
            out[name] = CLOCK() - t0
        return res

    t0 = CLOCK()
    doc = measure("ingest", ingest, path)
    for name, stage in _stages():
        doc = measure(name, stage, doc)

    def export(d):
        obj = to_dict(d)
        dumps(obj)
        records_table(obj)
        return obj

    measure("export", export, doc)
    if not memory:
        out[END_TO_END] = CLOCK() - t0
    if path.suffix.lower() == ".pdf":  # the reader alone, with each character backend
        from ..ingest.pdf_reader import read_pdf
        data = path.read_bytes()
        for backend in BACKENDS:
            measure(f"ingest {backend}", read_pdf, path, data, 500, backend)
        from ..ingest import pdfium
        if pdfium._extension() is not None:
            os.environ["DOSELINE_PURE_PYTHON"] = "1"
            try:
                measure(PURE, read_pdf, path, data, 500, "pdfium")
            finally:
                del os.environ["DOSELINE_PURE_PYTHON"]
    out["_pages"] = doc.source.get("pages")
    out["_words"] = len(doc.text.split())
    return out


def time_pdfplumber(path: Path, memory: bool = False) -> dict:
    import pdfplumber
    if memory:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
    t0 = CLOCK()
    words = 0
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            words += len((page.extract_text() or "").split())
            page.close()
    seconds = CLOCK() - t0
    value = max(0, tracemalloc.get_traced_memory()[1] - base) if memory else seconds
    return {REFERENCE: value, "_pages": pages, "_words": words}


def _rows(corpus: str, timed: list[dict], mem: list[dict] | None, names: list[str]) -> list[dict]:
    rows = []
    ref = sum(t.get(REFERENCE, 0.0) for t in timed) or None
    for name in names:
        if not all(name in t for t in timed):
            continue
        seconds = sum(t[name] for t in timed)
        docs = len(timed)
        pages = sum(t["_pages"] or 0 for t in timed) or None
        words = sum(t["_words"] for t in timed)
        peak = max((m.get(name, 0) for m in mem), default=None) if mem else None
        rows.append({
            "corpus": corpus, "stage": name, "docs": docs, "pages": pages, "words": words,
            "seconds": round(seconds, 4),
            "docs_per_s": round(docs / seconds, 3) if seconds else None,
            "pages_per_s": round(pages / seconds, 2) if seconds and pages else None,
            "words_per_s": int(round(words / seconds)) if seconds else None,
            "peak_mb": round(peak / 2 ** 20, 1) if peak is not None else None,
            "x_pdfplumber": round(seconds / ref, 2) if ref and name != REFERENCE else None,
        })
    return rows


def measure_corpus(corpus: str, paths: list[Path], memory: bool = True, log=sys.stderr) -> list[dict]:
    is_pdf = [p.suffix.lower() == ".pdf" for p in paths]
    timed, mem = [], []
    kept = []
    for p, pdf in zip(paths, is_pdf):
        try:
            t = time_document(p)
        except Exception as exc:  # a broken input or stage: reported, not benchmarked
            print(f"bench: {corpus} {p.name}: skipped ({type(exc).__name__}: {exc})", file=log)
            continue
        kept.append((p, pdf))
        pages, words = t["_pages"], t["_words"]
        if pdf:
            ref = time_pdfplumber(p)
            t[REFERENCE] = ref[REFERENCE]
            t["_ref_words"] = ref["_words"]
        timed.append(t)
        print(f"bench: {corpus} {p.name}: {t[END_TO_END]:.2f} s ({pages or '-'} pages, {words} words)", file=log)
    if memory:
        tracemalloc.start()
        try:
            for p, pdf in kept:
                m = time_document(p, memory=True)
                if pdf:
                    m[REFERENCE] = time_pdfplumber(p, memory=True)[REFERENCE]
                m[END_TO_END] = max(v for k, v in m.items() if k in STAGE_ORDER or k == REFERENCE)
                mem.append(m)
        finally:
            tracemalloc.stop()
    if not timed:
        return []
    names = [REFERENCE] + [f"ingest {b}" for b in BACKENDS] + [PURE] \
        + list(dict.fromkeys(["ingest", *[n for n, _ in _stages()], "export"])) + [END_TO_END]
    return _rows(corpus, timed, mem or None, names)


def scale_run(paths: list[Path], n_docs: int, workers: int | None = None, log=sys.stderr,
              engines: tuple = ("local", "dask")) -> dict:
    """``paths`` repeated (symlinks) to ``n_docs`` inputs through ``batch`` with 1 and all workers,
    on each engine (the Dask one when dask.distributed is installed). Worker memory is read from the
    manifest (resident MB after each file): its peak, and its growth from the first to the last tenth
    of each worker's files."""
    from .batch import batch, default_workers
    workers = workers or default_workers()
    try:
        import distributed  # noqa: F401
    except ImportError:
        engines = tuple(e for e in engines if e != "dask")
    out: dict = {"documents": n_docs, "inputs": [p.name for p in paths], "runs": []}
    with tempfile.TemporaryDirectory(prefix="doseline-scale-") as tmp:
        in_dir = Path(tmp) / "in"
        in_dir.mkdir()
        for i in range(n_docs):
            src = paths[i % len(paths)]
            link = in_dir / f"{i:05d}_{src.name}"
            try:
                link.symlink_to(src.resolve())
            except OSError:
                link.write_bytes(src.read_bytes())
        for engine in engines:
            for w in dict.fromkeys([1, workers]):
                print(f"bench: scale run, {engine} engine, {n_docs} documents, {w} worker{'s' if w > 1 else ''} ...",
                      file=log)
                t0 = time.perf_counter()
                with open(os.devnull, "w") as quiet:
                    rows = batch(in_dir, Path(tmp) / f"out-{engine}{w}", workers=w, progress=False, log=quiet,
                                 engine=engine)
                seconds = time.perf_counter() - t0
                ok = [r for r in rows if r["status"] == "ok"]
                pages = sum(r.get("pages") or 0 for r in ok)
                words = sum(r.get("words") or 0 for r in ok)
                out["runs"].append({
                    "engine": engine, "workers": w, "seconds": round(seconds, 2), "ok": len(ok),
                    "failed": len(rows) - len(ok), "docs_per_s": round(len(ok) / seconds, 3),
                    "pages_per_s": round(pages / seconds, 2) if pages else None,
                    "words_per_s": int(round(words / seconds)),
                    **worker_memory(ok),
                })
    runs = out["runs"]
    out["speedup"] = {}
    for engine in engines:
        mine = [r for r in runs if r["engine"] == engine]
        out["speedup"][engine] = round(mine[0]["seconds"] / mine[-1]["seconds"], 2) if len(mine) > 1 else 1.0
    for key in ("rss", "pss", "uss"):
        peaks = [r[f"worker_{key}_peak_mb"] for r in runs if r[f"worker_{key}_peak_mb"]]
        out[f"worker_peak_{key}_mb"] = max(peaks) if peaks else None
    return out


def worker_memory(rows: list[dict]) -> dict:
    """Peak and growth (mean of the last tenth of files minus the first tenth, per worker order in
    the manifest) of the workers' RSS, PSS and USS after each file. PSS is the honest per-worker
    figure for forked workers: RSS counts the pages they share with the parent in every worker."""
    out = {}
    for key in ("rss", "pss", "uss"):
        vals = [r[f"{key}_mb"] for r in rows if r.get(f"{key}_mb")]
        tenth = max(1, len(vals) // 10)
        out[f"worker_{key}_peak_mb"] = max(vals) if vals else None
        out[f"worker_{key}_growth_mb"] = (round(sum(vals[-tenth:]) / tenth - sum(vals[:tenth]) / tenth, 1)
                                          if vals else None)
    return out


def table(rows: list[dict]):
    import pandas as pd
    df = pd.DataFrame(rows)
    for col in df.columns:
        if col in ("docs", "pages", "words", "ok", "failed", "workers", "words_per_s"):
            ints = pd.to_numeric(df[col]).astype("Int64")
            df[col] = [("-" if pd.isna(v) else int(v)) for v in ints]
        elif col not in ("corpus", "stage", "engine"):
            df[col] = pd.to_numeric(df[col])
    return df.rename(columns={"docs_per_s": "docs/s", "pages_per_s": "pages/s", "words_per_s": "words/s",
                              "peak_mb": "peak MB", "x_pdfplumber": "x pdfplumber",
                              "worker_rss_peak_mb": "RSS MB", "worker_rss_growth_mb": "RSS growth",
                              "worker_pss_peak_mb": "PSS MB", "worker_pss_growth_mb": "PSS growth",
                              "worker_uss_peak_mb": "USS MB", "worker_uss_growth_mb": "USS growth"})


def text_quality(pdfs: list[Path], log=sys.stderr) -> list[dict]:
    """Per PDF: glued/split tokens per 1,000 words of Doseline's text and of plain pdfplumber
    ``extract_text()``, and CER against a hand-made reference text where one exists
    (``<pdf dir>/gold/<stem>.txt``)."""
    import pdfplumber
    from ..evaluate.score import char_error, text_defects
    from ..run import run_path
    rows = []
    for p in pdfs:
        try:
            ours = run_path(p).text
            with pdfplumber.open(p) as pdf:
                plain = "\n".join(page.extract_text() or "" for page in pdf.pages)
        except Exception as exc:
            print(f"bench: quality {p.name}: skipped ({type(exc).__name__}: {exc})", file=log)
            continue
        do, dp = text_defects(ours), text_defects(plain)
        row = {"pdf": p.stem[:40], "words": do["words"],
               "glued/1k": round(do["glued_per_1k_words"], 2), "split/1k": round(do["split_per_1k_words"], 2),
               "plain glued/1k": round(dp["glued_per_1k_words"], 2),
               "plain split/1k": round(dp["split_per_1k_words"], 2), "CER": None, "order-free CER": None,
               "plain CER": None, "plain order-free CER": None}
        ref = p.parent / "gold" / f"{p.stem}.txt"
        if ref.exists():  # strict CER beside reading-order-free CER (a float one paragraph away
            r = ref.read_text(encoding="utf-8")  # from the reference's choice costs only in the strict one)
            for key, text in (("", ours), ("plain ", plain)):
                rep = char_error(text, r)
                row[f"{key}CER"] = round(rep["cer"], 4)
                row[f"{key}order-free CER"] = round(rep["cer_reading_order_free"], 4)
        rows.append(row)
    return rows


def bench(pdf_dir: Path | None = None, scale: int = 200, memory: bool = True, log=sys.stderr) -> dict:
    import resource
    from .batch import default_workers, pipeline_version
    from ..run import warm_up
    t0 = time.perf_counter()
    try:
        from .export import records_table, to_dict
        records_table(to_dict(warm_up()))  # the export's pandas too
    except Exception as exc:  # a stage under repair: the per-document runs report it
        print(f"bench: warm-up failed ({type(exc).__name__}: {exc})", file=log)
    load = time.perf_counter() - t0
    report = bundled_report()
    pdfs = sorted(pdf_dir.glob("*.pdf")) if pdf_dir is not None and pdf_dir.is_dir() else []
    for first in ([report] if report else []) + pdfs[:1]:  # first calls of every code path, untimed
        try:
            time_document(first)
        except Exception:
            pass
    result = {
        "when": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "version": __version__, "pipeline_version": pipeline_version(),
        "machine": {"cpus": default_workers(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "load_seconds": round(load, 3), "rows": [], "scale": None,
    }
    if report is not None:
        result["rows"] += measure_corpus("report", [report], memory=memory, log=log)
    if pdfs:
        result["rows"] += measure_corpus("pdfs", pdfs, memory=memory, log=log)
    result["text_quality"] = text_quality(pdfs, log=log) if pdfs else []
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    inputs = pdfs or ([report] if report else [])
    if scale and inputs:
        result["scale"] = scale_run(inputs, scale, log=log)
    return result


def render(result: dict) -> str:
    lines = [f"doseline {result['pipeline_version']} on {result['machine']['cpus']} CPUs, "
             f"{result['when']} (pipeline load {result['load_seconds']:.2f} s, "
             f"peak RSS {result['peak_rss_mb']:.0f} MB)"]
    if result["rows"]:
        lines.append(table(result["rows"]).to_string(index=False, na_rep="-"))
    if result.get("text_quality"):
        import pandas as pd
        lines.append("\ntext quality (Doseline vs plain pdfplumber extract_text; CER against the reference text)")
        lines.append(pd.DataFrame(result["text_quality"]).to_string(index=False, na_rep="-"))
    s = result.get("scale")
    if s:
        speed = ", ".join(f"{e} {x:.2f}x" for e, x in s["speedup"].items())
        lines.append(f"\nscale run: {s['documents']} documents ({len(s['inputs'])} distinct inputs repeated) "
                     f"through batch; speed-up {speed}; worker peak RSS {s['worker_peak_rss_mb'] or 0:.0f} MB, "
                     f"PSS {s.get('worker_peak_pss_mb') or 0:.0f} MB, USS {s.get('worker_peak_uss_mb') or 0:.0f} MB")
        lines.append(table(s["runs"]).to_string(index=False, na_rep="-"))
    return "\n".join(lines)


def run_bench(args) -> int:
    from .batch import default_workers  # noqa: F401  (import errors surface before the long run)
    from .export import dumps, write_atomic
    pdf_dir = Path(args.pdfs) if args.pdfs else shared_dir() / "pdfs"
    if args.pdfs and not pdf_dir.is_dir():
        from ..errors import InputError
        raise InputError(f"{pdf_dir}: not a folder")
    result = bench(pdf_dir, scale=args.scale, memory=not getattr(args, "no_memory", False))
    print(render(result))
    if args.out:
        write_atomic(args.out, dumps(result))
        print(f"bench: results -> {args.out}", file=sys.stderr)
    return 0
