"""PDF to text at character level with pdfplumber, layout-aware.

Geometry (lines, superscripts, word spaces, columns, reading order) is in :mod:`.layout`. This
module turns the ordered lines into the article text of the reference convention
(``../shared/pdfs/gold/README.md``): title, abstract, body; one line per heading and paragraph,
blocks separated by a blank line; captions and tables as their own blocks placed after the
paragraph the float interrupts (the float is queued until that paragraph ends); running headers,
page numbers, stamps, the journal block, author/affiliation lines and the licence removed;
back-matter sections (references, acknowledgements, competing interests, ...) moved to
``back_matter``. Line-end hyphens are dropped only when the joined word is a word (wordfreq, or
the document's own vocabulary) and the hyphenated form is not. Rules live in ``patterns/pdf``.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..document import Document
from ..errors import InputError
from .layout import (SPACE_GAP, Line, _pct, assign_columns, build_lines, find_gutter,
                     merge_row_fragments, page_glyphs, reading_order)
from ..resources import load_jsonl
from ..cleanup.words import zipf

CAPTION_RE = re.compile(r"^\s*(Fig(?:ure)?\.?|FIGURE|FIG\.?|Table|TABLE)\s*(\d+|[IVX]+)[A-Za-z]?\s*([:.|]|\s)")
TABLE_CAP_RE = re.compile(r"^\s*(Table|TABLE)\b")
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])")
YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
LICENCE_RE = re.compile(r"^(copyright|©|this (is an open access|article is distributed))", re.I)


def open_pdf(path: Path, data: bytes | None = None):
    """pdfplumber's PDF of ``data`` (the file's bytes, already read) or of ``path``; errors as
    one-line :class:`InputError` naming ``path``."""
    import io
    import logging
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # colour-space chatter on stderr
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError
    from pdfminer.pdfparser import PDFSyntaxError
    try:
        pdf = pdfplumber.open(io.BytesIO(data) if data is not None else path)
        _ = pdf.pages  # forces the page tree to be read
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{path}: encrypted PDF, cannot read without the password") from None
    except PDFSyntaxError as exc:
        raise InputError(f"{path}: corrupt PDF ({exc})") from None
    except Exception as exc:  # pdfminer raises many types on broken files
        if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception):
            exc = exc.args[0]  # pdfplumber wraps pdfminer's error (e.g. PDFPasswordIncorrect)
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError(f"{path}: encrypted PDF, cannot read without the password") from None
        raise InputError(f"{path}: corrupt PDF ({name}: {exc})") from None
    return pdf


# ---------------------------------------------------------------------------------------------
# patterns
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _patterns(name: str):
    return tuple((r.get("kind", ""), re.compile(r["re"], re.I)) for r in load_jsonl(name))


def furniture_kind(text: str) -> str | None:
    t = text.strip()
    for kind, rx in _patterns("pdf/furniture.jsonl"):
        if rx.search(t):
            return kind
    return None


def back_matter_kind(heading: str) -> str | None:
    t = re.sub(r"^[\dIVX]+(\.\d+)*\.?\s*", "", heading.strip()).strip(" :.").lower()
    for kind, rx in _patterns("pdf/back_matter.jsonl"):
        if rx.search(t):
            return kind
    return None


# ---------------------------------------------------------------------------------------------
# words: dehyphenation
# ---------------------------------------------------------------------------------------------
def keep_hyphen(left: str, right: str, vocab: Counter) -> bool:
    """Decide a line-end hyphen: keep it (a real compound) or drop it (a word the layout broke).

    In order: capitals or digits next to the hyphen keep it ("G-CSF", "anti-CD7", "T-cell"); the
    document's own spelling elsewhere decides; two common words whose join is rare stay a compound
    ("follow-up", "long-term", "high-power"); a known joined word is joined ("treat-ment",
    "thrombocyto-penia"); a word plus a common word whose join is unknown is a compound
    ("ganciclovir-related"); anything else is a broken word."""
    if not left or not right or not left[-1].isalpha() or not right[0].isalpha():
        return True
    if right[0].isupper() or any(c.isdigit() for c in left[-3:]) or left.isupper() or left[-1].isupper():
        return True
    if len(left) == 1:  # "x-ray"
        return True
    joined = (left + right).lower()
    hyph = (left + "-" + right).lower()
    if vocab.get(hyph, 0):
        return True
    if vocab.get(joined, 0):
        return False
    zj, zl, zr = zipf(joined), zipf(left), zipf(right)
    if min(zl, zr) >= 3.0 and zj < 3.0:
        return True
    if zj >= 1.0:
        return False
    if len(right) >= 4 and zr >= 3.0 and len(left) >= 3 and (zl >= 2.0 or len(left) >= 6):
        return True
    return False


SECTION_RE = re.compile(r"^((\d+(\.\d+)*|[IVX]+)\.?\s+[A-Z]|(introduction|background|case (report|presentation|"
                        r"description|history)|methods?|materials and methods|results|discussion)\b)", re.I)
LIST_RE = re.compile(r"^\s*(\(\d+\)|\(?[a-z]\)|\d+\)|[•·▪–-]\s)")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]")


# ---------------------------------------------------------------------------------------------
# page analysis
# ---------------------------------------------------------------------------------------------
def _bounds(lines):
    """(left, right) text edges of each column on a page."""
    b = {}
    for col in ("L", "R", "F"):
        ls = [l for l in lines if l.col == col and l.kind == "text" and len(l.glyphs) >= 15]
        if not ls:
            ls = [l for l in lines if l.col == col]
        if not ls:
            continue
        x0s = Counter(round(l.x0) for l in ls)
        left = min(k for k, v in x0s.items() if v >= max(x0s.values()) * 0.5)
        b[col] = (left, _pct([l.x1 for l in ls], 0.9))
    return b


def _mark_floats(lines, body, page_w, graphics=()):
    """Captions, the tables below table captions and chart text above figure captions."""
    lines.sort(key=lambda l: (l.top, l.x0))
    txt = {id(l): l.text() for l in lines}
    caps = [l for l in lines if l.kind == "text" and CAPTION_RE.match(txt[id(l)])
            and (l.size < body - 0.3 or l.glyphs[0].bold or re.match(r"^\s*\S+\s*\S+\s*[:|]", txt[id(l)])
                 or re.match(r"^\s*(Fig|Table)\S*\s*\d+[A-Za-z]?\s*[:.|]", txt[id(l)]))]
    for cap in caps:
        if cap.kind != "text" or not _starts_block(cap, lines):
            continue
        span = [l for l in lines if l.col == cap.col] if cap.col != "F" else list(lines)
        cap.kind, cap.tag = "caption", f"cap{id(cap)}"
        # caption continuation lines
        right = max((l.x1 for l in span), default=cap.x1)
        prev = cap
        for l in span:
            if l.top <= prev.top or l.kind != "text":
                continue
            full = prev.x1 >= right - 3 * cap.size
            aligned = (abs(l.x0 - cap.x0) < 1.5 and l.base - prev.base <= 1.3 * cap.size
                       and not TABLE_CAP_RE.match(txt[id(cap)]))
            if abs(l.size - cap.size) < 0.3 and l.base - prev.base <= 1.45 * cap.size \
                    and (full or aligned) and not CAPTION_RE.match(txt[id(l)]):
                l.kind, l.tag = "caption", cap.tag
                prev = l
            elif l.base - prev.base > 1.45 * cap.size:
                break
        last_cap = prev
        is_table = bool(TABLE_CAP_RE.match(txt[id(cap)]))
        if is_table:
            prev_b = last_cap.bottom
            for l in span:
                if l.top <= last_cap.top or l.kind not in ("text",):
                    if l.top > last_cap.top and l.kind == "caption":
                        break
                    continue
                if CAPTION_RE.match(txt[id(l)]):
                    break
                if l.size >= body - 0.4 and len(l.glyphs) > 3:
                    break
                if l.top - prev_b > 4 * l.size:
                    break
                l.kind, l.tag = "table", cap.tag
                if cap.col == "F":
                    l.col = "F"
                prev_b = max(prev_b, l.bottom)
        else:
            _mark_chart(cap, lines, txt, body, graphics)


def _starts_block(l, lines) -> bool:
    """No running line of the same column ends full just above (so "Figure 1. The patient" inside
    a paragraph is not taken for a caption)."""
    above = [m for m in lines if m.col == l.col and m.kind == "text" and m is not l
             and 0 < l.base - m.base <= 1.6 * l.size and m.x1 > l.x0 and m.x0 < l.x1]
    if not above:
        return True
    m = max(above, key=lambda m: m.base)
    same = [o for o in lines if o.col == l.col and o.kind == "text"]
    right = _pct([o.x1 for o in same], 0.9) if same else m.x1
    return m.x1 < right - 2.5 * m.size or abs(m.size - l.size) > 0.3


def _mark_chart(cap, lines, txt, body, graphics):
    """Text drawn inside a figure (axis labels, legends, flow-chart boxes): small lines above a
    figure caption, inside the box of the vector graphics / images between the caption and the
    nearest body-size line above it in the caption's column."""
    col_lines = [l for l in lines if (l.col == cap.col or cap.col == "F" or l.col == "F")
                 and l.bottom <= cap.top + 1 and l.kind == "text"]
    region_top = 0.0
    for l in sorted(col_lines, key=lambda l: -l.bottom):
        if (l.size >= body - 0.4 and len(l.glyphs) > 3 and l.x0 < cap.x1 and l.x1 > cap.x0) \
                or CAPTION_RE.match(txt[id(l)]):
            region_top = l.bottom
            break
    gr = [g for g in graphics if g[1] >= region_top - 2 and g[3] <= cap.top + 2 and g[3] - g[1] < 2000]
    if gr:
        fx0, fx1 = min(g[0] for g in gr), max(g[2] for g in gr)
        fx0, fx1 = min(fx0, cap.x0), max(fx1, cap.x1)
    else:
        fx0, fx1 = cap.x0 - 5, max(cap.x1, cap.x0 + 50)
        if cap.col in ("L", "R"):
            cl = [l for l in lines if l.col == cap.col]
            fx0, fx1 = min(l.x0 for l in cl), max(l.x1 for l in cl)
    for l in lines:
        if l.kind != "text" or l.top < region_top - 1 or l.bottom > cap.top + 1:
            continue
        if l.x1 < fx0 - 5 or l.x0 > fx1 + 5:
            continue
        if l.size >= body - 0.4 and len(l.glyphs) > 3:
            continue
        l.kind = "chart"


