"""Stage 2: repair the text, keeping every character's provenance.

Both paths (``doc.source['format']``):

* **text** (raw extracted text, hard-wrapped): unicode; layout (``reflow``: running headers and
  front matter out, paragraphs reflowed, line-end hyphens decided, captions and the glossary
  footnote moved after the paragraph they interrupt); word repairs.
* **pdf** (the PDF reader already gives one paragraph per line): unicode and word repairs only;
  the reader's blocks get text coordinates. Text that is already one paragraph per line on the
  text path is treated the same way.

Word repairs (``words``): lost exponents in scientific notation, split words rejoined, glued
words split. Then sections with their case (``sections``), the glossary parsed into
``abbreviations``, and ``blocks`` (title, headings, captions, glossary) as text ranges.
Every edit goes through :meth:`Document.replace` / :meth:`Document.splice`.
"""
from __future__ import annotations

import re

import numpy as np

from ..document import Document
from .reflow import caption_label_only, float_start, is_hard_wrapped, layout, split_lines, SENT_END, NEW_START
from .sections import GLOSSARY_HEAD, build_sections, looks_like_heading, parse_glossary, in_lexicon
from .chars import char_edits
from .words import Vocab, glued_word_edits, split_word_edits, superscript_edits


def cleanup(doc: Document) -> Document:
    fmt = doc.source.get("format")
    doc.replace(char_edits(doc.text))
    marks: list[dict] = []  # blocks as raw ranges, turned into text ranges at the end
    reflowed = False
    lines = split_lines(doc.text) if fmt != "pdf" else None
    if lines is not None and is_hard_wrapped(lines):
        marks = _reflow(doc, lines)
        reflowed = True
    else:
        _strip_outer_space(doc)
    vocab = Vocab(doc.text)
    doc.replace(superscript_edits(doc.text))
    doc.replace(split_word_edits(doc.text, vocab))
    if reflowed or fmt == "pdf":  # glue is an extraction defect: leave typed text alone
        doc.replace(glued_word_edits(doc.text, vocab))
    _finish(doc, marks, reflowed)
    if doc.text and not doc.text.endswith("\n"):
        doc.splice([(0, len(doc.text)), "\n"])  # a text file ends with one newline
    return doc


def _strip_outer_space(doc: Document):
    t = doc.text
    s, e = len(t) - len(t.lstrip()), len(t.rstrip(" \t"))
    if s or e < len(t):
        doc.splice([(s, e)])


def _reflow(doc: Document, lines) -> list[dict]:
    text = doc.text
    pieces, log, info = layout(text, Vocab(text), lines)
    off = doc.offsets

    def raw(i):  # current-text position -> raw offset
        if i < len(off):
            return off[i]
        return off[-1] + 1 if off else 0

    for r in log:
        r["source_start"], r["source_end"] = raw(r["source_start"]), raw(r["source_end"])
        if r["source_end"] < r["source_start"]:
            r["source_end"] = r["source_start"]
    marks = []
    for b in info["blocks"]:
        ls = b["lines"]
        if b["kind"] == "paragraph":
            continue
        if ls:
            marks.append({"kind": b["kind"], "raw": (off[ls[0].start], off[ls[-1].end - 1] + 1)})
    for k, v in info["metadata"].items():
        if v and not doc.metadata.get(k):
            doc.metadata[k] = v
    doc.back_matter.extend(info["back_matter"])
    doc.splice(pieces, log=log)
    return marks


