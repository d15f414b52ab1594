"""Columns per region and reading order by sentence continuity (pipeline.ingest.columns), on
PDFs drawn in code: the layouts of issue 14 (two regions with different gutters on one page, a
single-column page in a two-column paper, a full-width float the columns flow around, a
full-width heading that really cuts the page) with positive and negative cases."""
from __future__ import annotations

import io

from pipeline.ingest.columns import continuity
from pipeline.ingest.lines import Glyph, Line

from ..pdf_fixtures import _draw_line

W, H = 600.0, 800.0


def _pdf(pages) -> bytes:
    """``pages``: lists of (x, y, text, size, font, width) drawn justified to ``width``."""
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H))
    for items in pages:
        for x, y, text, size, font, width in items:
            _draw_line(c, x, y, text, size=size, font=font, justify=width is not None, width=width or 0)
        c.showPage()
    c.save()
    return buf.getvalue()


def _column(x, y, lines, width, size=10, font="Times-Roman", lead=12):
    """Lines of one column; the last line of each paragraph (ending with '.') is not justified."""
    out = []
    for t in lines:
        out.append((x, y, t, size, font, None if t.endswith(".") else width))
        y -= lead
    return out, y


TITLE_PAGE = [(50, 720, "A Case Report Drawn in Code for the Layout Tests", 18, "Times-Bold", None)] + [
    (50, 680 - 12 * i, t, 10, "Times-Roman", 500 if not t.endswith(".") else None) for i, t in enumerate(
        ["Abstract the patient in this report is made up, and so is every sentence of it, so that the layout",
         "of the following page can be tested on its own without the front matter of the first page."])]


def _read(tmp_path, data, name="t.pdf"):
    from pipeline.ingest.pdf_reader import read_pdf
    p = tmp_path / name
    p.write_bytes(data)
    return read_pdf(p, data)


def _order(raw, *needles):
    pos = [raw.find(n) for n in needles]
    assert all(p >= 0 for p in pos), [n for n, p in zip(needles, pos) if p < 0]
    return pos == sorted(pos)


TOP_L = ["Alpha one the patient was admitted to our ward with a", "high fever and a cough that had lasted for about two",
         "weeks before the admission and did not respond to the", "antibiotics that her general practitioner prescribed.",
         "Alpha two the chest radiograph showed an infiltrate in", "the right lower lobe and the blood cultures were taken",
         "before the first dose of ceftriaxone was given to her."]
TOP_R = ["Bravo one she improved within three days of treatment", "with ceftriaxone and azithromycin and was switched to",
         "oral amoxicillin on the fifth day of her stay in the", "hospital without any further complication to report.",
         "Bravo two the follow-up radiograph six weeks later was", "normal and she had returned to her usual activities",
         "without any limitation at the last clinic follow-up."]
BOT_L = ["Charlie one the narrow column holds the", "case timeline of the treatment given to", "the patient on each day of her admission",
         "to the ward of the district hospital."]
BOT_R = ["Delta one the wide column on the right discusses the", "choice of the antibiotic regimen for pneumonia in",
         "adults and the evidence for switching to oral treatment", "early when the patient is stable and able to take",
         "tablets, as recommended by the national guidelines."]


def test_two_regions_with_different_gutters(tmp_path):
    """Top: columns split at x = 300; bottom: a narrow left column split at x = 230. One page
    gutter cannot hold both; each band finds its own."""
    items, y = _column(50, 700, TOP_L, 240)
    r, _ = _column(310, 700, TOP_R, 240)
    items += r
    bl, _ = _column(50, y - 30, BOT_L, 170)
    br, _ = _column(240, y - 30, BOT_R, 310)
    doc = _read(tmp_path, _pdf([TITLE_PAGE, items + bl + br]))
    raw = doc.raw
    assert _order(raw, "Alpha one", "Alpha two", "Bravo one", "Bravo two", "Charlie one", "Delta one")
    assert "narrow column holds the case timeline of the treatment" in raw  # read whole
    assert "discusses the choice of the antibiotic regimen" in raw
    assert doc.layout["regions"][1].count("2") >= 2