def _mark_footnotes(lines, body, height):
    """Footnotes: a few small lines at the bottom of a column (lower 40% of the page), below a
    gap under body-size text, with no figure/table caption among or below them."""
    caps = [l for l in lines if l.kind == "caption"]
    for col in ("L", "R", "F"):
        ls = sorted([l for l in lines if l.col == col and l.kind in ("text",)], key=lambda l: -l.bottom)
        foot = []
        for l in ls:
            if l.size <= body - 1.5:
                foot.append(l)
                continue
            if foot and l.size >= body - 0.6 and foot[-1].top - l.bottom >= 0.9 * body \
                    and len(foot) <= 12 and foot[-1].top > 0.6 * height \
                    and not any(c.top > foot[-1].top - 1 and (c.col == col or c.col == "F" or col == "F")
                                for c in caps) \
                    and not any(CAPTION_RE.match(f.text()) for f in foot):
                for f in foot:
                    f.kind, f.tag = "caption", f"foot{f.page}{col}"
            break


def _sig(t: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", " ", t.lower())).strip(" .,:;|-–")


def _mark_headers(pages, height, journal=None):
    """Running headers/footers and page numbers: margin lines repeated across pages (digits
    ignored), page numbers, the journal name, or lines matching the furniture patterns."""
    sig = Counter()
    for lines, h in zip(pages, height):
        seen = set()
        for l in lines:
            if l.top < 0.085 * h or l.bottom > 0.93 * h:
                s = _sig(l.text())
                if s not in seen:
                    sig[s] += 1
                    seen.add(s)
    jsig = _sig(journal) if journal else None
    for lines, h in zip(pages, height):
        for l in lines:
            if l.top < 0.085 * h or l.bottom > 0.93 * h:
                t = l.text().strip()
                s = _sig(t)
                if (sig[s] >= 2 and len(pages) > 1) or re.fullmatch(r"[\divxlc]{1,4}", t.lower()) \
                        or (jsig and len(jsig) > 5 and jsig in s and len(s) < len(jsig) + 40) \
                        or furniture_kind(t) in ("journal", "stamp"):
                    l.kind = "header"


def _mark_line_numbers(lines):
    """Manuscript line numbers: five or more digit-only fragments in a margin beside the text."""
    nums = [l for l in lines if l.kind == "text" and l.text().strip().isdigit()]
    if len(nums) < 5:
        return
    text = [l for l in lines if l.kind == "text" and len(l.glyphs) >= 10]
    if not text:
        return
    left, right = min(l.x0 for l in text), max(l.x1 for l in text)
    for side in ([l for l in nums if l.x1 <= left + 1], [l for l in nums if l.x0 >= right - 1]):
        if len(side) >= 5:
            for l in side:
                l.kind = "drop"


# ---------------------------------------------------------------------------------------------
# blocks
# ---------------------------------------------------------------------------------------------
class Block:
    def __init__(self, kind, line, page):
        self.kind = kind  # heading, para, caption, table, footnote
        self.pieces = []
        self.lines = []
        self.page = page
        self.size = line.size
        self.bold = line.bold_frac > 0.6
        self.complete = False

    def text(self):
        return "".join(t for t, _ in self.pieces)

    def add_line(self, line, bounds, vocab):
        pieces = line.render()
        while pieces and pieces[0][0] == " ":
            pieces.pop(0)
        if not pieces:
            return
        if self.pieces:
            prev = self.text()
            first = pieces[0][0]
            if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and first.isalpha():
                m1 = re.search(r"([A-Za-z][A-Za-z\-]*)-$", prev)
                m2 = re.match(r"[A-Za-z]+", "".join(t for t, _ in pieces[:40]))
                left = m1.group(1).split("-")[-1] if m1 else ""
                if not keep_hyphen(left, m2.group(0) if m2 else "", vocab):
                    self.pieces.pop()
            elif prev.endswith("/") or (prev.endswith(("-", "–")) and (first.isdigit() or first.isupper()
                                                                       or prev.endswith("–"))):
                pass
            elif prev.endswith("-") and not prev.endswith(" -"):
                pass
            else:
                self.pieces.append((" ", None))
        self.pieces.extend(pieces)
        self.lines.append(line)


def _is_heading_line(l: Line, body: float) -> bool:
    t = l.text().strip()
    if len(t) > 160 or not any(c.isalpha() for c in t):
        return False
    if l.bold_frac >= 0.8:
        return True
    return l.size >= body + 1.2


ITALIC_RE = re.compile(r"italic|oblique|-it$|-it\b|\bit$", re.I)


def _runin_split(l: Line):
    """A run-in heading at the start of a line, set in bold (or, when numbered, italic) and
    ended by a period or colon ("2.1. PBPC Mobilization. The patients ..."): (end of the heading
    glyphs without its final stop, index of the first body glyph), or None."""
    gl = l.glyphs
    if not gl:
        return None
    g0 = gl[0]
    fonts = Counter(g.font for g in gl)
    style = "b" if g0.bold else ("i" if ITALIC_RE.search(g0.font) else "")
    if not style and g0.font != fonts.most_common(1)[0][0]:
        style = "f"  # another face of an obfuscated font family ("Background:" in BMC abstracts)
    if not style:
        return None
    if style == "b":
        same = lambda g: g.bold
    elif style == "i":
        same = lambda g: bool(ITALIC_RE.search(g.font)) and not g.bold
    else:
        same = lambda g: g.font == g0.font
    if style == "f":
        k = 0
        while k < len(gl) and (same(gl[k]) or gl[k].script != 0):
            k += 1
        if k >= len(gl) or not "".join(g.text for g in gl[:k]).strip().endswith(":"):
            return None
    k = 0
    while k < len(gl) and (same(gl[k]) or gl[k].script != 0):
        k += 1
    if k < 3 or k >= len(gl):
        return None
    head = "".join(g.text for g in gl[:k]).strip()
    if not re.search(r"[.:]$", head):
        return None
    if style == "i" and not re.match(r"^\d+(\.\d+)*\.", head):
        return None
    end = k
    while end > 0 and gl[end - 1].text in ".: ":
        end -= 1
    return end, k


def read_pdf(path: Path, data: bytes, max_pages: int = 500) -> Document:
    pdf = open_pdf(path, data)  # parse the bytes ingest read (and hashed), not a second read
    with pdf:
        try:
            n = len(pdf.pages)
        except Exception as exc:  # pragma: no cover
            raise InputError(f"{path}: corrupt PDF ({type(exc).__name__})") from None
        if n == 0:
            raise InputError(f"{path}: PDF has no pages")
        if n > max_pages:
            raise InputError(f"{path}: {n} pages exceeds the {max_pages}-page limit (DOSELINE_MAX_PAGES)")
        pages, heights, widths, graphics = [], [], [], []
        try:
            for i, page in enumerate(pdf.pages, 1):
                imgs = []  # figure images: text drawn over them is chart text
                area = float(page.width) * float(page.height)
                for im in page.images:
                    w_, h_ = im["x1"] - im["x0"], im["bottom"] - im["top"]
                    if w_ > 60 and h_ > 60 and w_ * h_ < 0.5 * area:  # not a scanned page under OCR text
                        imgs.append((im["x0"], im["top"], im["x1"], im["bottom"]))
                glyphs = page_glyphs(page, imgs)
                gr = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in
                      page.rects + page.curves + page.lines + page.images]
                graphics.append([g for g in gr if (g[2] - g[0]) < 0.95 * float(page.width)])
                pages.append(build_lines(glyphs, i) if glyphs else [])
                heights.append(float(page.height))
                widths.append(float(page.width))
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"{path}: corrupt PDF ({type(exc).__name__}: {exc})") from None
    no_text = f"{path}: no text layer (scanned or image-only PDF); OCR it first"
    if not any(pages):
        raise InputError(no_text)
    source = {"path": str(path), "sha256": Document.sha256(data), "format": "pdf", "pages": n}
    try:
        doc = assemble(pages, heights, widths, graphics)
    except InputError:
        raise InputError(no_text) from None
    except Exception as exc:  # a layout this reader does not handle: plain text, flagged
        doc = _fallback(pages)
        source["layout_error"] = f"{type(exc).__name__}: {exc}"
    doc.source = source
    return doc


