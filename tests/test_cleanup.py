"""Cleanup stage: word repairs, reflow of raw extracted text, floats, sections, provenance."""
from __future__ import annotations

import re

import pytest

from pipeline.cleanup.repair import cleanup
from pipeline.document import Document
from pipeline.ingest.read import read_text
from pipeline.cleanup.sections import build_sections, parse_glossary
from pipeline.cleanup.chars import char_edits as unicode_edits
from pipeline.cleanup.hyphens import dehyphenate
from pipeline.cleanup.words import Vocab, glued_word_edits, segment_glued, split_word_edits, superscript_edits

from .conftest import SHARED


def apply(text, edits):
    d = Document(raw=text)
    d.replace(edits)
    return d.text


# ---------------------------------------------------------------------------------------------
# split words
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("src,want", [
    ("peaked (Figure 4D), l ikely associated with CRS.", "peaked (Figure 4D), likely associated with CRS."),
    ("with CRS. Neutrophi l counts exceeded", "with CRS. Neutrophil counts exceeded"),
    ("consistent wi th revers ib l e pos ter ior encepha lopathy syndrome",
     "consistent with reversible posterior encephalopathy syndrome"),
])
def test_split_words_joined(src, want):
    assert apply(src, split_word_edits(src)) == want


@pytest.mark.parametrize("src", [
    "look a t this",  # "a t" stays: both could be words, and the join is too short
    "an a cute angle", "it may be in to the vein", "every 6 h on days 8 to 9",
    "CAR T cells and T cell lines", "vitamin D was given", "non invasive hyper tension",
    "the a priori risk", "NS7CAR T cells",
])
def test_real_words_not_glued(src):
    assert split_word_edits(src) == []


def test_split_word_uses_document_vocabulary():
    text = "The drug tocili zumab was given. Later tocilizumab was stopped."
    out = apply(text, split_word_edits(text, Vocab(text)))
    assert "tocilizumab was given" in out


# ---------------------------------------------------------------------------------------------
# glued words
# ---------------------------------------------------------------------------------------------
def test_glued_words_split_only_when_clear():
    assert segment_glued("startedatadoseof") == ["started", "at", "a", "dose", "of"]
    for tok in ("vinodixin", "pegaspargase", "haploidentical", "postdischarge", "gastrointest",
                "whichwasgivenorally", "immunophenotypically"):
        assert segment_glued(tok) is None, tok
    url = "see creativecommons.org/publicdomain/zero and thepatientwasgiven it"
    assert apply(url, glued_word_edits(url)) == "see creativecommons.org/publicdomain/zero and the patient was given it"


# ---------------------------------------------------------------------------------------------
# line-end hyphens
# ---------------------------------------------------------------------------------------------
def test_dehyphenate_real_and_typeset_hyphens():
    v = Vocab("the treatment of T-cell leukemia")
    assert dehyphenate("the treat", "ment of", v)
    for left, right in [("CAR T", "cell therapy"), ("Anti", "thymocyte globulin"),
                        ("transplant", "associated"), ("high", "risk patients"), ("IL", "18"),
                        ("decision", "making"), ("graft-versus", "host")]:
        assert not dehyphenate(left, right, v), (left, right)
    v2 = Vocab("a well-known drug")
    assert not dehyphenate("well", "known", v2)  # the document writes the compound


# ---------------------------------------------------------------------------------------------
# lost superscripts
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("src,want", [
    ("WBC 84.82 × 109/L;", "WBC 84.82 × 10^9/L;"),
    ("a dose of 1 × 106 cells/kg.", "a dose of 1 × 10^6 cells/kg."),
    ("was 1.61 × 104/L. New", "was 1.61 × 10^4/L. New"),
    ("at 5.19 × 105 copies/mL and 2.76 × 10³ copies/mL", "at 5.19 × 10^5 copies/mL and 2.76 × 10^3 copies/mL"),
    ("count 3 x 1012/L", "count 3 x 10^12/L"),
    ("plt 38 × 10 9 /L", "plt 38 × 10^9/L"),
])
def test_superscripts_in_scientific_notation(src, want):
    assert apply(src, superscript_edits(src)) == want


@pytest.mark.parametrize("src", [
    "diarrhea (up to 2010 g/day)", "rituximab 375 mg/m² weekly", "magnified × 100 cells",
    "5 × 100 cells", "in 109 patients/L", "CD5^dim and CD3+ cells", "dose 10 mg/kg",
    "3 × 10 days",
])
def test_superscripts_only_in_context(src):
    assert superscript_edits(src) == []


