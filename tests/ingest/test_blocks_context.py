"""Block decisions taken from context (pipeline.ingest.blocks, front, marks): subheadings promoted,
display equations grouped, roman list items, affiliation blocks, the citation line and bold author
lists, body-size chart labels, a side column in the margin. Positive and negative cases each."""
from __future__ import annotations

import io

from pipeline.ingest.blocks import LIST_RE, _group_equations, _math_like, _promote_headings
from pipeline.ingest.front import _affiliation_block, _author_list, _citation_line
from pipeline.ingest.lines import Glyph, Line

from ..pdf_fixtures import _draw_line


class FakeBlock:
    def __init__(self, n_lines, kind="para"):
        self.lines = [object()] * n_lines
        self.kind = kind


def para(text, n_lines=3, kind="para"):
    return (kind, [(ch, (1, 0, 0, 1, 1)) for ch in text], 1, FakeBlock(n_lines, kind))


def kinds(flat):
    return [f[0] for f in flat]


def test_subheading_between_sentences_is_promoted():
    flat = [para("The patient recovered."), para("Data quality and demographics", 1), para("We recorded the data.")]
    assert kinds(_promote_headings(flat)) == ["para", "heading", "para"]
    flat = [para("Closing words."), para("2.1. Lysosomotropic Amines", 1), para("Amines raise the pH.")]
    assert kinds(_promote_headings(flat)) == ["para", "heading", "para"]
    # numbered: also after a block cut by a float (no sentence end before it)
    flat = [para("the values in the table"), para("2.2. Carboxylic Ionophores", 1), para("Ionophores carry ions.")]
    assert kinds(_promote_headings(flat)) == ["para", "heading", "para"]


def test_line_cut_from_its_paragraph_is_not_promoted():
    # previous block stops mid-sentence; the line ends with a function word; next starts lower case
    assert kinds(_promote_headings([para("the patient was given"), para("Cyclophosphamide Therapy", 1),
                                    para("She improved.")]))[1] == "para"
    assert kinds(_promote_headings([para("Done."), para("The diagnostic delay is attributed to", 1),
                                    para("Late presentation.")]))[1] == "para"
    assert kinds(_promote_headings([para("Done."), para("Surgical Pathology", 1),
                                    para("and the margins were clear.")]))[1] == "para"


def test_display_equation_fragments_are_one_block():
    flat = [para("We define the deviation as"), para("dp = Ax − b,", 1), para("(1)", 1), para("N − 1", 1),
            para("will not be zero for any solution.")]
    out = _group_equations(flat)
    assert kinds(out) == ["para", "equation", "para"]
    assert "".join(t for t, _ in out[1][1]) == "dp = Ax − b, (1) N − 1"


def test_short_prose_is_not_an_equation():
    assert not _math_like("Surgical Pathology")
    assert not _math_like("The dose was 5 mg = 1 tablet daily for the patient.")
    flat = [para("Text."), para("Case 2", 1), para("More text.")]
    assert kinds(_group_equations(flat)) == ["para", "para", "para"]  # no math sign: left alone


def test_roman_list_items():
    assert LIST_RE.match("(iii) Simultaneous involvement") and LIST_RE.match("(iv) Presentation")
    assert LIST_RE.match("(a) first") and not LIST_RE.match("(Table 2) shows")


def test_affiliation_blocks():
    assert _affiliation_block("^1Charité – Universitätsmedizin Berlin, corporate member of Freie Universität Berlin")
    assert _affiliation_block("^1 Rheumatology Department, Nouakchott Military Hospital, Mauritania")
    assert not _affiliation_block("^1These authors contributed equally.")
    assert not _affiliation_block("The patient was admitted to the University Hospital.")  # no marker
    assert not _affiliation_block("*Correspondence: a@b.de ^1Department of Neurology, Berlin")  # kept as back matter


def test_citation_line():
    assert _citation_line("npj Microgravity (2021) 7:1 ; https://doi.org/10.1038/s41526-020-00129-1")
    assert _citation_line("Toxins 2016, 8, 200; doi:10.3390/toxins8070200")
    assert not _citation_line("The protocol was published before (https://doi.org/10.1186/s42466-019-0022-4) and "
                              "we followed it for every patient enrolled in the study.")


def test_bold_author_list():
    assert _author_list("Noura Biha,^1,2 S. M. Ghaber,^2,3 M. M. Hacen,^4 and Corinne Collet^5")
    assert not _author_list("Case Presentation")
    assert not _author_list("2. Case Presentation and Discussion")


def _page_pdf(draw) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 800))
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _read(tmp_path, data):
    from pipeline.ingest.pdf_reader import read_pdf
    p = tmp_path / "t.pdf"
    p.write_bytes(data)
    return read_pdf(p, data)


BODY = ["The patient was admitted with fever and received ceftriaxone intravenously for",
        "seven days, after which the fever resolved and the blood cultures were negative,",
        "and she was discharged home on oral amoxicillin with a follow-up visit planned",
        "two weeks later in the outpatient clinic of the infectious diseases department."]