def _fallback(pages) -> Document:
    """Lines in top-to-bottom order per page, when the layout analysis fails on a file."""
    parts = []
    for lines in pages:
        for l in sorted(lines, key=lambda l: (l.top, l.x0)):
            parts.extend(l.render())
            parts.append(("\n", None))
        parts.append(("\n", None))
    raw = "".join(t for t, _ in parts)
    boxes = [b for t, b in parts for _ in t]
    return Document(raw=raw, boxes=boxes, metadata=_empty_meta())


def _empty_meta() -> dict:
    return {"title": None, "authors": [], "journal": None, "year": None, "doi": None}


def body_size(pages) -> float:
    """Font size of the running text: the size carrying most characters in long lines, on the
    pages up to the reference list (9-pt references and abstracts must not win)."""
    sizes, all_sizes = Counter(), Counter()
    ref_page = None
    for i, lines in enumerate(pages):
        if ref_page is not None and i > ref_page:
            break
        for l in lines:
            n = len(l.glyphs)
            all_sizes[round(l.size * 2) / 2] += n
            if n >= 40:
                sizes[round(l.size * 2) / 2] += n
            if ref_page is None and n < 30 and back_matter_kind(l.text()) == "references":
                ref_page = i
    return (sizes or all_sizes).most_common(1)[0][0]