# ---------------------------------------------------------------------------------------------
# unicode
# ---------------------------------------------------------------------------------------------
def test_unicode_safe_normalisation():
    src = "ﬁrst ﬂuid 10 \U0001d707g/kg, 5 μg, m² and 10³, µL, −4, 1–2, a\u00adb"
    out = apply(src, unicode_edits(src))
    assert out == "first fluid 10 µg/kg, 5 µg, m² and 10³, µL, −4, 1–2, ab"


# ---------------------------------------------------------------------------------------------
# the text path: reflow, headers, front matter, floats, sections
# ---------------------------------------------------------------------------------------------
RAW = """ Case report: Fludarabine-induced
somnolence in a patient
Anna Smith, Bo Chen and Carl Meyer*

Department of Hematology, University Hospital (Central
Campus), Springfield, USA
We report a patient who developed somnolence after the start of

fludarabine for refractory lymphoma, which resolved once the drug

was stopped and did not come back on rechallenge with a lower dose.
KEYWORDS
 Introduction

Fludarabine is a purine analogue widely used in the treatment of

chronic lymphocytic leukemia and of several other lymphoid tumors

and its neurotoxicity is well described at high doses (1, 2).

Case presentation

A 61-year-old man with refractory lymphoma started treatment in

March 2020. Blood
Abbreviations: WBC, white blood cell count; CR, complete remission.
 routine examination showed a WBC of 12.5 × 109/L and platelets of

98 × 109/L. He received fludarabine 25 mg/m² on days 1 to 3 in

combination with cyclophosphamide and the first cycle was without

any problem. After the second cycle he became drowsy and the
Journal of Case Reports 03
drug was stopped. The somnolence l ikely reflected the drug, as it

resolved within 48 hours of the last anti-

CD20 dose in that cycle.
FIGURE 1

Timeline of the treatment of the patient. WBC, white blood cell count.
 Complete remission was documented after four cycles of therapy.
Journal of Case Reports 04
Discussion

Neurotoxicity of purine analogues is dose dependent and rare at the

doses used today, which makes this observation noteworthy for the

clinicians who treat such patients in daily practice.
"""


@pytest.fixture(scope="module")
def doc():
    return cleanup(read_text(RAW, "case.txt"))


def test_text_path_output(doc):
    paras = doc.text.split("\n\n")
    assert paras[0] == "Case report: Fludarabine-induced somnolence in a patient"
    assert paras[1].startswith("We report a patient who developed somnolence after the start of fludarabine")
    assert paras[2] == "Introduction"
    assert paras[3].endswith("at high doses (1, 2).")
    assert paras[4] == "Case presentation"
    body = paras[5]
    assert "March 2020. Blood routine examination showed a WBC of 12.5 × 10^9/L and platelets of 98 × 10^9/L." in body
    assert "the drug was stopped. The somnolence likely reflected" in body
    assert "last anti-CD20 dose" in body and body.endswith("in that cycle.")
    assert paras[6] == "Abbreviations: WBC, white blood cell count; CR, complete remission."
    assert paras[7] == "FIGURE 1"
    assert paras[8] == "Timeline of the treatment of the patient. WBC, white blood cell count."
    assert paras[9] == "Complete remission was documented after four cycles of therapy."
    assert paras[10] == "Discussion"
    assert doc.text.endswith("daily practice.\n")
    for gone in ("Journal of Case Reports", "KEYWORDS", "Anna Smith", "Department", "Campus"):
        assert gone not in doc.text


def test_text_path_metadata_sections_abbreviations(doc):
    assert doc.metadata["title"] == "Case report: Fludarabine-induced somnolence in a patient"
    assert doc.metadata["authors"] == ["Anna Smith", "Bo Chen", "Carl Meyer"]
    titles = [(s["title"], s["case"]) for s in doc.sections]
    assert titles == [("Abstract", None), ("Introduction", None), ("Case presentation", "1"),
                      ("Discussion", None)]
    for s in doc.sections:
        assert doc.text[s["start"]:s["end"]].strip() == doc.text[s["start"]:s["end"]]
    assert doc.abbreviations == [{"short": "WBC", "long": "white blood cell count"},
                                 {"short": "CR", "long": "complete remission"}]
    kinds = {b["kind"]: doc.text[b["start"]:b["end"]] for b in doc.blocks}
    assert kinds["glossary"].startswith("Abbreviations: WBC") and kinds["glossary"].endswith("remission.")
    assert kinds["caption"].startswith("Timeline") and kinds["caption_label"] == "FIGURE 1"