def _text_ranges(doc: Document, spans: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """Text range of the characters whose raw offset falls in each raw span."""
    out = []
    if not spans:
        return out
    # per character: the span among the (up to) three latest-starting ones at or before its raw
    # offset that contains it; numpy over the whole text (a Python loop per character was a
    # third of cleanup, issue 14)
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    starts = np.array([spans[k][0] for k in order], dtype=np.int64)
    ends = np.array([spans[k][1] for k in order], dtype=np.int64)
    off = np.asarray(doc.offsets, dtype=np.int64)
    j = np.searchsorted(starts, off, side="right") - 1
    found = np.full(len(off), -1, dtype=np.int64)
    for back in range(3):  # spans do not overlap much; check the nearest few
        jj = j - back
        ok = jj >= 0
        jc = np.where(ok, jj, 0)
        hit = ok & (found < 0) & (starts[jc] <= off) & (off < ends[jc])
        found[hit] = jc[hit]
    idx = np.flatnonzero(found >= 0)
    firsts = [None] * len(spans)
    lasts = [None] * len(spans)
    if len(idx):
        span_of = found[idx]
        uniq, first_pos = np.unique(span_of, return_index=True)
        _, last_pos = np.unique(span_of[::-1], return_index=True)
        for u, f, l in zip(uniq.tolist(), idx[first_pos].tolist(), idx[len(idx) - 1 - last_pos].tolist()):
            firsts[order[u]] = f
            lasts[order[u]] = l + 1
    t = doc.text
    for k in range(len(spans)):
        a, b = firsts[k], lasts[k]
        if a is None:
            out.append(None)
            continue
        while a < b and t[a].isspace():  # inserted separators map to the next kept character
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        out.append((a, b) if b > a else None)
    return out


def _finish(doc: Document, marks: list[dict], reflowed: bool):
    text = doc.text
    blocks: list[dict] = []
    if reflowed:
        rngs = _text_ranges(doc, [m["raw"] for m in marks])
        for m, r in zip(marks, rngs):
            if r:
                blocks.append({"kind": m["kind"], "start": r[0], "end": r[1]})
    else:
        reader = [b for b in doc.blocks if "raw_start" in b]
        rngs = _text_ranges(doc, [(b["raw_start"], b["raw_end"]) for b in reader])
        for b, r in zip(reader, rngs):
            if r:
                b["start"], b["end"] = r
        blocks = _line_blocks(doc, has_reader_headings=any(b.get("kind") == "heading" for b in reader))
    # glossary blocks anywhere (the reader calls it a footnote, or a paragraph)
    for s, e in _paragraphs(text):
        if GLOSSARY_HEAD.match(text[s:e]) and not any(b["kind"] == "glossary" and b["start"] == s
                                                      for b in blocks + doc.blocks):
            blocks.append({"kind": "glossary", "start": s, "end": e})
    if reflowed:
        doc.blocks = sorted(blocks, key=lambda b: b["start"])
    else:
        doc.blocks = sorted([b for b in doc.blocks if b.get("start") is not None] + blocks
                            + [b for b in doc.blocks if b.get("start") is None],
                            key=lambda b: (b.get("start") is None, b.get("start") or 0))
    # abbreviations from the glossary
    abbr = []
    for b in doc.blocks:
        if b.get("kind") == "glossary" and b.get("start") is not None:
            abbr.extend(parse_glossary(text[b["start"]:b["end"]]))
    if abbr:
        doc.abbreviations = abbr
    # sections
    heads = sorted({(b["start"], b["end"]) for b in doc.blocks
                    if b.get("kind") == "heading" and b.get("start") is not None})
    title = next((b for b in doc.blocks if b.get("kind") == "title"), None)
    abstract = None
    if title is not None:
        a_start = _next_block_start(text, title["end"])
        a_end = heads[0][0] if heads else len(text)
        if a_start is not None:
            while a_end > a_start and text[a_end - 1] in "\n ":
                a_end -= 1
            if a_end > a_start:
                abstract = (a_start, a_end)
    doc.sections = build_sections(text, heads, abstract)
    if not doc.metadata.get("title") and title is not None:
        doc.metadata["title"] = text[title["start"]:title["end"]]


_NON_SPACE = re.compile(r"\S")


def _next_block_start(text: str, pos: int) -> int | None:
    m = _NON_SPACE.search(text, pos)
    return m.start() if m else None


def _paragraphs(text: str):
    for m in re.finditer(r"[^\n]+", text):
        yield m.start(), m.end()


def _line_blocks(doc: Document, has_reader_headings: bool) -> list[dict]:
    """Blocks of text that is already one paragraph per line: title (first line), headings,
    caption labels/captions. Reader headings win over the shape test."""
    text = doc.text
    paras = list(_paragraphs(text))
    out = []
    if not paras:
        return out
    covered = {(b["start"], b["end"]) for b in doc.blocks if b.get("start") is not None}
    first = paras[0]
    t0 = text[first[0]:first[1]]
    if not float_start(t0) and not in_lexicon(t0):
        out.append({"kind": "title", "start": first[0], "end": first[1]})
    for k, (s, e) in enumerate(paras):
        t = text[s:e]
        if k == 0 and out:
            continue
        fk = float_start(t)
        if fk == "caption":
            label_only = caption_label_only(t.strip())
            if (s, e) not in covered:
                out.append({"kind": "caption_label" if label_only else "caption", "start": s, "end": e})
            if label_only and k + 1 < len(paras) and paras[k + 1] not in covered:
                out.append({"kind": "caption", "start": paras[k + 1][0], "end": paras[k + 1][1]})
            continue
        if has_reader_headings or fk:
            continue
        if not looks_like_heading(t):
            continue
        prev = text[paras[k - 1][0]:paras[k - 1][1]] if k else ""
        nxt = text[paras[k + 1][0]:paras[k + 1][1]] if k + 1 < len(paras) else ""
        if not nxt or not (NEW_START.match(nxt) or looks_like_heading(nxt)):
            continue
        if prev and not (SENT_END.search(prev) or prev.endswith(":") or looks_like_heading(prev)
                         or k == 1):
            continue
        out.append({"kind": "heading", "start": s, "end": e})
    return out
