"""The compiled per-character loop (``_pdfium_chars``) and its pure-Python fallback give the same
glyphs (issue 14). The generated PDFs always run; the dev PDFs in ../shared skip without it."""
from __future__ import annotations

import ctypes
from dataclasses import astuple
from pathlib import Path

import pytest

from pipeline.ingest import pdfium
from pipeline.ingest.pdf_reader import read_pdf

from ..pdf_fixtures import single_column_pdf, two_column_pdf

needs_extension = pytest.mark.skipif(pdfium._extension() is None,
                                     reason="the C extension is not built (no compiler at install time)")


def _glyphs(data: bytes):
    pdf = pdfium.open_pdf(Path("x.pdf"), data)
    try:
        return [[astuple(g) for g in pdfium.page_data(pdf, i)[0]] for i in range(len(pdf))]
    finally:
        pdf.close()


def _both(monkeypatch, data: bytes):
    compiled = _glyphs(data)
    with monkeypatch.context() as m:
        m.setenv("DOSELINE_PURE_PYTHON", "1")
        assert pdfium._extension() is None
        python = _glyphs(data)
    return compiled, python


@needs_extension
@pytest.mark.parametrize("make", [two_column_pdf, single_column_pdf])
def test_compiled_and_python_glyphs_are_identical(monkeypatch, make):
    compiled, python = _both(monkeypatch, make())
    assert sum(map(len, compiled)) > 500
    assert compiled == python


@needs_extension
def test_compiled_chars_match_ctypes_calls():
    """Per character, the extension returns what the ctypes calls return (the fields the glyph
    loop reads: the generated flag of spaces; object, origin and loose box of the rest)."""
    pdf = pdfium.open_pdf(Path("x.pdf"), two_column_pdf())
    R = pdfium._raw()
    try:
        page = pdf[0]
        tp = page.get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range(0, n)
        raw = ctypes.cast(tp.raw, ctypes.c_void_p).value
        c = pdfium._chars_compiled(pdfium._extension(), R, raw, n)
        p = pdfium._chars_python(R, raw, n, text)
        for k in range(n):
            if text[k].isspace():
                assert c[5][k] & 2 == p[5][k] & 2
            else:
                assert [c[i][k] for i in range(5)] == [p[i][k] for i in range(5)]
                assert c[5][k] & 1 == p[5][k] & 1
        tp.close()
        page.close()
    finally:
        pdf.close()


def test_fallback_reads_without_the_extension(monkeypatch, tmp_path):
    """Without the extension (not built, or switched off) the pure-Python loop reads the PDF."""
    data = two_column_pdf()
    p = tmp_path / "x.pdf"
    p.write_bytes(data)
    ref = read_pdf(p, data, backend="pdfium")
    monkeypatch.setattr(pdfium, "_extension", lambda: None)
    doc = read_pdf(p, data, backend="pdfium")
    assert doc.raw == ref.raw and doc.boxes == ref.boxes
    assert "cyclophosphamide" in doc.raw


def test_extension_switch_is_read_per_call(monkeypatch):
    monkeypatch.setenv("DOSELINE_PURE_PYTHON", "1")
    assert pdfium._extension() is None
    monkeypatch.setenv("DOSELINE_PURE_PYTHON", "0")
    assert (pdfium._extension() is None) == (not _built())


def _built() -> bool:
    try:
        from pipeline.ingest import _pdfium_chars  # noqa: F401
    except ImportError:
        return False
    return True


@needs_extension
def test_dev_pdfs_same_glyphs_both_ways(monkeypatch, shared):
    pdfs = sorted((shared / "pdfs").glob("*.pdf"))
    assert pdfs
    for path in pdfs:
        compiled, python = _both(monkeypatch, path.read_bytes())
        assert compiled == python, path.name


@needs_extension
@pytest.mark.parametrize("make", [two_column_pdf, single_column_pdf])
def test_python_loop_over_compiled_chars_is_identical(monkeypatch, make):
    """Pages the compiled glyph loop leaves to Python (surrogates) go through the Python loop over
    the compiled character lists: the same glyphs again."""
    data = make()
    compiled = _glyphs(data)
    monkeypatch.setattr(pdfium, "_glyphs_compiled", lambda *a: None)
    assert _glyphs(data) == compiled
