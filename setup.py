"""The one compiled part of Doseline: the per-character loop over PDFium (issue 14).

Everything else is in pyproject.toml. ``-ffp-contract=off``: no fused multiply-add, so every coordinate is rounded as Python rounds it.
The extension is optional: where no C compiler is found the
build goes on without it and ``pipeline/ingest/pdfium.py`` uses its pure-Python loop (same glyphs,
about 2 us more per character).
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("pipeline.ingest._pdfium_chars", ["pipeline/ingest/_pdfium_chars.c"],
                             optional=True, extra_compile_args=["-O2", "-ffp-contract=off"])])
