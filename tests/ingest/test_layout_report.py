"""The layout report over PDFs nobody tuned on (../shared/pdfs/unlabeled: case reports;
../shared/pdfs/publishers: research articles of six other publishers): word-spacing defects and
layout symptoms asserted as ceilings just above the values measured on 2026-11-30
(docs/notes/layout.md). Issue 14's target is a one-line paragraph share under 1% on every PDF:
38 of the 40 case reports and 1 of the 6 research articles meet it."""
from __future__ import annotations

import pytest

from pipeline.ingest.layout_report import layout_report

from ..pdf_fixtures import two_column_pdf

# measured on the 40 unlabeled PDFs (pypdfium2 backend): mean and worst one-line paragraph share
# (was 0.029 / 0.276 before the per-region columns, tracked headings, affiliation and chart fixes;
# left: a list's lead-in line (TB_dactylitis 0.040), one subheading before a lower-case paragraph)
ONE_LINE_WORST = 0.045
ONE_LINE_MEAN = 0.003
UNDER_ONE_PERCENT = 38  # of 40
# the six research articles, per PDF (was 0.251 mean, 0.433 worst): what is left is eLife's
# display equations drawn in a re-encoded math font, BMC's "(Continued on next page)" and address
# lines, MDPI's subheadings after a float, Wiley's equation pieces
PUBLISHERS_CEILING = {"BMC": 0.02, "MDPI": 0.03, "Nature": 0.005, "PLOS": 0.01, "Wiley": 0.06, "eLife": 0.22}


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
    assert sum(s < 0.01 for s in shares) >= UNDER_ONE_PERCENT


@pytest.fixture(scope="module")
def publisher_rows(shared):
    pdfs = sorted((shared / "pdfs" / "publishers").glob("*.pdf"))
    if not pdfs:
        pytest.skip("no publishers' PDFs")
    return [layout_report(p) for p in pdfs]


def test_publishers_one_line_paragraphs_within_ceilings(publisher_rows):
    assert len(publisher_rows) == len(PUBLISHERS_CEILING)
    for r in publisher_rows:
        ceiling = PUBLISHERS_CEILING[r["pdf"].split("_")[0]]
        assert r["layout_error"] is None and r["one_line_share"] <= ceiling, (r["pdf"], r["one_line_share"])
        assert "references" in r["back_matter"], r["pdf"]  # also under tracked headings (Wiley)


def test_every_unlabeled_pdf_has_columns_and_references(unlabeled_rows):
    for r in unlabeled_rows:
        assert r["layout_error"] is None, r["pdf"]
        assert "2" in r["columns"], r["pdf"]  # Hindawi case reports are two-column
        assert "references" in r["back_matter"], r["pdf"]