def assemble(pages, heights, widths, graphics) -> Document:
    body = body_size(pages)
    page1_lines = [l.text() for l in pages[0]] if pages else []
    page1_meta = _page1_meta(page1_lines)
    _mark_headers(pages, heights, page1_meta.get("journal"))
    for lines in pages:
        _mark_line_numbers(lines)
    ordered = []
    for lines, w, h, gr in zip(pages, widths, heights, graphics):
        gutter = find_gutter([l for l in lines if l.kind == "text" and l.size >= body - 1.2], w)
        if gutter is None:  # columns of small print (reference lists)
            gutter = find_gutter([l for l in lines if l.kind == "text"], w)
            if gutter is not None:  # only for running text, not for a page-wide table
                sides = ([l for l in lines if l.x1 <= gutter], [l for l in lines if l.x0 >= gutter])
                if any(not side or sum(len(l.glyphs) for l in side) / len(side) < 25 for side in sides):
                    gutter = None
        assign_columns(lines, gutter)
        lines[:] = merge_row_fragments(lines, body, gutter)
        _mark_floats(lines, body, w, gr)
        _mark_footnotes(lines, body, h)
        bounds = _bounds(lines)
        for l in reading_order(lines):
            ordered.append((l, bounds))
    # document vocabulary for dehyphenation (words printed whole somewhere)
    vocab = Counter()
    for l, _ in ordered:
        for m in WORD_RE.finditer(l.text()):
            vocab[m.group(0).lower()] += 1

    blocks = []  # emitted in final order
    queue = []  # floats waiting for the paragraph they interrupt to end
    cur = None
    prev_line = None
    floats = {}

    def close():
        nonlocal cur
        if cur is not None and cur.pieces:
            blocks.append(cur)
        cur = None
        if queue:
            blocks.extend(queue)
            queue.clear()

    for l, bounds in ordered:
        if l.kind in ("header", "chart", "drop"):
            continue
        if l.kind in ("caption", "table"):
            fb = floats.get(l.tag)
            if fb is None:
                fb = floats[l.tag] = {"caption": None, "rows": [], "page": l.page}
                placeholder = Block("float", l, l.page)
                placeholder.float = fb
                placeholder.pieces = [("", None)]
                if cur is None:
                    blocks.append(placeholder)
                elif cur.complete and cur.kind != "heading":  # the float follows a finished paragraph
                    close()
                    blocks.append(placeholder)
                else:  # it waits for the paragraph it interrupts
                    queue.append(placeholder)
            if l.tag.startswith("foot"):
                notes = fb.setdefault("notes", [])
                t0 = l.text().lstrip()
                lb = bounds.get(l.col, (l.x0, l.x1))
                if not notes or l.glyphs[0].script == 1 or t0[:1] in "*†‡§©¶#" or notes[-1].complete:
                    notes.append(Block("footnote", l, l.page))
                notes[-1].add_line(l, bounds, vocab)
                notes[-1].complete = l.x1 < lb[1] - 2.5 * l.size
            elif l.kind == "caption":
                if fb["caption"] is None:
                    fb["caption"] = Block("caption", l, l.page)
                fb["caption"].add_line(l, bounds, vocab)
            else:
                fb["rows"].append(l)
            continue
        # text line
        left, right = bounds.get(l.col, (l.x0, l.x1))
        parts = [(l, None)]
        k = _runin_split(l) if l.bold_frac < 0.8 else None
        if k is not None:
            head = Line(l.page, l.glyphs[:k[0]], l.col, "text")
            rest = Line(l.page, l.glyphs[k[1]:], l.col, "text")
            parts = [(head, "heading"), (rest, "para")]
        for part, forced in parts:
            is_head = forced == "heading" or (forced is None and _is_heading_line(part, body))
            kind = "heading" if is_head else "para"
            new = True
            if cur is not None and prev_line is not None and forced is None:
                new = not _continues(cur, prev_line, part, kind, left, right, bounds)
            if forced == "para":
                new = True
            if new:
                close()
                cur = Block(kind, part, part.page)
            cur.add_line(part, bounds, vocab)
            pl, pr = bounds.get(part.col, (part.x0, part.x1))
            cur.complete = part.x1 < pr - 2.5 * part.size or cur.kind == "heading"
            prev_line = part
    close()
    blocks.extend(queue)
    return _finish(blocks, body, page1_lines, page1_meta, pages)


