"""Tracked (letter-spaced) capitals rejoined (pipeline.ingest.spacing), on rendered pieces and on
generated PDFs: positive cases (headings, float labels, kerned pairs inside a tracked word) and
negative ones (spaced single letters set with word spaces, digits alone, lower case)."""
from __future__ import annotations

import io

from pipeline.ingest.spacing import rejoin


def pieces(spec, size=10.0):
    """``spec``: words and gaps in em, e.g. ["R", .14, "E", .6, "X"] -> rendered pieces with
    inserted spaces between the glyph boxes (0.5 em wide glyphs)."""
    out, x = [], 0.0
    for item in spec:
        if isinstance(item, float):
            out.append((" ", None))
            x += item * size
            continue
        for ch in item:
            out.append((ch, (1, x, 0.0, x + 0.5 * size, size)))
            x += 0.5 * size
    return out


def text(p):
    return "".join(t for t, _ in p)


def test_tracked_heading_is_rejoined():
    p = pieces(["R", .14, "E", .14, "F", .14, "E", .14, "R", .14, "E", .14, "N", .14, "C", .14, "E", .14, "S"])
    assert text(rejoin(p, 10.0)) == "REFERENCES"


def test_word_gaps_inside_tracked_text_stay():
    p = pieces(["C", .14, "O", .14, "N", .14, "F", .14, "L", .14, "I", .14, "C", .14, "T", .56, "O", .14, "F",
                .56, "S", .14, "TAT", .14, "E", .14, "M", .14, "E", .14, "N", .14, "T"])
    assert text(rejoin(p, 10.0)) == "CONFLICT OF STATEMENT"


def test_float_label_then_normal_caption():
    p = pieces(["F", .14, "I", .14, "G", .14, "U", .14, "R", .14, "E", .56, "1", .14, "2", .56, "Autocorrelation", .3,
                "functions"])
    assert text(rejoin(p, 10.0)) == "FIGURE 12 Autocorrelation functions"


def test_single_letters_set_with_word_spaces_stay():
    # "A B C D" options typeset with ordinary word spaces (0.25 em or more): not tracking
    p = pieces(["groups", .3, "A", .3, "B", .3, "C", .3, "D"])
    assert rejoin(p, 10.0) is p


def test_digits_and_lower_case_are_not_tracking():
    p = pieces(["1", .14, "2", .14, "3", .14, "4", .14, "5"])  # an axis or a table row
    assert rejoin(p, 10.0) is p
    p = pieces(["a", .14, "b", .14, "c", .14, "d"])
    assert rejoin(p, 10.0) is p


def test_three_letters_are_too_few():
    p = pieces(["I", .14, "C", .14, "U", .5, "stay"])
    assert rejoin(p, 10.0) is p


def _tracked_pdf() -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 800))
    y = 700
    for line in ("The patient recovered and was discharged on day 12 without further",
                 "complications or any need for additional treatment at follow-up."):
        c.setFont("Times-Roman", 10)
        c.drawString(50, y, line)
        y -= 12
    y -= 14
    t = c.beginText(50, y)
    t.setFont("Times-Bold", 10)
    t.setCharSpace(1.4)  # 0.14 em tracking
    t.textOut("ACKNOWLEDGMENTS")
    c.drawText(t)
    y -= 14
    c.setFont("Times-Roman", 10)
    c.drawString(50, y, "We thank the nurses of the ward for their help with this work.")
    y -= 26
    t = c.beginText(50, y)
    t.setFont("Times-Bold", 10)
    t.setCharSpace(1.4)
    t.textOut("REFERENCES")
    c.drawText(t)
    y -= 14
    c.setFont("Times-Roman", 8)
    c.drawString(50, y, "1. Author A. A title of a paper. J Test. 2020;1:1-2.")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_tracked_back_matter_headings_leave_the_body(tmp_path):
    from pipeline.ingest.pdf_reader import read_pdf
    p = tmp_path / "tracked.pdf"
    p.write_bytes(_tracked_pdf())
    doc = read_pdf(p, p.read_bytes())
    kinds = [b["kind"] for b in doc.back_matter]
    assert "acknowledgements" in kinds and "references" in kinds
    assert "We thank" not in doc.raw and "Author A." not in doc.raw
    assert "discharged on day 12" in doc.raw
