"""The review page in a real browser: the system's headless Chromium, driven over its DevTools pipe.

Skips with a message when no Chromium is installed (``apt-get install chromium``; ``.ci/run`` does it).
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from pipeline.review.browser import Chromium, find_chromium
from pipeline.review.page import render

pytestmark = pytest.mark.skipif(find_chromium() is None,
                                reason="chromium not installed (apt-get install chromium): browser tests skipped")


@pytest.fixture(scope="module")
def browser():
    b = Chromium(width=1280, height=1000)
    yield b
    b.close()


@pytest.fixture(scope="module")
def report_page(report_gold_dir, tmp_path_factory):
    from pipeline.datasets.export import load_document, to_dict
    from pipeline.run import run_path
    doc = to_dict(run_path(report_gold_dir / "source.txt"))
    gold = load_document(report_gold_dir / "gold.json")
    out = tmp_path_factory.mktemp("review") / "report.html"
    out.write_text(render(doc, gold), encoding="utf-8")
    return out, doc


def test_report_page_renders_text_table_and_svg(browser, report_page):
    page, doc = report_page
    browser.events.clear()
    browser.open(page)
    state = browser.js("JSON.stringify(window.doselineReview)")
    assert json.loads(state)["ready"] is True
    assert browser.js("document.querySelectorAll('#text mark.e').length") >= len(doc["entities"])
    assert browser.js("document.querySelectorAll('table.rec tbody tr').length") == len(doc["records"])
    assert browser.js("document.querySelectorAll('svg.tl').length") >= 2
    assert browser.js("document.querySelectorAll('svg.tl .mk').length") > 50
    assert browser.js("document.querySelectorAll('svg.tl .mk.derived').length") >= 3  # May 27 2021 (day -4)
    assert browser.js("document.getElementById('text').getBoundingClientRect().height") > 100
    assert "entities strict" in browser.js("document.getElementById('scores').textContent")
    assert browser.errors() == []


def test_click_entity_highlights_its_record(browser, report_page):
    page, doc = report_page
    browser.open(page)
    rec = next(r for r in doc["records"] if r.get("dose"))
    browser.click(f'mark[data-e~="{rec["dose"]}"]')
    lit = browser.js("Array.from(document.querySelectorAll('table.rec tr.hl')).map(function(t){"
                     "return window.getComputedStyle(t.cells[0]).backgroundColor + '|' + t.cells[0].textContent})")
    assert any(x.endswith("|" + rec["id"]) for x in lit)
    assert all(x.split("|")[0] == "rgb(255, 245, 157)" for x in lit)  # the highlight colour is drawn
    assert browser.js("document.querySelectorAll('#text mark.sel').length") >= 2  # drug and dose of the record
    assert rec["id"] in browser.js("document.getElementById('sel').textContent")
    # and back: a row's drug link scrolls to the text and selects the record's entities
    browser.click("table.rec tbody tr a.go")
    assert browser.js("document.querySelectorAll('table.rec tr.hl').length") == 1
    assert browser.errors() == []


def test_filter_hides_rows(browser, report_page):
    page, doc = report_page
    browser.open(page)
    browser.type_text("#filter", "fludarabine")
    rows = browser.js("Array.from(document.querySelectorAll('table.rec tbody tr')).filter(function(t){"
                      "return t.offsetParent !== null}).map(function(t){return t.textContent.toLowerCase()})")
    visible = len(rows)
    assert 0 < visible < len(doc["records"]) and all("fludarabine" in r for r in rows)
    assert browser.js("document.getElementById('shown').textContent").startswith(f"{visible} of ")
    browser.js("var f=document.getElementById('filter'); f.value=''; f.dispatchEvent(new Event('input'))")
    assert browser.js("document.querySelectorAll('table.rec tbody tr:not([hidden])').length") == len(doc["records"])
    assert browser.errors() == []


def test_sort_by_column(browser, report_page):
    page, _ = report_page
    browser.open(page)
    browser.click("table.rec th:nth-child(2)")
    names = browser.js("Array.from(document.querySelector('table.rec').tBodies[0].rows).map(function(r){"
                       "return r.cells[1].textContent.toLowerCase()})")
    assert names == sorted(names)


def test_hostile_document_runs_no_script(browser, tmp_path):
    from tests.review.test_page import _doc
    evil = "x <script>window.pwned=1</script><img src=x onerror='window.pwned=2'> drug"
    e = {"id": "T1", "type": "DRUG", "start": evil.index("drug"), "end": len(evil), "text": "drug", "norm": "</script>"}
    page = tmp_path / "evil.html"
    page.write_text(render(_doc(evil, [e])), encoding="utf-8")
    browser.events.clear()
    browser.open(page)
    assert browser.js("typeof window.pwned") == "undefined"
    assert "<script>window.pwned=1</script>" in browser.js("document.getElementById('text').textContent")
    assert browser.errors() == []


def test_long_pdf_page_opens_fast(browser, shared, tmp_path):
    """The one timing assertion the issue asks for: a 30+ page PDF's page opens in under 2 s
    (measured ~0.2-0.4 s on the shared 2-core machine; load event and script done)."""
    from pipeline.datasets.export import to_dict
    from pipeline.run import run_path
    pdf = next(p for p in sorted((shared / "pdfs").glob("*.pdf")) if "provisional" in p.name)
    doc = to_dict(run_path(pdf))
    assert doc["source"]["pages"] >= 30
    page = tmp_path / "long.html"
    page.write_text(render(doc), encoding="utf-8")
    browser.open(page)  # warm: the first navigation of a browser pays for its own start-up
    browser.events.clear()
    seconds = browser.open(page)
    assert browser.js("window.doselineReview.ready") is True
    assert seconds < 2.0, f"{seconds:.2f} s"
    assert browser.js("document.getElementsByTagName('*').length") < 20000  # a light DOM
    assert browser.js("document.querySelectorAll('#text .pg').length") >= 5  # page markers (where entities are)
    assert browser.errors() == []


def test_screenshot_is_a_png(browser, report_page, tmp_path):
    """``make screenshot`` runs this test with DOSELINE_SCREENSHOT=docs/review.png (the README picture:
    the report's page with its gold, a dose clicked); otherwise the PNG goes to a temporary folder."""
    import os
    page, _ = report_page
    out = Path(os.environ.get("DOSELINE_SCREENSHOT") or tmp_path / "shot.png")
    with Chromium(width=1600, height=1500) as b:
        b.open(page)
        b.click("mark.t-DOSE")
        b.js("window.scrollTo(0, 0)")
        b.screenshot(out)
        assert b.errors() == []
    head = out.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1600, 1500)
