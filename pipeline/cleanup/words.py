"""Word-level repairs of extracted text: split words, glued words and lost superscripts in
scientific notation (line-end hyphens: :mod:`.hyphens`; characters: :mod:`.chars`).

Each function returns non-overlapping edits ``(start, end, replacement, kind)`` for
:meth:`Document.replace`, so provenance and the ``repairs`` log stay exact.

Split and glued words are decided with a unigram language model (word probabilities from
wordfreq's Zipf scale, as in Norvig's segmenter, "Natural Language Corpus Data", 2009) plus the
document's own vocabulary: a split run of tokens is joined only when the joined word is far more
probable than the parts *and* at least one part is not a plausible word on its own, so real words
("a cute", "may be", "a t") are never glued.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..resources import alternation, load_jsonl
from .chars import superscript_digits

ZIPF_KNOWN = 3.0  # a join must be at least this frequent (or in the document's vocabulary)
JOIN_GAIN = 3.0  # log10 probability the join must win by over its parts
DOC_VOCAB_ZIPF = 3.5  # effective Zipf of a word the document uses as a whole token


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency
    return zipf_frequency(word.lower(), "en")


@lru_cache(maxsize=1)
def _short_words() -> frozenset:
    rows = load_jsonl("cleanup/short_words.jsonl")
    return frozenset(r["word"] for r in rows)


class Vocab:
    """The document's own vocabulary: lower-cased alphabetic tokens and hyphenated compounds."""

    def __init__(self, text: str):
        self.words = Counter(w.lower() for w in re.findall(r"[^\W\d_]+", text))
        self.compounds = Counter(w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", text))

    def score(self, word: str, exclude: int = 0) -> float:
        """Zipf of ``word``, raised when the document itself uses it (beyond ``exclude`` uses)."""
        z = zipf(word)
        if self.words.get(word.lower(), 0) > exclude and len(word) >= 4:
            z = max(z, DOC_VOCAB_ZIPF)
        return z

    def known(self, word: str, exclude: int = 0) -> bool:
        return self.score(word, exclude) >= ZIPF_KNOWN


def _is_fragment(tok: str) -> bool:
    """A token that is not a plausible word on its own."""
    low = tok.lower()
    if len(tok) == 1:
        return tok.islower() and low not in ("a", "i")
    if len(tok) == 2:
        return low not in _short_words()
    return zipf(low) < 3.5


def _case_ok(parts: list[str]) -> bool:
    """Joined parts must read as one word: later parts lower case, the first any case
    (but not an all-capitals acronym of two or more letters)."""
    if any(not p[0].islower() for p in parts[1:]):
        return False
    first = parts[0]
    return not (len(first) >= 2 and first.isupper())


# ---------------------------------------------------------------------------------------------
# split words: "l ikely", "Neutrophi l", "wi th revers ib l e pos ter ior"
# ---------------------------------------------------------------------------------------------
_RUN = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)+")


def split_word_edits(text: str, vocab: Vocab | None = None, max_parts: int = 5) -> list:
    vocab = vocab or Vocab(text)
    edits = []
    for m in _RUN.finditer(text):
        # a run must not continue a word glued to digits or hyphens on either side
        s, e = m.start(), m.end()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-/"):
            first_space = text.find(" ", s)
            s = first_space + 1
        if e < len(text) and (text[e].isalnum() or text[e] in "-/"):
            e = text.rfind(" ", s, e)
        if e <= s:
            continue
        toks, pos = [], s
        for t in text[s:e].split(" "):
            toks.append((pos, t))
            pos += len(t) + 1
        if len(toks) < 2:
            continue
        edits.extend(_segment_run(text, toks, vocab, max_parts))
    return edits


def _segment_run(text, toks, vocab, max_parts):
    n = len(toks)
    # best[i] = (score, groups) for toks[:i]
    best = [(0.0, [])] + [None] * n
    for i in range(1, n + 1):
        cands = []
        for k in range(1, min(max_parts, i) + 1):
            prev = best[i - k]
            if prev is None:
                continue
            parts = [t for _, t in toks[i - k:i]]
            if k == 1:
                sc = vocab.score(parts[0], exclude=1) - 9.0
            else:
                sc = _join_score(parts, vocab)
                if sc is None:
                    continue
            cands.append((prev[0] + sc, prev[1] + [(i - k, i)]))
        best[i] = max(cands, key=lambda c: c[0])
    edits = []
    for a, b in best[n][1]:
        if b - a < 2:
            continue
        start = toks[a][0]
        end = toks[b - 1][0] + len(toks[b - 1][1])
        edits.append((start, end, "".join(t for _, t in toks[a:b]), "split_word"))
    return edits


