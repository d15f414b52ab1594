"""Text path layout: hard-wrapped extracted text -> one paragraph per line, blocks separated by a
blank line, with running headers dropped, front matter taken out, and floats (captions,
footnotes) moved after the paragraph they interrupt.

The paragraph rule is the one of pdftotext-style reflow (and of the "line-fit" heuristic used by
GROBID-like tools): a line ends its paragraph when it ends a sentence and the next line's first
word would have fitted on it (the break was the author's, not the typesetter's). Widths are
estimated with Helvetica advance widths, so "CD34, CD38, CD99" counts wider than "illicit".
A line also ends its paragraph at a heading, a float, or a wider blank gap than the document's
usual line separator.

Everything is returned as splice pieces of the current text plus a repair log, so
:meth:`Document.splice` keeps each character's offset in the input.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .sections import TERMINAL, in_lexicon, looks_like_heading
from .hyphens import dehyphenate
from .matter import back_matter_kind, kept_as, label_kind
from .words import Vocab
from .front import (SENT_END, caption_label_only, float_start, front_matter,  # noqa: F401
                    header_lines, _mark_labels)
from .textlines import Line

FIT = 0.97  # the next word fits in this share of the line capacity: the break was the author's
NEW_START = re.compile(r"^[A-Z0-9(\[\"“‘'•]")

# Helvetica advance widths (1/1000 em) for the width estimate; others count as 556.
_W = dict(zip(" abcdefghijklmnopqrstuvwxyz", [278, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222,
                                               500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556,
                                               500, 722, 500, 500, 500]))
_W.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
                                             556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667,
                                             944, 667, 667, 611]))
_W.update({".": 278, ",": 278, ":": 278, ";": 278, "(": 333, ")": 333, "-": 333, "/": 278, "'": 191,
           "%": 889, "[": 278, "]": 278, "’": 222, "–": 556, "—": 1000, "+": 584, "×": 584, "!": 278})


def width(s: str) -> float:
    return sum(_W.get(c, 556) for c in s) / 1000.0


@dataclass
class Float:
    kind: str  # caption | glossary | back_matter
    lines: list = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    lines = []
    pos, nl = 0, 1
    for raw in text.split("\n"):
        s = pos + (len(raw) - len(raw.lstrip()))
        e = pos + len(raw.rstrip())
        if e > s:
            lines.append(Line(len(lines), s, e, text[s:e], s - pos, nl))
            nl = 1
        else:
            nl += 1
        pos += len(raw) + 1
    return lines


def is_hard_wrapped(lines: list[Line]) -> bool:
    """Raw extracted text (lines broken inside sentences) rather than one paragraph per line."""
    long = [l for l in lines if len(l.text) >= 30]
    if len(long) < 5:
        return False
    open_ends = sum(1 for l in long if not TERMINAL.search(l.text))
    return open_ends / len(long) > 0.4 and statistics.median(len(l.text) for l in long) < 200


# ---------------------------------------------------------------------------------------------
def layout(text: str, vocab: Vocab | None = None, lines: list[Line] | None = None):
    """Plan the reflow of hard-wrapped ``text`` (``lines``: its :func:`split_lines`, if the caller
    has them already; they are marked in place).

    Returns (pieces, log, info): splice pieces, repairs, and info with ``metadata`` (title,
    authors), ``headings`` / ``blocks`` as indices into the output blocks, ``dropped`` lines."""
    vocab = vocab or Vocab(text)
    lines = split_lines(text) if lines is None else lines
    info = {"metadata": {}, "blocks": [], "back_matter": []}
    if not lines:
        return [(0, len(text))], [], info
    for idx in header_lines(lines):
        lines[idx].kind = "header"
    _mark_labels(lines)
    title, authors, front = front_matter(lines)
    for i in title:
        lines[i].kind = "title"
    for i in front:
        lines[i].kind = "front"
    body_w = _body_widths(lines)
    cap = _capacity(body_w)
    sep_norm = _usual_sep(lines)
    floats = _find_floats(lines, sep_norm)
    _mark_headings(lines, cap)

    # -- assemble blocks ------------------------------------------------------------------
    blocks: list[dict] = []  # {"kind", "lines": [Line], "joins": [...]}
    log: list[dict] = []
    para: list[Line] = []
    pending: list[Float] = []

    def close():
        nonlocal para, pending
        if para:
            blocks.append({"kind": "paragraph", "lines": para})
        for f in pending:
            _emit_float(f, blocks)
        para, pending = [], []

    if title:
        blocks.append({"kind": "title", "lines": [lines[i] for i in title]})
        info["metadata"]["title"] = _plain_join([lines[i].text for i in title])
    if authors:
        info["metadata"]["authors"] = authors
    seen_floats = set()
    for l in lines:
        if l.kind in ("title",):
            continue
        if l.kind in ("header", "front", "drop"):
            log.append(_drop_log(l, "header" if l.kind == "header" else "front_matter"))
            if l.kind in ("front", "drop") and para:
                close()
            continue
        if l.kind == "float":
            if l.float_id in seen_floats:
                continue
            seen_floats.add(l.float_id)
            f = floats[l.float_id]
            if para and not _ends_paragraph(para[-1], None, cap):
                pending.append(f)
            else:
                close()
                _emit_float(f, blocks)
            continue
        if l.heading:
            close()
            blocks.append({"kind": "heading", "lines": [l]})
            continue
        if para and _breaks(para[-1], l, cap, sep_norm):
            close()
        para.append(l)
    close()

    blocks = _split_back_matter(blocks, lines, info)

    # -- pieces -------------------------------------------------------------------------------
    pieces: list = []
    out_pos = 0
    for k, b in enumerate(blocks):
        if k:
            pieces.append("\n\n")
            out_pos += 2
        b_start = out_pos
        bl = b["lines"]
        for m, l in enumerate(bl):
            s, e = l.start, l.end
            if m + 1 < len(bl):
                nxt = bl[m + 1]
                joiner, drop_hyphen = _joiner(l.text, nxt.text, vocab)
                if drop_hyphen:
                    e -= 1
                pieces.append((s, e))
                if joiner:
                    pieces.append(joiner)
                out_pos += (e - s) + len(joiner)
                kind = "dehyphenate" if drop_hyphen else "reflow"
                log.append({"kind": kind, "source_start": e, "source_end": nxt.start,
                            "before": text[e:nxt.start], "after": joiner})
            else:
                pieces.append((s, e))
                out_pos += e - s
        b["start"], b["end"] = b_start, out_pos
        if b.get("moved"):
            log.append({"kind": "move_" + ("footnote" if b["kind"] == "glossary" else b["kind"]),
                        "source_start": bl[0].start, "source_end": bl[-1].end,
                        "before": "", "after": ""})
    info["blocks"] = blocks
    return pieces, log, info


def _block_text(b: dict) -> str:
    return _plain_join([l.text for l in b["lines"]])


def _split_back_matter(blocks: list, lines: list, info: dict) -> list:
    """Back-matter sections (References, Acknowledgments, Funding, ...) and dropped
    correspondence/licence lines go to ``info['back_matter']``, not into the text."""
    keep, current = [], None
    for b in blocks:
        if b["kind"] == "heading":
            kind = back_matter_kind(b["lines"][0].text)
            if kind:
                current = {"kind": kind, "text": "", "page": None}
                info["back_matter"].append(current)
                continue
            current = None
        if current is not None and b["kind"] in ("paragraph", "heading"):
            current["text"] = (current["text"] + "\n" + _block_text(b)).strip()
            continue
        keep.append(b)
    k = 0
    while k < len(lines):  # dropped label blocks that are correspondence or licence lines
        if lines[k].kind == "drop":
            j = k + 1
            while j < len(lines) and lines[j].kind == "drop" and lines[j].sep == 1 \
                    and not label_kind(lines[j].text):
                j += 1
            t = _plain_join([l.text for l in lines[k:j]])
            kind = kept_as(t)
            if kind:
                info["back_matter"].append({"kind": kind, "text": t, "page": None})
            k = j
        else:
            k += 1
    return keep


def _drop_log(l: Line, kind: str) -> dict:
    return {"kind": kind, "source_start": l.start, "source_end": l.end, "before": l.text, "after": ""}


def _plain_join(texts: list[str]) -> str:
    out = ""
    for t in texts:
        if out and not out.endswith(("/", "-", "–")):
            out += " "
        out += t
    return out


def _body_widths(lines):
    return [width(l.text) for l in lines if l.kind == "body" and len(l.text) >= 20]


def _capacity(ws: list[float]) -> float:
    if not ws:
        return 1e9
    m = statistics.median(ws)
    col = sorted(w for w in ws if 0.6 * m <= w <= 1.4 * m)
    return col[int(0.9 * (len(col) - 1))] if col else m


def _usual_sep(lines) -> int:
    c = Counter(l.sep for l in lines if l.kind == "body")
    return c.most_common(1)[0][0] if c else 1


def _ends_paragraph(a: Line, b: Line | None, cap: float) -> bool:
    if not SENT_END.search(a.text) and not a.text.endswith(":"):
        return False
    if b is None:
        return width(a.text) < 0.8 * cap
    if not NEW_START.match(b.text):
        return False
    first = b.text.split(" ", 1)[0]
    # the capacity is an estimate (p90 of the column's line widths): only a clear fit is a break
    return width(a.text) + width(" " + first) <= cap * FIT


def _breaks(a: Line, b: Line, cap: float, sep_norm: int) -> bool:
    if b.sep > sep_norm:
        return True
    if a.text.endswith(("-", "/", "–", "—")):
        return False
    return _ends_paragraph(a, b, cap)


def _joiner(a: str, b: str, vocab: Vocab) -> tuple[str, bool]:
    """How two wrapped lines join: ('', True) drops a typesetter's hyphen; ('', False) keeps a
    real hyphen, slash or dash; (' ', False) is a word space."""
    if a.endswith("-") and not a.endswith(" -") and len(a) >= 2 and a[-2].isalnum():
        return "", dehyphenate(a[:-1], b, vocab)
    if a.endswith(("/", "–", "—", "‐")) and len(a) >= 2 and not a[-2].isspace():
        return "", False
    return " ", False


def _find_floats(lines: list[Line], sep_norm: int) -> list[Float]:
    floats = []
    n = len(lines)
    i = 0
    while i < n:
        l = lines[i]
        kind = float_start(l.text) if l.kind == "body" else None
        if not kind:
            i += 1
            continue
        f = Float(kind, [l])
        label_only = kind == "caption" and caption_label_only(l.text)
        content = [] if label_only else [l]
        j = i + 1
        internal_sep = None
        while j < n and j - i < 80:
            m = lines[j]
            if m.kind != "body" or float_start(m.text) or (in_lexicon(m.text) and looks_like_heading(m.text)):
                break
            if content:
                if m.indent > 0 and m.sep == 1:
                    break
                if internal_sep is None:
                    internal_sep = m.sep
                elif m.sep != internal_sep:
                    break
                if len(content) >= 2 and SENT_END.search(content[-1].text):
                    fw = statistics.median(width(c.text) for c in content)
                    if width(content[-1].text) < 0.8 * fw:
                        break
            f.lines.append(m)
            content.append(m)
            j += 1
        for m in f.lines:
            m.kind = "float"
            m.float_id = len(floats)
        floats.append(f)
        i = j
    return floats


def _emit_float(f: Float, blocks: list):
    ls = f.lines
    if f.kind == "caption" and len(ls) > 1 and caption_label_only(ls[0].text):
        blocks.append({"kind": "caption_label", "lines": [ls[0]], "moved": False})
        blocks.append({"kind": "caption", "lines": ls[1:], "moved": True})
    else:
        blocks.append({"kind": f.kind, "lines": ls, "moved": True})


def _mark_headings(lines: list[Line], cap: float):
    seq = [l for l in lines if l.kind == "body"]
    for k, l in enumerate(seq):
        if not looks_like_heading(l.text):
            continue
        prev = _prev_context(lines, l)
        nxt = seq[k + 1] if k + 1 < len(seq) else None
        if nxt is not None and not (NEW_START.match(nxt.text) or looks_like_heading(nxt.text)):
            continue
        if prev is not None and prev.kind == "body" and not prev.heading:
            if not (SENT_END.search(prev.text) or prev.text.endswith(":")):
                continue
        lex = in_lexicon(l.text)
        if not lex and width(l.text) > 0.75 * cap:
            continue
        if not lex and nxt is None:
            continue
        l.heading = True


def _prev_context(lines, l):
    """The line before ``l`` that is part of the flow (headers and floats skipped)."""
    for m in reversed(lines[:l.idx]):
        if m.kind not in ("header", "float"):
            return m
    return None
