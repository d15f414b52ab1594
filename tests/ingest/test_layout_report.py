"""The layout report over PDFs nobody tuned on (../shared/pdfs/unlabeled): word-spacing defects
and layout symptoms asserted as ceilings at the measured values (docs/notes/ingest.md)."""
from __future__ import annotations

import pytest

from pipeline.ingest.layout_report import layout_report

from ..pdf_fixtures import two_column_pdf

# measured on the 40 unlabeled PDFs (pypdfium2 backend): median and worst one-line paragraph share
# (affiliation lines left in the text, figure panel labels "(a)", list items cut from a paragraph)
ONE_LINE_WORST = 0.28
ONE_LINE_MEAN = 0.04


def test_report_on_generated_pdf(tmp_path):
    p = tmp_path / "two_column.pdf"
    p.write_bytes(two_column_pdf())
    r = layout_report(p)
    assert r["pages"] == 2 and r["columns"][0] == "2"
    assert r["glued_per_1k"] == 0 and r["split_per_1k"] == 0
    assert r["headings"] >= 1 and r["captions"] >= 1 and r["furniture_lines"] >= 2


@pytest.fixture(scope="module")
def unlabeled_rows(shared):
    pdfs = sorted((shared / "pdfs" / "unlabeled").glob("*.pdf"))
    if not pdfs:
        pytest.skip("no unlabeled PDFs")
    return [layout_report(p) for p in pdfs]


def test_no_glued_or_split_tokens_on_unlabeled(unlabeled_rows):
    for r in unlabeled_rows:
        assert r["glued_per_1k"] == 0 and r["split_per_1k"] == 0, (r["pdf"], r["glued"], r["split"])


def test_one_line_paragraphs_stay_rare(unlabeled_rows):
    shares = [r["one_line_share"] for r in unlabeled_rows]
    assert max(shares) <= ONE_LINE_WORST
    assert sum(shares) / len(shares) <= ONE_LINE_MEAN


def test_every_unlabeled_pdf_has_columns_and_references(unlabeled_rows):
    for r in unlabeled_rows:
        assert r["layout_error"] is None, r["pdf"]
        assert "2" in r["columns"], r["pdf"]  # Hindawi case reports are two-column
        assert "references" in r["back_matter"], r["pdf"]
