"""Ordered lines -> blocks (headings, paragraphs, floats) -> the article :class:`Document`.

A line continues the paragraph above unless a gap, an indent, a size change or an early line
end (the next line's first word would have fitted: the break was the author's) says otherwise;
captions and tables are queued until the paragraph they interrupt ends. Line-end hyphens are
decided by the one rule of both paths (:func:`pipeline.cleanup.hyphens.dehyphenate`).
"""
from __future__ import annotations

import re
from collections import Counter

from ..cleanup.hyphens import dehyphenate
from ..cleanup.matter import back_matter_kind
from ..cleanup.words import Vocab
from ..document import Document
from .columns import assign_columns, find_gutter, merge_row_fragments, reading_order, region_columns
from .front import _page1_meta, finish
from .lines import Line
from .marks import _bounds, _mark_floats, _mark_footnotes, _mark_headers, _mark_line_numbers
from .settings import SETTINGS as S
from .tables import _table_text


LIST_RE = re.compile(r"^\s*(\(\d+\)|\(?([a-z]|[ivx]{2,4})\)|\d+\)|[•·▪–-]\s)")  # (1) a) (iv) 2) •


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
        return "".join([t for t, _ in self.pieces])

    def tail(self, n: int) -> str:
        """The text's last ``n`` characters or more (the whole text when shorter), without
        joining the whole block on every line added (that was quadratic in block length)."""
        pcs = self.pieces
        chunk = "".join([t for t, _ in pcs[-n:]])  # pieces are single characters as a rule
        if len(chunk) >= n or len(pcs) <= n:
            return chunk
        out, size = [], 0
        for t, _ in reversed(pcs):
            out.append(t)
            size += len(t)
            if size >= n:
                break
        return "".join(reversed(out))

    def add_line(self, line, bounds, vocab):
        pieces = line.render()
        while pieces and pieces[0][0] == " ":
            pieces.pop(0)
        if not pieces:
            return
        if self.pieces:
            prev = self.tail(81)  # the tests below read prev[-80:-1] at most
            first = pieces[0][0]
            if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and first.isalpha():
                if dehyphenate(prev[-80:-1], "".join(t for t, _ in pieces[:40]), vocab):
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
    columns = []  # per page: 2 when a gutter splits it or one of its regions, else 1 (the layout report)
    region_cols = []  # per page: 1 or 2 per horizontal band, top to bottom
    for lines, w, h, gr in zip(pages, widths, heights, graphics):
        gutter = find_gutter([l for l in lines if l.kind == "text" and l.size >= body - 1.2], w)
        if gutter is None:  # columns of small print (reference lists)
            gutter = find_gutter([l for l in lines if l.kind == "text"], w)
            if gutter is None:  # a short column beside a long one (the last lines of the references)
                gutter = find_gutter([l for l in lines if l.kind == "text"], w, S.gutter_min_side_short,
                                     S.gutter_min_glyphs_short)
            if gutter is not None and not _running_text_sides(gutter, lines):  # not a page-wide table
                gutter = None
            if gutter is None:  # a side column in the margin beside one wide column (eLife, PLOS)
                gutter = find_gutter([l for l in lines if l.kind == "text"], w, S.gutter_min_side_short,
                                     S.gutter_min_glyphs_short, span=(0.15, 0.85))
                if gutter is not None and not _side_column(gutter, lines, w):
                    gutter = None
        assign_columns(lines, gutter)
        regions = region_columns(lines, w, body, gutter, _running_text_sides)
        columns.append(1 if gutter is None and not any(regions) else 2)
        region_cols.append("".join("1" if g is None else "2" for g in regions))
        lines[:] = merge_row_fragments(lines, body, gutter)
        _mark_floats(lines, body, w, gr)
        _mark_footnotes(lines, body, h)
        # column edges per region: a band with its own gutter has its own column widths
        regs = {getattr(l, "region", 0) for l in lines}
        bounds = {r: _bounds([l for l in lines if getattr(l, "region", 0) == r]) for r in regs} \
            if len(regs) > 1 else {0: _bounds(lines)}
        for l in reading_order(lines):
            ordered.append((l, bounds[getattr(l, "region", 0)]))
    # document vocabulary for dehyphenation (words printed whole somewhere)
    vocab = Vocab("\n".join(l.text() for l, _ in ordered))

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
            rest.runin = True  # starts after its run-in heading: its x0 is no paragraph indent
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
    flat = _group_equations(_promote_headings(_flatten(blocks)))
    doc = finish(flat, body, page1_lines, page1_meta, pages)
    doc.layout = _layout_stats(pages, columns, [flat[i] for i in getattr(doc, "kept_paragraphs", [])], flat)
    doc.layout["regions"] = region_cols
    return doc