def _continues(cur, prev, l, kind, left, right, bounds) -> bool:
    if cur.kind != kind:
        return False
    size = l.size
    if abs(l.size - prev.size) > 0.6:
        return False
    if kind == "heading":
        return (l.page == prev.page and l.col == prev.col and 0 <= l.top - prev.bottom < 0.9 * size
                and abs(l.bold_frac - prev.bold_frac) < 0.5)
    pl, pr = bounds.get(prev.col, (prev.x0, prev.x1)) if l.page == prev.page else (None, None)
    same_stream = l.page == prev.page and l.col == prev.col and l.top > prev.top
    indented = 0.6 * size < l.x0 - left < 6 * size
    lt = l.text()
    if LIST_RE.match(lt) and cur.text().rstrip().endswith((".", ":", ";")):
        return False
    first = cur.lines[0] if cur.lines else prev
    is_item = bool(LIST_RE.match(first.text()))
    hanging = is_item and l.x0 > first.x0 + 1
    if is_item and abs(l.x0 - first.x0) < 1 and prev.text().rstrip().endswith((".", ";", ":")):
        return False  # the paragraph after a list item, indented like the item
    if same_stream:
        if l.top - prev.bottom > 0.9 * size:
            return False
        if hanging and prev.x1 >= right - 2.5 * size:
            return True
        if indented and not (abs(l.x0 - prev.x0) < 1.0):
            return False
        # the line ended early: the next line's first word would have fitted (ragged or last line)
        if right - prev.x1 > max(_first_word_width(l) + 0.4 * size, 1.5 * size) \
                and not prev.text().endswith("-"):
            return False
        return True
    if cur.complete:
        return False
    if indented:
        return False
    return True


