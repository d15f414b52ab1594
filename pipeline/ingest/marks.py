"""Page analysis: what each line of a page is (text, caption, table, chart, footnote, header, drop).

Captions by their label and size; the table rows under a table caption; chart text (axis labels,
legends) inside the graphics box above a figure caption; footnotes as small lines under a gap at
the foot of a column; running headers as margin lines repeated across pages (digits ignored) or
matching the furniture patterns (``patterns/text/furniture.jsonl``); manuscript line numbers.
"""
from __future__ import annotations

import re
from collections import Counter

from ..cleanup.matter import furniture_kind
from .columns import _pct
from .settings import SETTINGS as S


CAPTION_RE = re.compile(r"^\s*(Fig(?:ure)?\.?|FIGURE|FIG\.?|Table|TABLE)\s*(\d+|[IVX]+)[A-Za-z]?\s*([:.|]|\s|$)")


TABLE_CAP_RE = re.compile(r"^\s*(Table|TABLE)\b")


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
        if (_running(l, body) and l.x0 < cap.x1 and l.x1 > cap.x0) or CAPTION_RE.match(txt[id(l)]):
            region_top = l.bottom
            break
    gr = [g for g in graphics if g[1] >= region_top - 2 and g[3] <= cap.top + 2 and g[3] - g[1] < 2000]
    gtop = None
    if gr:
        fx0, fx1 = min(g[0] for g in gr), max(g[2] for g in gr)
        fx0, fx1 = min(fx0, cap.x0), max(fx1, cap.x1)
        gtop = min(g[1] for g in gr)
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
            # a body-size label inside the drawing ("Time Of Day", panel titles) is chart text
            # too; a short line above the drawing (the end of the paragraph above) is not
            if _running(l, body) or gtop is None or (l.top + l.bottom) / 2 < gtop - 2 \
                    or (l.col != cap.col and cap.col != "F"):
                continue
        l.kind = "chart"


def _running(l, body) -> bool:
    """A line of running text rather than a label: body size, 25 glyphs or more, mostly letters
    (a chart's "0 am 6 am 12 pm 8 pm 0 am" axis is not)."""
    gl = l.glyphs
    return l.size >= body - 0.4 and len(gl) >= 25 and sum(g.text.isalpha() for g in gl) >= 0.6 * len(gl)


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
            if l.top < S.header_top * h or l.bottom > S.header_bottom * h:
                s = _sig(l.text())
                if s not in seen:
                    sig[s] += 1
                    seen.add(s)
    jsig = _sig(journal) if journal else None
    for lines, h in zip(pages, height):
        for l in lines:
            if l.top < S.header_top * h or l.bottom > S.header_bottom * h:
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