HEADING_END_RE = re.compile(r"([.,;:!?\-–]|\b(the|a|an|of|to|in|on|and|or|with|for|by|at|from|as|is|was|were|that))$", re.I)


def _promote_headings(flat) -> list:
    """Unnumbered or numbered subheadings set in the body face ("Data quality and demographics",
    "2.1. Lysosomotropic Amines") come out as one-line paragraphs; they are headings when the
    text around them says so: one line of at most 12 words starting with a capital (or a section
    number), not ending in punctuation or a function word, between a block that ends a sentence
    (or a heading) and a paragraph that starts with a capital. A line cut from its paragraph
    fails one of these (it ends in "to", or the next block continues in lower case)."""
    text_i = [i for i, f in enumerate(flat) if f[0] in ("para", "heading")]
    out = list(flat)
    for n, i in enumerate(text_i):
        kind, pcs, page, blk = flat[i]
        if kind != "para" or blk is None or len(blk.lines) != 1:
            continue
        t = "".join(t for t, _ in pcs).strip()
        words = t.split()
        if not words or len(words) > 12 or len(t) > 100 or HEADING_END_RE.search(t) or "^" in t:
            continue
        if not re.match(r"^((\d+\.)+\d*\s+)?[A-Z][a-z]", t):
            continue
        if n + 1 >= len(text_i):
            continue
        nk, npcs, _, nblk = flat[text_i[n + 1]]
        nt = "".join(t for t, _ in npcs).lstrip()
        if nk != "para" or not nt[:1].isupper() or (nblk is not None and len(nblk.lines) < 2):
            continue
        if n > 0 and not re.match(r"^(\d+\.)+\d*\s", t):  # a section number is evidence enough
            pk, ppcs, _, _ = flat[text_i[n - 1]]
            pt = "".join(t for t, _ in ppcs).rstrip()
            if pk == "para" and not pt.endswith((".", "!", "?", ":", ")")):
                continue
        blk.kind = "heading"
        out[i] = ("heading", pcs, page, blk)
    return out


def _side_column(gutter, lines, width) -> bool:
    """A margin column (notes, correspondence, dates) beside one wide column of running text: the
    narrow side is at most a third of the page wide and holds 5 lines or more, the wide side
    carries running text (25+ glyphs per line on average)."""
    sides = ([l for l in lines if l.x1 <= gutter and l.kind == "text"],
             [l for l in lines if l.x0 >= gutter and l.kind == "text"])
    if not all(sides):
        return False
    narrow, wide = sorted(sides, key=lambda side: max(l.x1 for l in side) - min(l.x0 for l in side))
    if not (max(l.x1 for l in narrow) - min(l.x0 for l in narrow) < width / 3 and len(narrow) >= 5
            and sum(len(l.glyphs) for l in wide) / len(wide) >= 25):
        return False
    # not the value column of a table: words rather than numbers, on baselines of their own
    glyphs = [g for l in narrow for g in l.glyphs]
    if sum(g.text.isalpha() for g in glyphs) < 0.5 * len(glyphs):
        return False
    bases = [l.base for l in wide]
    shared = sum(any(abs(l.base - b) < 1.0 for b in bases) for l in narrow)
    return shared < 0.5 * len(narrow)