def test_body_size_label_inside_a_drawing_is_chart_text(tmp_path):
    def draw(c):
        y = 740
        for t in BODY:
            _draw_line(c, 50, y, t, size=10, justify=False)
            y -= 12
        _draw_line(c, 50, y, "in the end.", size=10, justify=False)  # the paragraph's short last line
        c.rect(80, 480, 300, 180)
        c.setFont("Helvetica", 10)
        c.drawString(200, 490, "Time Of Day")  # body size, inside the drawing
        c.setFont("Helvetica", 8)
        c.drawString(85, 640, "37.6")
        _draw_line(c, 50, 460, "Figure 1: Temperature of the patient during the stay.", size=9, justify=False)
        y = 430
        for t in BODY:
            _draw_line(c, 50, y, t, size=10, justify=False)
            y -= 12
    doc = _read(tmp_path, _page_pdf(draw))
    assert "Time Of Day" not in doc.raw and "37.6" not in doc.raw
    assert "in the end." in doc.raw and "Figure 1: Temperature" in doc.raw


def test_side_column_in_the_margin_is_read_apart(tmp_path):
    side = ["*For correspondence:", "a.author@example.org", "Competing interests: The", "authors declare that no",
            "competing interests exist.", "Received: 12 June 2020", "Accepted: 03 January 2021"]
    main = BODY * 3

    def draw(c):
        y = 700
        for k, t in enumerate(main):
            _draw_line(c, 170, y, t, size=9, justify=False)
            if k < len(side):
                _draw_line(c, 40, y - 4, side[k], size=7.5, justify=False)
            y -= 12
    doc = _read(tmp_path, _page_pdf(draw))
    raw = doc.raw
    first, last = raw.index("The patient was admitted"), raw.rindex("infectious diseases department.")
    for t in side:  # the margin column is read as a whole, before or after the main column
        assert t not in raw[first:last], t
    assert "authors declare that no competing interests exist." in raw


def test_value_column_of_a_table_is_no_side_column(tmp_path):
    rows = [("Primary diagnosis", ""), ("Idiopathic", "2 | 0"), ("Aspiration syndrome", "1 | 4"),
            ("Age, years, mean (SD)", "26.6 (2.1) | 7.9 (9.4)"), ("Duration, days (SD)", "8.0 (6.0) | 13.4 (7.2)"),
            ("Interval, hours (SD)", "4.2 (1.2) | 12.2 (5.6)"), ("Weight, kg (SD)", "41.7 (15.4) | 19.0 (8.2)")]

    def draw(c):
        y = 740
        for t in BODY:
            _draw_line(c, 50, y, t, size=10, justify=False)
            y -= 12
        y -= 10
        _draw_line(c, 50, y, "Table 1: Characteristics of the patients at randomization.", size=9, justify=False)
        y -= 14
        for label, vals in rows:
            _draw_line(c, 50, y, label, size=9, justify=False)
            for k, v in enumerate(v for v in vals.split(" | ") if v):
                _draw_line(c, 420 + 70 * k, y, v, size=9, justify=False)
            y -= 11
        y -= 10
        for t in BODY:
            _draw_line(c, 50, y, t, size=10, justify=False)
            y -= 12
    doc = _read(tmp_path, _page_pdf(draw))
    assert "26.6 (2.1)" in doc.raw and "41.7 (15.4)" in doc.raw


def test_continuation_markers_are_furniture():
    from pipeline.cleanup.matter import back_matter_kind, furniture_kind
    for t in ("(Continued on next page)", "(Continued from previous page)", "Figure 1 continued on next page",
              "Table 2 continued"):
        assert furniture_kind(t) == "journal", t
    assert furniture_kind("Treatment was continued on the next day.") is None
    assert back_matter_kind("ORCID") == "declarations" and back_matter_kind("Orcid ID") == "declarations"


def test_affiliation_note_cut_into_blocks_leaves_whole(tmp_path):
    """A page-1 affiliation footnote whose address line ended early is cut into several notes;
    the notes after the one with the marker leave with it, the body stays."""
    def draw(c):
        _draw_line(c, 50, 740, "A Made-up Case of Fever Drawn for the Layout Tests", size=18,
                   font="Times-Bold", justify=False)
        y = 700
        for t in BODY * 2:
            _draw_line(c, 50, y, t, size=10, justify=False)
            y -= 12
        _draw_line(c, 50, 120, "{1}Department of Neurology, Charité – Universitätsmedizin Berlin,", size=7,
                   font="Times-Roman", justify=False)
        _draw_line(c, 50, 111, "Hindenburgdamm 30, 12203 Berlin, Germany", size=7, justify=False)
        _draw_line(c, 50, 102, "Full list of author information is available at the end of the article", size=7,
                   justify=False)

    data = _page_pdf(draw)
    doc = _read(tmp_path, data)
    assert "Hindenburgdamm" not in doc.raw and "Universitätsmedizin" not in doc.raw
    assert "infectious diseases department." in doc.raw

