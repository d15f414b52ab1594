"""Pages per second of each stage, after load, on the bundled report and the dev PDFs.

    taskset -c 0 python bench/recognize_speed.py [--repeat N] [--profile STAGE]

Ingest runs once per file (its output is cached); cleanup, recognize, link and anchor are timed
``--repeat`` times on that Document after one warm-up pass, and the median is kept. Times are
CPU time (``time.process_time``): on a shared machine wall time mostly measures the neighbours.
Pages: the
PDF page count, or words / 550 for a text file (the report: 3,943 words ~ 7 pages).
``--profile recognize`` prints a pyinstrument profile of that stage over all files (pyinstrument
is a developer tool, not a project dependency)."""
from __future__ import annotations

import argparse
import copy
import glob
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from pipeline.run import STAGES, warm_up  # noqa: E402
from pipeline.ingest.read import ingest  # noqa: E402

SHARED = os.environ.get("DOSELINE_SHARED", os.path.join(ROOT, "..", "shared"))
WORDS_PER_PAGE = 550


def inputs() -> list[str]:
    return [os.path.join(ROOT, "gold/fonc-2026-cd7-cart/source.txt")] + \
        sorted(glob.glob(os.path.join(SHARED, "pdfs", "*.pdf")))


def pages(path: str, doc) -> float:
    if path.endswith(".pdf"):
        import pypdfium2
        return float(len(pypdfium2.PdfDocument(path)))
    return len(doc.text.split()) / WORDS_PER_PAGE


def time_stages(doc, repeat: int) -> dict:
    runs = {name: [] for name, _ in STAGES}
    for r in range(repeat + 1):
        d = copy.deepcopy(doc)
        for name, stage in STAGES:
            t0 = time.process_time()
            d = stage(d)
            if r:  # the first pass is the warm-up
                runs[name].append(time.process_time() - t0)
    return {k: statistics.median(v) for k, v in runs.items()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", default=None, help="a stage name to profile")
    a = ap.parse_args(argv)
    warm_up()
    docs = [(p, ingest(p)) for p in inputs()]
    if a.profile:
        from pyinstrument import Profiler
        stage = dict(STAGES)
        prof = Profiler(interval=0.0005)
        for _ in range(a.repeat):
            for p, doc in docs:
                d = copy.deepcopy(doc)
                for name, fn in STAGES:
                    if name == a.profile:
                        prof.start()
                        d = fn(d)
                        prof.stop()
                        break
                    d = fn(d)
        print(prof.output_text(unicode=True, color=False, show_all=False))
        return
    names = [n for n, _ in STAGES]
    tot = {n: 0.0 for n in names}
    tot_pages = 0.0
    print(f"{'file':42s} {'pages':>5s} " + " ".join(f"{n + ' p/s':>14s}" for n in names) + f" {'all p/s':>9s}")
    for label, group in (("report", docs[:1]), ("pdfs", docs[1:])):
        for p, doc in group:
            n = pages(p, doc)
            t = time_stages(doc, a.repeat)
            tot_pages += n
            for k in names:
                tot[k] += t[k]
            print(f"{os.path.basename(p)[:42]:42s} {n:5.1f} " + " ".join(f"{n / t[k]:14.1f}" for k in names)
                  + f" {n / sum(t.values()):9.1f}")
    print(f"{'ALL':42s} {tot_pages:5.1f} " + " ".join(f"{tot_pages / tot[k]:14.1f}" for k in names)
          + f" {tot_pages / sum(tot.values()):9.1f}")


if __name__ == "__main__":
    main()