MATH_RE = re.compile(r"[=∑∫√∏∂≤≥≈±∕→∞∝∇−×]|^\(\d+[a-z]?\)$|[α-ωΑ-Ω]")


def _math_like(t: str) -> bool:
    """A display-equation piece: a math sign or Greek letter or an equation number "(3)", or a
    stray one- to four-character fragment (an index set apart from its symbol), with at most two
    words of four letters and no sentence end."""
    if not t or len(t) > 120 or t.endswith((".", "?", "!")):
        return False
    if len(re.findall(r"[^\W\d_]{4,}", t)) > 2:
        return False
    return bool(MATH_RE.search(t)) or len(t) <= 4


def _group_equations(flat) -> list:
    """Display equations come out as one-line fragments (numerator, fraction bar, indices, the
    number at the margin). A run of consecutive math-like one- or two-line paragraphs with at
    least one math sign is joined into one block of kind ``equation``: it stays in the text (one
    paragraph) and is not counted as a paragraph cut from its text."""
    out, run = [], []

    def flush():
        if run and any(MATH_RE.search("".join(t for t, _ in f[1])) for f in run):
            pieces = []
            for f in run:
                if pieces:
                    pieces.append((" ", None))
                pieces.extend(p for p in f[1] if p[0])
            out.append(("equation", pieces, run[0][2], None))
        else:
            out.extend(run)
        run.clear()

    for f in flat:
        kind, pcs, page, blk = f
        t = "".join(t for t, _ in pcs).strip()
        if kind == "para" and blk is not None and len(blk.lines) <= 2 and _math_like(t):
            run.append(f)
            continue
        flush()
        out.append(f)
    flush()
    return out


def _running_text_sides(gutter, lines) -> bool:
    """Both sides of a gutter carry running text (25+ glyphs per line on average), not table cells."""
    sides = ([l for l in lines if l.x1 <= gutter], [l for l in lines if l.x0 >= gutter])
    return all(side and sum(len(l.glyphs) for l in side) / len(side) >= 25 for side in sides)


def _layout_stats(pages, columns, kept, flat) -> dict:
    """What the layout report prints: columns per page, line kinds removed, blocks by kind and
    one-line paragraphs (a paragraph of a single layout line is usually a line cut from its
    paragraph, a chart label or a stray caption line: the layout went wrong there)."""
    kinds = Counter(l.kind for lines in pages for l in lines)
    blocks = Counter(f[0] for f in flat if f[0] != "para")
    blocks["para"] = len(kept)
    one_line = [f for f in kept if f[3] is not None and len(f[3].lines) == 1
                and not _txt_end(f[3]).endswith((".", ":", "?", "!"))]
    return {"columns": columns, "line_kinds": dict(kinds), "blocks": dict(blocks),
            "one_line_paragraphs": len(one_line),
            "one_line_examples": ["".join(t for t, _ in f[1])[:80] for f in one_line[:5]],
            "one_line_pages": sorted(Counter(f[2] for f in one_line).items())}


def _txt_end(block) -> str:
    return "".join(t for t, _ in block.pieces).rstrip()


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
        if indented and not (abs(l.x0 - prev.x0) < 1.0) and not (getattr(prev, "runin", False) and l.x0 < prev.x0):
            return False  # an indented first line (not the line after a run-in heading's line)
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


def _first_word_width(l: Line) -> float:
    gl = l.glyphs
    end = gl[0].x1
    for a, b in zip(gl, gl[1:]):
        if b.x0 - a.x1 > S.space_gap * a.size or b.space_before:
            break
        end = b.x1
    return end - gl[0].x0


def _flatten(blocks) -> list:
    """Blocks with each float expanded into its footnotes, caption, table text and table notes."""
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
                        fbk.add_line(l, {}, Vocab(""))
                    flat.append(("footnote", fbk.pieces, fbk.page, fbk))
        else:
            flat.append((b.kind, b.pieces, b.page, b))
    return flat