CELL_GAP = 0.6  # em: a wider gap inside a table row separates two cells


def _split_cells(l: Line) -> list:
    out, cur = [], [l.glyphs[0]]
    for g in l.glyphs[1:]:
        if g.script == 0 and cur[-1].script == 0 and g.x0 - cur[-1].x1 > CELL_GAP * max(g.size, cur[-1].size):
            out.append(Line(l.page, cur, l.col, l.kind, l.tag))
            cur = [g]
        else:
            cur.append(g)
    out.append(Line(l.page, cur, l.col, l.kind, l.tag))
    return out


def _first_word_width(l: Line) -> float:
    gl = l.glyphs
    end = gl[0].x1
    for a, b in zip(gl, gl[1:]):
        if b.x0 - a.x1 > SPACE_GAP * a.size or b.space_before:
            break
        end = b.x1
    return end - gl[0].x0


def _table_text(rows: list) -> tuple[list, list]:
    """Table lines -> (row pieces list, footnote lines).

    Rows are baseline groups (lines closer than 0.8 em merge into one row, for multi-line header
    cells); cells are split at gaps wider than CELL_GAP em and stacked by x-overlap. Columns come
    from the rows with the most common cell count; a row missing a column gets an empty cell, so
    a header over the row labels reads "| Group A | Group B"."""
    rows = sorted(rows, key=lambda l: (l.base, l.x0))
    groups = []
    for l in rows:
        if groups and l.base - groups[-1][-1].base < 0.8 * l.size:
            groups[-1].append(l)
        else:
            groups.append([l])
    width = (max(l.x1 for l in rows) - min(l.x0 for l in rows)) if rows else 0
    foot, table = [], []
    sizes = Counter(round(l.size, 1) for l in rows for _ in l.glyphs)
    tsize = sizes.most_common(1)[0][0] if sizes else 0
    for gi, g in enumerate(groups):
        long_line = len(g) == 1 and len(g[0].glyphs) > 50 and g[0].x1 - g[0].x0 > 0.6 * width
        smaller = all(l.size < tsize - 0.5 for l in g) and sum(len(l.glyphs) for l in g) > 20
        if (gi >= 1 and (long_line or smaller)) or foot:
            foot.extend(g)
            continue
        cells = []
        for l in sorted((c for l in g for c in _split_cells(l)), key=lambda l: l.x0):
            for c in cells:
                if l.x0 < c["x1"] + 2 and l.x1 > c["x0"] - 2:
                    c["lines"].append(l)
                    c["x0"], c["x1"] = min(c["x0"], l.x0), max(c["x1"], l.x1)
                    break
            else:
                cells.append({"x0": l.x0, "x1": l.x1, "lines": [l]})
        table.append(cells)
    # column grid from the rows with the modal number of cells
    counts = Counter(len(r) for r in table if len(r) >= 2)
    cols = []
    if counts:
        n = counts.most_common(1)[0][0]
        for r in table:
            if len(r) != n:
                continue
            for c in r:
                for col in cols:
                    if c["x0"] < col[1] and c["x1"] > col[0]:
                        col[0], col[1] = min(col[0], c["x0"]), max(col[1], c["x1"])
                        break
                else:
                    cols.append([c["x0"], c["x1"]])
        cols.sort()
    out = []
    for cells in table:
        slots = [[] for _ in cols] if cols else [[c] for c in cells]
        if cols:
            for c in cells:
                ov = [min(c["x1"], col[1]) - max(c["x0"], col[0]) for col in cols]
                k = max(range(len(cols)), key=lambda i: ov[i])
                if ov[k] <= 0:  # nearest column by centre
                    cx = (c["x0"] + c["x1"]) / 2
                    k = min(range(len(cols)), key=lambda i: abs((cols[i][0] + cols[i][1]) / 2 - cx))
                slots[k].append(c)
            if len([s for s in slots if s]) < 2:  # a section label row ("Gender"): no grid
                slots = [[c] for c in cells]
        pieces = []
        for si, slot in enumerate(slots):
            if si:  # "A | B", "| B" (empty first cell), "A |" (empty last cell)
                pieces.append((" |" if si > 1 or slots[0] else "|", None))
                if slot:
                    pieces.append((" ", None))
            lines = sorted((l for c in slot for l in c["lines"]), key=lambda l: (l.base, l.x0))
            for li, l in enumerate(lines):
                if li:
                    pieces.append((" ", None))
                pieces.extend(l.render())
        out.append(pieces)
    return out, foot