def test_text_path_repairs_logged(doc):
    kinds = {r["kind"] for r in doc.repairs}
    assert {"reflow", "header", "front_matter", "move_caption", "move_footnote", "superscript",
            "split_word"} <= kinds
    for r in doc.repairs:
        assert set(r) >= {"kind", "source_start", "source_end", "before", "after"}
        if r["kind"] in ("header", "front_matter", "split_word", "superscript"):
            assert RAW[r["source_start"]:r["source_end"]] == r["before"]


def test_provenance_maps_back_to_raw(doc):
    for needle in ("routine examination", "Timeline of the treatment", "Abbreviations: WBC",
                   "Complete remission was", "daily practice."):
        i = doc.text.index(needle)
        s, e = doc.source_span(i, i + len(needle))
        assert RAW[s:e] == needle
    # every character either comes from raw unchanged or was written by a logged repair
    afters = "".join(r["after"] for r in doc.repairs) + "\n "
    for i, ch in enumerate(doc.text):
        if RAW[doc.offsets[i]] != ch:
            assert ch in afters, (i, ch)


def test_multi_case_sections():
    text = "T\n\nCase presentation\n\nCase 1\n\nx.\n\nTreatment\n\ny.\n\nPatient 2\n\nz.\n\nDiscussion\n\nw."
    heads = [(m.start(), m.end()) for m in re.finditer(r"(?m)^(Case presentation|Case 1|Treatment|Patient 2|Discussion)$", text)]
    secs = build_sections(text, heads)
    assert [(s["title"], s["case"]) for s in secs] == [
        ("Case presentation", None), ("Case 1", "1"), ("Treatment", "1"), ("Patient 2", "2"),
        ("Discussion", None)]


def test_glossary_parse():
    g = parse_glossary("Abbreviations: ALL, Acute lymphoblastic leukemia; CAR T, Chimeric antigen "
                       "receptor T cells; CRMRD-, Complete remission with MRD negativity.")
    assert [x["short"] for x in g] == ["ALL", "CAR T", "CRMRD-"]


def test_clean_text_is_not_reflowed():
    text = ("Probable drug-induced thrombocytopenia\n\nWe present a case of thrombocytopenia after "
            "levofloxacin in a patient, and review the literature about it.\n\n1. Case\n\n"
            "An 83-year-old man received 400 mg of ciprofloxacin twice daily. The count was "
            "128.0 × 10^9/L.\n\n2. Discussion\n\nThis is a rare event.\n")
    d = cleanup(read_text(text))
    assert d.text == text
    assert [(s["title"], s["case"]) for s in d.sections] == [
        ("Abstract", None), ("1. Case", "1"), ("2. Discussion", None)]


def test_pdf_path_keeps_paragraphs_and_maps_reader_blocks():
    raw = ("A title of the article\n\nFirst paragraph with Neutrophi l counts of 0.5 × 109/L.\n\n"
           "2. Case Report\n\nSecond paragraph.")
    h = raw.index("2. Case Report")
    d = Document(raw=raw, source={"format": "pdf"},
                 blocks=[{"kind": "heading", "raw_start": h, "raw_end": h + len("2. Case Report")}])
    d = cleanup(d)
    assert d.text == ("A title of the article\n\nFirst paragraph with Neutrophil counts of "
                      "0.5 × 10^9/L.\n\n2. Case Report\n\nSecond paragraph.\n")
    head = [b for b in d.blocks if b["kind"] == "heading"][0]
    assert d.text[head["start"]:head["end"]] == "2. Case Report"
    assert [(s["title"], s["case"]) for s in d.sections][-1] == ("2. Case Report", "1")


