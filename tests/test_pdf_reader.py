"""The layout-aware PDF reader: reading order, superscripts, spacing, furniture removal, errors.

Always-run tests use PDFs drawn here with reportlab (tests/pdf_fixtures.py); the tests on the
journal PDFs in ../shared/pdfs skip when that folder is absent."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pipeline.errors import InputError
from pipeline.ingest.pdf_reader import read_pdf

from .conftest import ROOT
from .pdf_fixtures import image_only_pdf, single_column_pdf, two_column_pdf


def _read(tmp_path, data: bytes, name="x.pdf"):
    p = tmp_path / name
    p.write_bytes(data)
    return read_pdf(p, data)


@pytest.fixture(scope="module")
def fixture_doc(tmp_path_factory):
    d = tmp_path_factory.mktemp("pdf")
    data = two_column_pdf()
    p = d / "two_column.pdf"
    p.write_bytes(data)
    return read_pdf(p, data)


# ---------------------------------------------------------------------------------------------
# generated two-column report
# ---------------------------------------------------------------------------------------------
def test_title_first_then_abstract(fixture_doc):
    raw = fixture_doc.raw
    assert raw.startswith("Mobilization with Cyclophosphamide and G-CSF in a Patient with Severe Neutropenia\n\n")
    assert "\n\nWe report a patient with neutropenia" in raw
    assert "in this setting.\n\n1. Case Presentation\n\n" in raw  # last abstract line not in a column
    assert fixture_doc.metadata["title"].startswith("Mobilization with Cyclophosphamide")
    assert fixture_doc.metadata["doi"] == "10.1155/2016/123456"
    assert fixture_doc.metadata["year"] == 2016


def test_reading_order_left_column_before_right(fixture_doc):
    raw = fixture_doc.raw
    left = raw.index("A 45-year-old woman was admitted with fever and neutropenia.")
    left_end = raw.index("within the next two weeks without adverse events.")
    right = raw.index("She was discharged on day 21 in good condition and remained in remission")
    assert left < left_end < right
    # lines of the two columns are never interleaved
    assert "admitted with fever and neutropenia. The white cell count" in raw
    assert "fever and She was" not in raw


def test_superscripts_units_and_spacing(fixture_doc):
    raw = fixture_doc.raw
    assert "0.8 × 10^9/L on admission" in raw
    assert "150 × 10^9/L within" in raw
    assert "cyclophosphamide 4 g/m² on day 1" in raw
    assert "10 µg/kg of filgrastim" in raw
    assert "started at a dose of 3 mg/kg daily" in raw  # words drawn without space glyphs
    assert not re.search(r"[a-z]{25,}", raw)


def test_dehyphenation_keeps_real_hyphens(fixture_doc):
    raw = fixture_doc.raw
    assert "colony stimulating factor" in raw  # "stim-" + "ulating"
    assert "Further treatment was" in raw
    assert "(G-CSF) daily" in raw  # "(G-" + "CSF)": a real hyphen
    from pipeline.cleanup.hyphens import dehyphenate
    from pipeline.cleanup.words import Vocab
    v = Vocab("")
    assert not dehyphenate("T", "cell", v) and not dehyphenate("anti", "CD7", v)
    assert not dehyphenate("follow", "up", v) and not dehyphenate("ganciclovir", "related", v)
    assert dehyphenate("throm", "bocytopenia", v) and dehyphenate("treat", "ment", v)
    assert dehyphenate("under", "going", v) and dehyphenate("pati", "ents", v)
    assert not dehyphenate("dose", "finding", Vocab("a dose-finding study"))  # the document's own spelling


def test_running_header_page_numbers_chart_text_removed(fixture_doc):
    raw = fixture_doc.raw
    assert "Case Reports in Testing" not in raw
    assert "Volume 2016" not in raw and "doi.org" not in raw
    assert "Case Report\n" not in raw  # article-type label
    assert not re.search(r"(^|\n)\d+(\n|$)", raw)  # no lone page numbers
    assert "Day 10" not in raw and "Day 1\n" not in raw  # labels drawn inside the chart


def test_caption_block_and_provenance(fixture_doc):
    doc = fixture_doc
    caps = [b for b in doc.blocks if b["kind"] == "caption"]
    assert len(caps) == 1
    cap = doc.raw[caps[0]["raw_start"]:caps[0]["raw_end"]]
    assert cap == "Figure 1: Neutrophil count of the patient during the treatment with cyclophosphamide and G-CSF."
    heads = [doc.raw[b["raw_start"]:b["raw_end"]] for b in doc.blocks if b["kind"] == "heading"]
    assert "1. Case Presentation" in heads and "2. Discussion" in heads
    assert len(doc.boxes) == len(doc.raw)
    i = doc.raw.index("10^9/L")
    page, box = doc.page_bbox(i, i + 6)
    assert page == 1 and box[0] < box[2] and box[1] < box[3]
    assert doc.boxes[doc.raw.index("^")] is None  # inserted marker has no glyph


def test_single_column_line_numbers_table_footnote(tmp_path):
    doc = _read(tmp_path, single_column_pdf(), "single.pdf")
    raw = doc.raw
    assert raw.startswith("Stem Cell Mobilization after Salvage Chemotherapy\n\n1. Case Presentation\n\n")
    # ragged-right lines joined into one paragraph line, manuscript line numbers gone
    assert ("until the neutrophil count exceeded 1.0 × 10^9/L on two consecutive days. Apheresis started "
            "on day 11 and yielded enough CD34^+ cells for one autologous transplant.\n\n") in raw
    assert not re.search(r"(^|\s)(1[0-9]|[2-9])\s+(A|The|Mobilization)\b", raw)
    # table rows with cells, after its caption
    assert ("Table 1: Drugs given for mobilization.\n\nDrug | Dose | Days\nCyclophosphamide | 2 g/m² | 1\n"
            "Etoposide | 100 mg/m² | 1–3\nFilgrastim | 10 µg/kg | 6–11") in raw
    assert {b["kind"] for b in doc.blocks} >= {"heading", "caption", "table", "footnote"}
    # footnotes out of the running text; the correspondence line goes to back matter
    assert raw.rstrip().endswith("Abbreviations: G-CSF, granulocyte colony-stimulating factor.")
    assert "Corresponding author" not in raw
    assert [b["kind"] for b in doc.back_matter] == ["correspondence"]


# ---------------------------------------------------------------------------------------------
# unreadable inputs: one line on stderr, non-zero exit
# ---------------------------------------------------------------------------------------------
def _cli_error(tmp_path, data: bytes, name="bad.pdf"):
    f = tmp_path / name
    f.write_bytes(data)
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(f), "-o", str(tmp_path / "out.json")],
                       capture_output=True, text=True, cwd=ROOT)
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert r.returncode != 0
    assert len(lines) == 1, r.stderr
    assert not (tmp_path / "out.json").exists()
    return lines[0]


def test_cli_extract_generated_pdf(tmp_path):
    import json
    f = tmp_path / "report.pdf"
    f.write_bytes(two_column_pdf())
    out = tmp_path / "report.json"
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(f), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["source"]["format"] == "pdf"
    assert "10^9/L" in doc["text"] and "Case Reports in Testing" not in doc["text"]
    assert doc["metadata"]["doi"] == "10.1155/2016/123456"


@pytest.mark.parametrize("kind,needle", [
    ("encrypted", "encrypted"),
    ("truncated", "corrupt"),
    ("image", "no text layer"),
    ("empty", "empty"),
    ("notpdf", "not a PDF"),
])
def test_bad_pdfs_fail_with_one_line(tmp_path, kind, needle):
    good = two_column_pdf()
    data, name = {
        "encrypted": (two_column_pdf(encrypt="secret"), "enc.pdf"),
        "truncated": (good[: len(good) // 2], "trunc.pdf"),
        "image": (image_only_pdf(), "scan.pdf"),
        "empty": (b"", "empty.pdf"),
        "notpdf": (b"<html>not a pdf</html>\n", "page.pdf"),
    }[kind]
    line = _cli_error(tmp_path, data, name)
    assert needle in line, line


def test_read_pdf_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="no text layer"):
        _read(tmp_path, image_only_pdf())
    with pytest.raises(InputError, match="encrypted"):
        _read(tmp_path, two_column_pdf(encrypt="secret"), "e.pdf")
    p = tmp_path / "big.pdf"
    data = two_column_pdf()
    p.write_bytes(data)
    with pytest.raises(InputError, match="page limit|exceeds"):
        read_pdf(p, data, max_pages=1)


# ---------------------------------------------------------------------------------------------
# journal PDFs in ../shared (skipped without it)
# ---------------------------------------------------------------------------------------------
DOIS = {
    "BMCCancer": "10.1186/s12885-016-2685-3",
    "Hindawi_CRHem": "10.1155/2016/6545861",
    "Hindawi_CRMed": "10.1155/2016/2860645",
    "Hindawi_CRTransplant": "10.1155/2016/4560745",
    "Hindawi_StemCellsInt": "10.1155/2016/4078215",
    "Trials": "10.1186/1745-6215-15-486",
}
# measured: 0.0000 on all three (issue target 0.03); a little room for layout-neutral changes
CER_MAX = {"Hindawi_CRMed": 0.003, "Hindawi_CRTransplant": 0.003, "Hindawi_StemCellsInt": 0.003}


@pytest.fixture(scope="module")
def shared_docs(shared):
    docs = {}
    for f in sorted((shared / "pdfs").glob("*.pdf")):
        docs[f.stem] = read_pdf(f, f.read_bytes())
    return docs


def _key(stem, table):
    return next((k for k in table if stem.startswith(k + "_") or stem.startswith(k)), None)


def test_shared_cer_against_gold(shared, shared_docs):
    from pipeline.evaluate.score import char_error
    golds = sorted((shared / "pdfs" / "gold").glob("*.txt"))
    assert golds
    for g in golds:
        doc = shared_docs[g.stem]
        rep = char_error(doc.raw, g.read_text(encoding="utf-8"))
        assert rep["cer"] <= CER_MAX[_key(g.stem, CER_MAX)], (g.stem, rep)
        assert rep["extra_blocks"] == 0 and rep["missing_blocks"] == 0, (g.stem, rep)
        # every reference paragraph is found whole: no interleaved columns
        paras = [p for p in g.read_text(encoding="utf-8").split("\n\n") if len(p) > 200 and "|" not in p]
        found = sum(p in doc.raw for p in paras)
        assert found >= 0.9 * len(paras), (g.stem, found, len(paras))


def _glued_and_split(text: str):
    from pipeline.evaluate.score import text_defects
    d = text_defects(text)
    return d["glued"], d["split"]


def test_shared_no_glued_or_split_tokens(shared_docs):
    assert len(shared_docs) >= 6
    for stem, doc in shared_docs.items():
        glued, split = _glued_and_split(doc.raw)
        assert glued == [], (stem, glued[:5])
        assert split == [], (stem, split[:10])
        assert len(doc.raw) > 5000, stem


def test_shared_metadata_and_back_matter(shared_docs):
    for stem, doc in shared_docs.items():
        assert doc.metadata["doi"] == DOIS[_key(stem, DOIS)], stem
        assert doc.metadata["title"], stem
        kinds = {b["kind"] for b in doc.back_matter}
        assert "references" in kinds, stem
        assert "References" not in doc.raw.split("\n"), stem
        assert len(doc.boxes) == len(doc.raw)


def test_shared_furniture_removed(shared_docs):
    for stem, doc in shared_docs.items():
        raw = doc.raw
        assert "Hindawi Publishing Corporation" not in raw, stem
        assert "Creative Commons" not in raw, stem
        assert not re.search(r"(^|\n)(Received|Accepted|Academic Editor|Correspondence)\b", raw), stem
        if stem.startswith("Hindawi"):
            assert not re.search(r"\n\d+ Case Reports in|Stem Cells International\n", raw), stem
