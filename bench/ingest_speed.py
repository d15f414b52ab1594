"""Pages/s of the PDF reader on the dev PDFs, one process (pin it: ``taskset -c 0``).

    python bench/ingest_speed.py [--e2e] [--plumber] [--repeat N] [--root CHECKOUT] [PDF...]

Rows: ``ingest pdfium`` (``read_pdf`` with the pdfium backend: glyphs + layout), ``glyphs pdfium``
(the backend's ``page_data`` alone), both with the compiled per-character loop when it is built and
again with the pure-Python fallback (``DOSELINE_PURE_PYTHON=1``), ``extract_text`` (plain pdfplumber, the issue-14 yardstick)
and ``end to end`` (``run_path``, models loaded before timing). Each row is warmed up once and the
best of ``--repeat`` runs is kept, in CPU seconds of this process (the machine is shared: wall time
measures the neighbours).
Issue 14 targets: ingest >= 100 pages/s, end to end >= 50 pages/s on one core.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--root" in sys.argv:  # time another checkout's code (e.g. main, for a before/after table)
    ROOT = Path(sys.argv[sys.argv.index("--root") + 1])
sys.path.insert(0, str(ROOT))


def _best(fn, repeat):
    fn()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--root", help="code root to time instead of this checkout")
    ap.add_argument("--e2e", action="store_true", help="also time run_path end to end")
    ap.add_argument("--plumber", action="store_true", help="also time plain pdfplumber extract_text")
    a = ap.parse_args(argv)
    shared = os.environ.get("DOSELINE_SHARED", str(Path(__file__).resolve().parents[2] / "shared"))
    paths = [Path(p) for p in (a.pdfs or sorted(glob.glob(f"{shared}/pdfs/*.pdf")))]
    datas = [(p, p.read_bytes()) for p in paths]
    from pipeline.ingest import pdfium
    from pipeline.ingest.pdf_reader import read_pdf
    assert pdfium.__file__.startswith(str(ROOT)), pdfium.__file__
    pages = 0
    for p, d in datas:
        pdf = pdfium.open_pdf(p, d)
        pages += len(pdf)
        pdf.close()

    def glyphs():
        for p, d in datas:
            pdf = pdfium.open_pdf(p, d)
            for i in range(len(pdf)):
                pdfium.page_data(pdf, i)
            pdf.close()

    def ingest():
        for p, d in datas:
            read_pdf(p, d, backend="pdfium")

    compiled = getattr(pdfium, "_extension", lambda: None)() is not None
    rows = [("glyphs pdfium" + (" (C loop)" if compiled else ""), _best(glyphs, a.repeat)),
            ("ingest pdfium" + (" (C loop)" if compiled else ""), _best(ingest, a.repeat))]
    if compiled:  # the pure-Python fallback in the same run
        os.environ["DOSELINE_PURE_PYTHON"] = "1"
        rows += [("glyphs pdfium (pure Python)", _best(glyphs, a.repeat)),
                 ("ingest pdfium (pure Python)", _best(ingest, a.repeat))]
        del os.environ["DOSELINE_PURE_PYTHON"]
    if a.plumber:
        import pdfplumber

        def plain():
            for p, _ in datas:
                with pdfplumber.open(p) as pdf:
                    for pg in pdf.pages:
                        pg.extract_text()
        rows.append(("plain pdfplumber extract_text", _best(plain, 1)))
    if a.e2e:
        from pipeline.run import run_path
        rows.append(("end to end (run_path)", _best(lambda: [run_path(p) for p, _ in datas], a.repeat)))
    print(f"{len(paths)} PDFs, {pages} pages, code {ROOT}")
    ref = dict(rows).get("plain pdfplumber extract_text")
    print("| stage | seconds | pages/s | x extract_text speed |\n|---|---|---|---|")
    for name, t in rows:
        print(f"| {name} | {t:.3f} | {pages / t:.1f} | {f'{ref / t:.1f}' if ref else '-'} |")


if __name__ == "__main__":
    main()