def test_single_column_page_in_a_two_column_paper(tmp_path):
    p1, _ = _column(50, 700, TOP_L, 240)
    r, _ = _column(310, 700, TOP_R, 240)
    one = [(50, 700 - 14 * i, t, 10, "Times-Roman", 500 if not t.endswith(".") else None) for i, t in enumerate(
        ["Echo one this page is set in a single wide column across the whole page, as a journal does",
         "for a long table note or an appendix, and its lines must be read from top to bottom without",
         "looking for a gutter in the middle of the page, since there is none on this page at all.",
         "Echo two a second paragraph follows in the same single column and ends the article here."])]
    doc = _read(tmp_path, _pdf([p1 + r, one]))
    assert doc.layout["columns"] == [2, 1]
    assert "across the whole page, as a journal does for a long table note" in doc.raw
    assert _order(doc.raw, "Bravo two", "Echo one", "Echo two")


FLOW_L1 = ["Foxtrot the patient received induction therapy with", "daunorubicin and cytarabine, and on day 8 she was given"]
FLOW_L2 = ["intrathecal methotrexate 12 mg because of blasts in the", "cerebrospinal fluid, which cleared after two doses."]
FLOW_R1 = ["A bone marrow examination on day 28 showed complete", "remission with incomplete count recovery, and then"]
FLOW_R2 = ["she went on to consolidation with high-dose cytarabine", "before an allogeneic transplant from her sister."]


def _flow_page(middle):
    items, _ = _column(50, 700, FLOW_L1, 240)
    items += _column(310, 700, FLOW_R1, 240)[0]
    items += [(50, 640, middle, 10, "Times-Bold", None)]
    items += _column(50, 600, FLOW_L2, 240)[0]
    items += _column(310, 600, FLOW_R2, 240)[0]
    return items


def test_columns_flow_around_a_full_width_line(tmp_path):
    """The left column part above stops mid-sentence and the part below it continues in lower
    case; the right column part above starts a sentence: the columns flow around the full-width
    line (L above, L below, R above, R below), not cut by it (L above, R above, ...)."""
    mid = "A full-width banner line set across both of the columns of this page here"
    doc = _read(tmp_path, _pdf([TITLE_PAGE, _flow_page(mid)]))
    assert _order(doc.raw, "Foxtrot", "after two doses.", "A bone marrow", "and then", "she went on")


def test_a_full_width_heading_cuts_the_columns(tmp_path):
    """The left column part above continues in the right column part above, and the same
    below: the cut (L above, R above, heading, L below, R below) is kept."""
    L1 = ["Golf the patient received induction therapy with", "daunorubicin and cytarabine in the first week and"]
    R1 = ["reached a complete remission with incomplete count", "recovery on day 28 of the treatment."]
    L2 = ["India she went on to consolidation with high-dose", "cytarabine in three cycles given a month apart"]
    R2 = ["and an allogeneic transplant from her sister", "followed three months later without complication."]
    items, _ = _column(50, 700, L1, 240)
    items += _column(310, 700, R1, 240)[0]
    items += [(50, 640, "2. Consolidation and Transplant in the Second Year of the Treatment", 12, "Times-Bold", None)]
    items += _column(50, 600, L2, 240)[0]
    items += _column(310, 600, R2, 240)[0]
    doc = _read(tmp_path, _pdf([TITLE_PAGE, items]))
    assert _order(doc.raw, "Golf", "first week and reached", "Consolidation and Transplant", "India",
                  "a month apart and an allogeneic")


def _line(text, size=10.0):
    gl, x = [], 0.0
    for ch in text:
        gl.append(Glyph(ch, x, x + 5, 0, size, size, "Times-Roman", size))
        x += 5
    return Line(1, gl)


def test_continuity_scores():
    open_end, lower, upper, closed = _line("the patient was given"), _line("cyclophosphamide on day 1"), \
        _line("She recovered fully"), _line("and was discharged.")
    assert continuity([[open_end], [lower]]) == 1
    assert continuity([[open_end], [upper]]) == -1
    assert continuity([[closed], [upper]]) == 0.5
    assert continuity([[closed], [lower]]) == -1
    assert continuity([[_line("colony stim-")], [_line("ulating factor")]]) == 1  # hyphenated word completed
    chart = _line("x axis")
    chart.kind = "chart"
    assert continuity([[open_end], [chart], [lower]]) == 1  # chart text does not count
