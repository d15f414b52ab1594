"""Small PDFs made with reportlab for the PDF reader tests (no third-party files needed).

``two_column_pdf`` draws a two-page case report the way journals typeset it: a full-width title
and abstract above two justified columns, a running header and page numbers, superscripts drawn
as smaller glyphs on a raised baseline (``10^9/L``, ``mg/m²``), a figure with chart labels and its
caption, a line-end hyphen inside a word and one in a real compound. Every line is drawn word by word and justified, with no space glyphs,
so word spacing must come from the glyph gaps."""
from __future__ import annotations

import io

W, H = 600.0, 800.0
LEFT_X, RIGHT_X, COL_W = 50.0, 300.0, 205.0

LEFT_COL = [
    ("1. Case Presentation", "head"),
    ("A 45-year-old woman was admitted with fever and", "line"),
    ("neutropenia. The white cell count was 0.8 × 10{9}/L", "line"),
    ("on admission and she received cyclophosphamide 4", "line"),
    ("g/m{2} on day 1 followed by granulocyte colony stim-", "line"),
    ("ulating factor at a dose of 10 µg/kg of filgrastim (G-", "line"),
    ("CSF) daily until the count recovered.", "short"),
    ("The patient started at a dose of 3 mg/kg daily and", "line"),
    ("the platelet count rose to 150 × 10{9}/L within the", "line"),
    ("next two weeks without adverse events.", "short"),
]
RIGHT_COL = [
    ("She was discharged on day 21 in good condition and", "line"),
    ("remained in remission at the last follow-up visit", "line"),
    ("six months later without any relapse. Further treat-", "line"),
    ("ment was required during this period of time.", "short"),
    ("2. Discussion", "head"),
    ("Cyclophosphamide with G-CSF is a common regimen", "line"),
    ("for mobilization and was well tolerated in this", "line"),
    ("patient, consistent with earlier reports [1].", "short"),
]


def _pieces(text):
    """Split ``a{b}c`` into [(a, False), (b, True), (c, False)]."""
    out, buf, i = [], "", 0
    while i < len(text):
        if text[i] == "{":
            j = text.index("}", i)
            out.append((buf, False))
            out.append((text[i + 1:j], True))
            buf, i = "", j + 1
        else:
            buf += text[i]
            i += 1
    out.append((buf, False))
    return [p for p in out if p[0]]


def _width(word, font, size):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return sum(stringWidth(s, font, 0.7 * size if sup else size) for s, sup in _pieces(word))


def _draw_word(c, x, y, word, font, size):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    for s, sup in _pieces(word):
        c.setFont(font, 0.7 * size if sup else size)
        c.drawString(x, y + (0.35 * size if sup else 0), s)
        x += stringWidth(s, font, 0.7 * size if sup else size)


def _draw_line(c, x, y, text, size=10, font="Times-Roman", justify=True, width=COL_W):
    """Draw a line of running text, justified to the column width (word by word, so spacing
    comes from glyph gaps only); ``{..}`` is a superscript (0.7 of the size, baseline raised 0.35 em)."""
    words = text.split(" ")
    gap = 2.6
    if justify and len(words) > 1:
        natural = sum(_width(w, font, size) for w in words)
        gap = min(6.0, max(2.6, (width - natural) / (len(words) - 1)))
    for w in words:
        _draw_word(c, x, y, w, font, size)
        x += _width(w, font, size) + gap


def two_column_pdf(encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H), encrypt=encrypt)
    for page in (1, 2):
        # running header and page number
        c.setFont("Times-Roman", 9)
        c.drawString(LEFT_X, H - 40, f"{page}")
        c.drawRightString(W - 50, H - 40, "Case Reports in Testing")
        y = H - 90
        if page == 1:  # the journal block above the title
            c.setFont("Times-Roman", 8)
            for k, line in enumerate(("Case Reports in Testing", "Volume 2016, Article ID 123456, 2 pages",
                                      "http://dx.doi.org/10.1155/2016/123456")):
                c.drawString(LEFT_X, H - 55 - 9 * k, line)
            y = H - 110
            c.setFont("Times-Italic", 18)
            c.drawString(LEFT_X, y, "Case Report")
            y -= 26
        if page == 1:
            c.setFont("Times-Bold", 18)
            c.drawString(LEFT_X, y, "Mobilization with Cyclophosphamide and G-CSF in a Patient")
            y -= 22
            c.drawString(LEFT_X, y, "with Severe Neutropenia")
            y -= 30
            for line in ("We report a patient with neutropenia who was treated with cyclophosphamide and filgrastim",
                         "and recovered fully. The case illustrates the value of early growth factor support in this",
                         "setting."):
                _draw_line(c, LEFT_X + 30, y, line, size=9, justify=line != "setting.", width=W - 160)
                y -= 11
            y -= 20
        top = y
        if page == 1:
            cols = ((LEFT_X, LEFT_COL), (RIGHT_X, RIGHT_COL))
        else:
            cols = ((LEFT_X, RIGHT_COL[4:]), (RIGHT_X, LEFT_COL[1:4]))
        for x, lines in cols:
            y = top
            for text, kind in lines:
                if kind == "head":
                    y -= 6
                    c.setFont("Times-Bold", 12)
                    c.drawString(x, y, text)
                    y -= 18
                    continue
                _draw_line(c, x, y, text, justify=(kind == "line"))
                y -= 12
            if page == 1 and x == LEFT_X:
                # a small chart with axis labels, then its caption
                y -= 10
                c.rect(x + 20, y - 80, 180, 80)
                c.setFont("Helvetica", 6)
                c.drawString(x + 22, y - 90, "Day 1")
                c.drawString(x + 180, y - 90, "Day 10")
                c.drawString(x + 5, y - 10, "100")
                y -= 110
                c.setFont("Times-Roman", 9)
                _draw_line(c, x, y, "Figure 1: Neutrophil count of the patient during the", size=9)
                _draw_line(c, x, y - 11, "treatment with cyclophosphamide and G-CSF.", size=9, justify=False)
        c.setFont("Times-Roman", 9)
        c.drawCentredString(W / 2, 40, f"{page}")
        c.showPage()
    c.save()
    return buf.getvalue()