# ---------------------------------------------------------------------------------------------
# the bundled report against its gold clean text; the shared PDFs are not damaged
# ---------------------------------------------------------------------------------------------
def test_report_cer_against_gold(report_gold_dir):
    from pipeline.evaluate.score import char_error
    from pipeline.ingest.read import ingest
    src = report_gold_dir / "source.txt"
    if not src.exists():
        src = SHARED / "reports" / "fonc-2026-cd7-cart.txt"
    ref = (report_gold_dir / "clean.txt").read_text(encoding="utf-8")
    d = cleanup(ingest(src))
    rep = char_error(d.text, ref)
    # measured 0.0163 (0.0017 within blocks): one caption placed a paragraph late and three
    # paragraph breaks the gold decided by topic
    assert rep["cer"] < 0.02, rep
    assert rep["cer_within_blocks"] < 0.004, rep
    for needle in ("Blood routine examination revealed", "likely associated", "Neutrophil counts",
                   "with reversible posterior encephalopathy", "× 10^9/L", "1 × 10^6 cells/kg",
                   "1.61 × 10^4/L", "2.76 × 10^3 copies/mL", "mg/m²", "CD5^dim", "Anti-thymocyte",
                   "relapsed/refractory"):
        assert needle in d.text, needle
    assert "Frontiers in Oncology" not in d.text and "KEYWORDS" not in d.text
    assert [s["case"] for s in d.sections if s["title"].startswith("Case ")] == [None, "1", "2"]
    assert len(d.abbreviations) == 33


def test_shared_pdfs_not_damaged(shared):
    from pipeline.evaluate.score import char_error
    from pipeline.ingest.read import ingest
    gold_dir = shared / "pdfs" / "gold"
    for ref_path in sorted(gold_dir.glob("*.txt")):
        pdf = shared / "pdfs" / (ref_path.stem + ".pdf")
        d = ingest(pdf)
        before = char_error(d.text, ref_path.read_text(encoding="utf-8"))["cer"]
        after = char_error(cleanup(d).text, ref_path.read_text(encoding="utf-8"))["cer"]
        assert after <= before + 0.0005, (pdf.name, before, after)


@pytest.mark.parametrize("text", [
    "x", "Case report", "A.\n\nB.", "FIGURE 1", "Abbreviations: A, b.", "\n\n  Introduction  \n",
    "Title\nAnna Smith, Bo Chen\n", "KEYWORDS\nlymphoma; fludarabine",
    "\n".join(["a line of wrapped text that goes on and on without an end"] * 8),
    "FIGURE 1\n\n" + "\n".join(["caption text that wraps over several lines of the page"] * 6),
    "Journal 3\nText of the page one.\nJournal 4\nText of the page two.\nJournal 5\n",
])
def test_small_and_odd_inputs_do_not_break(text):
    for fmt in ("text", "pdf"):
        d = Document(raw=text, source={"format": fmt})
        d = cleanup(d)
        assert len(d.offsets) == len(d.text)
        assert all(0 <= o <= len(text) for o in d.offsets)
        for s in d.sections:
            assert 0 <= s["start"] <= s["end"] <= len(d.text)
        for b in d.blocks:
            if b.get("start") is not None:
                assert 0 <= b["start"] < b["end"] <= len(d.text)


def test_text_path_back_matter_out_of_text():
    raw = RAW + ("\nReferences\n\n1. Smith A, Chen B. Fludarabine neurotoxicity. Blood. 2001;\n\n"
                 "97:1-2.\n\n2. Meyer C. Purine analogues. Lancet. 2003;361:3-4.\n")
    raw = raw.replace("KEYWORDS\n", "KEYWORDS\n*Correspondence: Carl Meyer, carl@example.org\n")
    d = cleanup(read_text(raw))
    assert "Smith A" not in d.text and "carl@example.org" not in d.text
    assert d.text.endswith("daily practice.\n")
    kinds = [b["kind"] for b in d.back_matter]
    assert "references" in kinds and "correspondence" in kinds


def test_text_path_on_other_extractions(shared):
    """The text path on pdfminer's plain extraction of the gold PDFs (another layout, single
    newlines, page furniture, references): cleanup must bring it much closer to the reference."""
    from pdfminer.high_level import extract_text
    from pipeline.evaluate.score import char_error
    for ref_path in sorted((shared / "pdfs" / "gold").glob("*.txt")):
        raw = extract_text(str(shared / "pdfs" / (ref_path.stem + ".pdf")))
        ref = ref_path.read_text(encoding="utf-8")
        d = cleanup(read_text(raw))
        before, after = char_error(raw, ref)["cer"], char_error(d.text, ref)["cer"]
        # measured: 0.39 -> 0.25, 0.51 -> 0.14, 1.02 -> 0.29 (the rest is pdfminer's lost
        # superscripts and chart text, which the text alone cannot restore)
        assert after < 0.35 and after < before - 0.1, (ref_path.name, before, after)