def _finish(blocks, body, page1_lines, page1_meta, pages) -> Document:
    # flatten floats
    flat = []
    for b in blocks:
        if b.kind == "float":
            fb = b.float
            for nb in fb.get("notes", []):
                flat.append(("footnote", nb.pieces, nb.page, nb))
            if fb["caption"] is not None:
                flat.append(("caption", fb["caption"].pieces, fb["caption"].page, fb["caption"]))
            if fb["rows"]:
                rows, foot = _table_text(fb["rows"])
                tp = []
                for r in rows:
                    if tp:
                        tp.append(("\n", None))
                    tp.extend(r)
                if tp:
                    flat.append(("table", tp, fb["page"], None))
                if foot:
                    fbk = Block("footnote", foot[0], foot[0].page)
                    for l in foot:
                        fbk.add_line(l, {}, Counter())
                    flat.append(("footnote", fbk.pieces, fbk.page, fbk))
        else:
            flat.append((b.kind, b.pieces, b.page, b))

    # front matter on page 1: title, authors, the blocks before the abstract
    meta = _empty_meta()
    back = []
    keep = []
    p1 = [i for i, f in enumerate(flat) if f[2] <= min(3, len(pages)) and f[0] in ("para", "heading")]
    title_i = None
    cands = [i for i in p1 if len(_txt(flat[i][1])) >= 20 and furniture_kind(_txt(flat[i][1])) is None]
    if cands:
        title_i = max(cands, key=lambda i: (round(flat[i][3].size), -flat[i][2], len(_txt(flat[i][1]))))
        if flat[title_i][3].size < body + 2:
            title_i = None
    drop = set()
    abstract_i = None
    if title_i is not None:
        meta["title"] = _txt(flat[title_i][1]).strip()
        for i in p1:
            if i < title_i:
                drop.add(i)
        tpage = flat[title_i][2]
        after = [i for i, f in enumerate(flat) if i > title_i and f[2] <= tpage + 2 and f[0] in ("para", "heading")]
        abs_h = [i for i in after if flat[i][0] == "heading" and re.match(r"^\W*abstract\W*$", _txt(flat[i][1]).strip(), re.I)]
        if abs_h:
            after = [i for i in after if i <= abs_h[0]]
        for n_i, i in enumerate(after):
            kind, pcs, _, blk = flat[i]
            t = _txt(pcs).strip()
            if kind == "heading" and SECTION_RE.match(t):  # the body starts (no abstract)
                abstract_i = i
                break
            if kind == "heading" and re.match(r"^abstract\b", t, re.I):
                drop.add(i)
                abstract_i = i
                break
            fk = furniture_kind(t)
            if kind == "heading" and n_i > 0 and fk is None and not abs_h:
                abstract_i = i
                break
            if fk is None and kind == "para" and _abstract_like(t):
                abstract_i = i
                break
            if n_i == 0 and fk is None and _names_like(t):
                meta["authors"] = _authors(t)
            if fk == "front" and LICENCE_RE.match(t):
                back.append({"kind": "licence", "text": t, "page": 1})
            elif fk == "front" and t.lower().startswith(("correspondence", "*")):
                back.append({"kind": "correspondence", "text": t, "page": 1})
            drop.add(i)
    # metadata from page-1 furniture
    joined1 = "\n".join(page1_lines)
    m = DOI_RE.search(joined1)
    if m:
        meta["doi"] = m.group(1)
    for k, v in page1_meta.items():
        meta[k] = meta[k] or v
    if meta["year"] is None:
        ys = [int(y) for y in YEAR_RE.findall(joined1)]
        if ys:
            meta["year"] = Counter(ys).most_common(1)[0][0]

    # body: furniture paragraphs out, back-matter sections out
    section_back = None
    parts, boxes, out_blocks = [], [], []
    pos = 0
    for i, (kind, pcs, page, blk) in enumerate(flat):
        if i in drop:
            continue
        t = _txt(pcs).strip()
        if not t:
            continue
        if kind == "footnote":
            tc = re.sub(r"^[\^\s*†‡§¶#\d,]+", "", t)
            if not any(ch.isalpha() for ch in tc):
                continue  # a lone footnote marker
            if re.search(r"creative ?commons|licen[cs]e[ds]? under|open access|^©|copyright", tc, re.I):
                back.append({"kind": "licence", "text": t, "page": page})
                continue
            if re.match(r"^(correspondence|corresponding author|e-?mail)", tc, re.I):
                back.append({"kind": "correspondence", "text": t, "page": page})
                continue
            if furniture_kind(tc) or furniture_kind(t):
                continue
        fk = furniture_kind(t) if kind in ("para", "heading") else None
        if fk in ("stamp", "journal", "type") and len(t) < 200:
            continue
        if fk == "front" and kind == "para" and (abstract_i is None or i < abstract_i + 3 or page == 1):
            if LICENCE_RE.match(t):
                back.append({"kind": "licence", "text": t, "page": page})
            continue
        if kind == "heading" or (kind == "para" and len(t) < 60 and not t.endswith(".")):
            bk = back_matter_kind(t)
            if bk:
                section_back = {"kind": bk, "text": "", "page": page, "heading": t}
                back.append(section_back)
                continue
            if section_back is not None and section_back["kind"] != "references" and kind == "heading":
                section_back = None
        if section_back is not None and kind in ("para", "heading"):
            section_back["text"] = (section_back["text"] + "\n" + t).strip()
            continue
        if parts:
            parts.append(("\n\n", None))
            pos += 2
        start = pos
        for p in pcs:
            if p[0]:
                parts.append(p)
                pos += len(p[0])
        end = pos
        if kind in ("heading", "caption", "table", "footnote"):
            out_blocks.append({"kind": kind, "raw_start": start, "raw_end": end})
    if parts:
        parts.append(("\n", None))  # the text ends with a newline, like a text file
    raw = "".join(p[0] for p in parts)
    bx = []
    for t, b in parts:
        bx.extend([b] * len(t))
    for b in back:
        b.pop("heading", None)
    if not raw.strip():
        raise InputError("no text layer (scanned or image-only PDF); OCR it first")
    return Document(raw=raw, boxes=bx, metadata=meta, back_matter=back, blocks=out_blocks)