def _join_score(parts, vocab):
    """Score of joining ``parts`` into one word, or None when the join is not allowed."""
    if not _case_ok(parts):
        return None
    joined = "".join(parts)
    frags = [p for p in parts if _is_fragment(p)]
    if not frags:
        return None
    if all(len(p) == 1 for p in frags) and len(joined) < 4:
        return None  # "a t" stays "a t"
    z = vocab.score(joined)
    # a part no lexicon knows at all ("neutrophi", "ikely") lowers the bar for the join
    bar = 2.0 if any(len(p) >= 3 and zipf(p) == 0 for p in parts) else ZIPF_KNOWN
    if z < bar:
        return None
    apart = sum(vocab.score(p, exclude=1) - 9.0 for p in parts)
    if (z - 9.0) - apart < JOIN_GAIN:
        return None
    return z - 9.0


# ---------------------------------------------------------------------------------------------
# glued words: "startedatadoseof" -> "started at a dose of"
# ---------------------------------------------------------------------------------------------
_LONG = re.compile(r"(?<![\w\-/.@])[a-z]{12,}(?![\w\-/@]|\.\w)")


def glued_word_edits(text: str, vocab: Vocab | None = None, min_len: int = 12) -> list:
    """Split long alphabetic tokens that no lexicon knows into common words; only when every
    part is a common word (short parts only from a list of function words)."""
    vocab = vocab or Vocab(text)
    edits = []
    for m in _LONG.finditer(text):
        tok = m.group()
        if len(tok) < min_len or zipf(tok) > 0 or vocab.words.get(tok.lower(), 0) > 1:
            continue
        seg = segment_glued(tok)
        if seg:
            edits.append((m.start(), m.end(), " ".join(seg), "glued_word"))
    return edits


def _part_ok(p: str, floor: float = 4.0) -> float | None:
    low = p.lower()
    if len(p) <= 3:
        return zipf(low) if low in _short_words() or (len(p) == 3 and zipf(low) >= 5.0) else None
    z = zipf(low)
    return z if z >= floor else None


def segment_glued(tok: str) -> list[str] | None:
    """Common-word segmentation of ``tok``, or None. The segmentation must not change when rarer
    words are allowed too ("whichwasgivenorally" is not "which was give no rally")."""
    strict = _segment(tok, 4.0)
    if strict is None or _segment(tok, 2.0) != strict:
        return None
    return strict


def _segment(tok: str, floor: float) -> list[str] | None:
    n = len(tok)
    best: list = [(0.0, [])] + [None] * n
    for i in range(1, n + 1):
        for j in range(max(0, i - 20), i):
            if best[j] is None:
                continue
            p = tok[j:i]
            if j > 0 and not p.islower():
                continue
            z = _part_ok(p, floor)
            if z is None:
                continue
            cand = (best[j][0] + z - 9.0, best[j][1] + [p])
            if best[i] is None or cand[0] > best[i][0]:
                best[i] = cand
    if best[n] is None or len(best[n][1]) < 2:
        return None
    parts = best[n][1]
    # clearly glued prose: three or more words, one of them a short function word
    if len(parts) < 3 or not any(len(p) <= 3 and p in _short_words() for p in parts):
        return None
    if sum(zipf(p) for p in parts) / len(parts) < 4.5:
        return None
    if sum(len(p) for p in parts if len(p) >= 4) < 0.5 * len(tok):  # "trans am in it is"
        return None
    return parts


# ---------------------------------------------------------------------------------------------
# lost superscripts in scientific notation: "× 109/L" -> "× 10^9/L"
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _unit_after_power() -> str:
    units = [r["unit"] for r in load_jsonl("cleanup/count_units.jsonl")]
    return alternation(units)


@lru_cache(maxsize=1)
def _sci_patterns():
    units = _unit_after_power()
    mant = r"(?<![\w.])\d+(?:[.,]\d+)?\s*(?:[×xX✕]|\*)\s*"
    tail = rf"(?=\s*/|\s*(?:{units})(?![\w]))"
    flat = re.compile(rf"({mant}10)([1-9]\d?)(?![\d.,]){tail}")
    spaced = re.compile(rf"({mant}10)\s+([1-9]\d?)(\s*)(?=/)")
    digits = "".join(d for d in superscript_digits() if d != "⁻")
    sup = re.compile(rf"(?<=10)([⁻]?[{digits}]+)")
    return flat, spaced, sup


@lru_cache(maxsize=1)
def _sup_table():
    return str.maketrans(superscript_digits())


def superscript_edits(text: str) -> list:
    flat, spaced, sup = _sci_patterns()
    edits = {}
    for m in flat.finditer(text):
        edits[m.start(2)] = (m.start(2), m.end(2), "^" + m.group(2), "superscript")
    for m in spaced.finditer(text):
        s = m.end(1)
        edits.setdefault(s, (s, m.end(3), "^" + m.group(2), "superscript"))
    for m in sup.finditer(text):
        edits.setdefault(m.start(1), (m.start(1), m.end(1), "^" + m.group(1).translate(_sup_table()),
                                      "superscript"))
    return _non_overlapping(edits.values())


def _non_overlapping(edits) -> list:
    out, last = [], -1
    for e in sorted(edits, key=lambda e: (e[0], -e[1])):
        if e[0] >= last:
            out.append(e)
            last = e[1]
    return out
