"""PDF character backends: pypdfium2 against pdfplumber (the reference), damaged files.

The generated PDFs (tests/pdf_fixtures.py) always run; the journal PDFs in ../shared skip
without it."""
from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.ingest.pdf_reader import backend_module, read_pdf

from ..pdf_fixtures import single_column_pdf, two_column_pdf

# the dev PDFs: both backends give the same article text, byte for byte
SAME_TEXT = ["BMCCancer_2016_s12885-016-2685-3_T2DM_adenoma.pdf", "Hindawi_CRHem_2016_PMC4745278_CALR_ALL.pdf",
             "Hindawi_CRMed_2016_PMC4738914_levofloxacin_thrombocytopenia.pdf",
             "Hindawi_CRTransplant_2016_PMC4738720_cidofovir_CMV.pdf",
             "Hindawi_StemCellsInt_2016_PMC4736431_CY_GCSF_mobilization.pdf",
             "Trials_2014_1745-6215-15-486_provisional_PGE1.pdf"]


def _read(tmp_path, data, backend):
    p = tmp_path / "x.pdf"
    p.write_bytes(data)
    return read_pdf(p, data, backend=backend)


@pytest.mark.parametrize("make", [two_column_pdf, single_column_pdf])
def test_backends_agree_on_generated_pdfs(tmp_path, make):
    data = make()
    a, b = _read(tmp_path, data, "pdfplumber"), _read(tmp_path, data, "pdfium")
    assert a.raw == b.raw
    assert a.metadata == b.metadata
    assert [x["kind"] for x in a.back_matter] == [x["kind"] for x in b.back_matter]


def test_pdfium_glyphs_match_pdfminer_geometry(tmp_path):
    """Origin, advance, baseline, size and font name per glyph as pdfminer computes them."""
    from pathlib import Path
    data = two_column_pdf()
    p = tmp_path / "x.pdf"
    p.write_bytes(data)
    pl, pf = backend_module("pdfplumber"), backend_module("pdfium")
    ga = pl.page_data(pl.open_pdf(Path(p), data), 0)[0]
    gb = pf.page_data(pf.open_pdf(Path(p), data), 0)[0]
    assert len(ga) == len(gb)
    for g, h in zip(ga, gb):
        assert g.text == h.text
        assert abs(g.x0 - h.x0) < 0.05 and abs(g.x1 - h.x1) < 0.05 and abs(g.base - h.base) < 0.05
        assert abs(g.size - h.size) < 0.05 and g.font.split("+")[-1] == h.font.split("+")[-1]


def test_unknown_backend_is_an_error():
    with pytest.raises(ValueError):
        backend_module("poppler")


def test_broken_xref_read_by_pdfium(tmp_path):
    """No cross-reference table at all: pdfminer refuses it, PDFium rebuilds it; the default
    pdfplumber backend falls back to PDFium, and the text is the same as from the intact file."""
    data = two_column_pdf()
    broken = data.replace(b"xref", b"xxxx")
    intact = _read(tmp_path, data, "pdfplumber")
    assert _read(tmp_path, broken, "pdfium").raw == intact.raw
    assert _read(tmp_path, broken, "pdfplumber").raw == intact.raw  # fell back to PDFium


def test_unreadable_file_keeps_one_line_error(tmp_path):
    data = two_column_pdf()
    for bad in (data[: len(data) // 3], b"%PDF-1.4\n" + b"\x00garbage" * 50):
        for backend in ("pdfplumber", "pdfium"):
            with pytest.raises(InputError) as e:
                _read(tmp_path, bad, backend)
            assert "\n" not in str(e.value) and "x.pdf" in str(e.value)


def test_encrypted_pdf_is_reported_by_both(tmp_path):
    data = two_column_pdf(encrypt="secret")
    for backend in ("pdfplumber", "pdfium"):
        with pytest.raises(InputError, match="encrypted"):
            _read(tmp_path, data, backend)


@pytest.mark.parametrize("name", SAME_TEXT)
def test_backends_agree_on_shared_pdfs(shared, tmp_path, name):
    data = (shared / "pdfs" / name).read_bytes()
    a, b = _read(tmp_path, data, "pdfplumber"), _read(tmp_path, data, "pdfium")
    assert a.raw == b.raw