def _page1_meta(page1_lines) -> dict:
    """Journal and year from the page-1 furniture lines (patterns/pdf/metadata.jsonl)."""
    meta = {}
    for _, rx in _patterns("pdf/metadata.jsonl"):
        for line in page1_lines:
            mm = rx.search(line.strip())
            if mm:
                gd = mm.groupdict()
                if gd.get("journal") and not meta.get("journal"):
                    meta["journal"] = gd["journal"].strip()
                if gd.get("year") and not meta.get("year"):
                    meta["year"] = int(gd["year"])
    return meta


def _txt(pcs) -> str:
    return "".join(t for t, _ in pcs)


def _abstract_like(t: str) -> bool:
    """Running sentences, not an author list or an affiliation."""
    words = [w for w in t.split() if w[:1].isalpha()]
    if len(words) < 10:
        return False
    lower = sum(w[0].islower() for w in words) / len(words)
    return lower >= 0.5 and t.count(",") / len(words) < 0.2


def _names_like(t: str) -> bool:
    toks = [w for w in re.findall(r"[^\W\d_][\w’'.-]*", t) if w.lower() not in ("and", "et", "al", "de", "van", "von", "der")]
    return bool(toks) and len(t) < 600 and sum(w[0].isupper() for w in toks) / len(toks) >= 0.7


def _authors(t: str) -> list:
    t = re.sub(r"\^[\w*†‡§]+(?:,(?=\S)[\w*†‡§]+)*", "", t)
    t = re.sub(r"[\d*†‡§]+(?=,|\s|$)", "", t)
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", t)
    return [re.sub(r"\s+", " ", n).strip(" ,") for n in names if len(n.strip()) > 2][:50]