def image_only_pdf() -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image
    img = Image.new("RGB", (200, 100), (255, 255, 255))
    for x in range(20, 180):
        img.putpixel((x, 50), (0, 0, 0))
    ib = io.BytesIO()
    img.save(ib, format="PNG")
    ib.seek(0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H))
    c.drawImage(ImageReader(ib), 100, 400, width=300, height=150)
    c.showPage()
    c.save()
    return buf.getvalue()


SINGLE_TEXT = [
    ("1. Case Presentation", "head"),
    ("A 62-year-old man with relapsed lymphoma received salvage chemotherapy with cyclophosphamide "
     "and etoposide, followed by filgrastim from day 6 until the neutrophil count exceeded 1.0 × "
     "10{9}/L on two consecutive days. Apheresis started on day 11 and yielded enough CD34{+} cells "
     "for one autologous transplant.", "para"),
    ("The regimen was well tolerated apart from grade 2 nausea, which resolved with ondansetron "
     "given orally twice daily.", "para"),
    ("2. Discussion", "head"),
    ("Mobilization with chemotherapy and growth factor support remains a reliable option when "
     "growth factor alone fails, as reported in earlier series of adult and paediatric patients.",
     "para"),
]


def _wrap(text, font, size, width):
    lines, cur = [], []
    for w in text.split(" "):
        trial = cur + [w]
        if cur and sum(_width(x, font, size) for x in trial) + 2.75 * (len(trial) - 1) > width:
            lines.append(" ".join(cur))
            cur = [w]
        else:
            cur = trial
    if cur:
        lines.append(" ".join(cur))
    return lines


def single_column_pdf() -> bytes:
    """One ragged-right column with manuscript line numbers in the margin, a table with its
    caption, and a footnote at the foot of the page."""
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H))
    x, width, y, n = 80.0, 420.0, H - 80, 0
    c.setFont("Helvetica-Bold", 16)
    c.drawString(x, y, "Stem Cell Mobilization after Salvage Chemotherapy")
    y -= 40
    for text, kind in SINGLE_TEXT:
        if kind == "head":
            y -= 6
            c.setFont("Helvetica-Bold", 12)
            c.drawString(x, y, text)
            y -= 20
            continue
        for line in _wrap(text, "Helvetica", 11, width):
            n += 1
            c.setFont("Helvetica", 7)
            c.drawRightString(x - 25, y, str(n))
            _draw_line(c, x, y, line, size=11, font="Helvetica", justify=False)
            y -= 14
        y -= 8
        if kind == "para" and "tolerated" in text:
            # a table between the paragraphs: caption above, cells in columns
            y -= 6
            c.setFont("Helvetica", 9)
            c.drawString(x, y, "Table 1: Drugs given for mobilization.")
            y -= 18
            for row in (("Drug", "Dose", "Days"), ("Cyclophosphamide", "2 g/m{2}", "1"),
                        ("Etoposide", "100 mg/m{2}", "1–3"), ("Filgrastim", "10 µg/kg", "6–11")):
                for cx, cell in zip((x, x + 150, x + 270), row):
                    _draw_line(c, cx, y, cell, size=9, font="Helvetica", justify=False)
                y -= 13
            y -= 16
    # footnote at the foot of the page, under a gap
    _draw_line(c, x, 90, "{*}Corresponding author: A. Author, Department of Haematology.", size=7,
               font="Helvetica", justify=False)
    _draw_line(c, x, 81, "Abbreviations: G-CSF, granulocyte colony-stimulating factor.", size=7,
               font="Helvetica", justify=False)
    c.setFont("Helvetica", 9)
    c.drawCentredString(W / 2, 40, "1")
    c.showPage()
    c.save()
    return buf.getvalue()
