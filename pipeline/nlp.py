"""The shared spaCy pipeline: scispacy's rule tokenizer and one sentence segmentation, no model.

scispacy's ``combined_rule_tokenizer`` (Neumann et al. 2019, "ScispaCy: Fast and Robust Models
for Biomedical Natural Language Processing") keeps biomedical tokens such as "anti-CD7",
"10^9/L" and "IL-6" whole. No statistical model is loaded: nothing is downloaded at run time.

Sentences come from one component, ``doseline_sentences``, used by recognition and linking alike
(``Token.is_sent_start``; :func:`sentence_units` and :func:`sentence_char_bounds` read it):

1. **Candidates.** spaCy's ``sentencizer`` rule (Kiss & Strunk 2006 call it the baseline): a
   sentence starts at the first token after a run of "." "!" "?" that is not punctuation.
2. **Line breaks.** The token after a whitespace token holding a line break always starts a
   sentence (paragraphs, headings, table rows, list items); the line break itself closes the
   sentence before it.
3. **No split** at a candidate (step 1 only) when the next word is lowercase ("500 mg p.o. on
   day 1"), inside parentheses or brackets ("(Co., Ltd. (China))", "(see above. And more)"),
   or after an abbreviation's period: "Cho et al. (13)", "Fig. 2", "i.v. Ganciclovir" (dotted
   forms by shape, the rest from ``patterns/sentence_abbreviations.csv``).

The recognizer (this pipeline plus the recognition components) is built in
:mod:`pipeline.recognize.pipeline`: imports run one way, recognize -> nlp.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENT_END = (".", "!", "?")
OPEN, CLOSE = "([", ")]"
DOTTED_ABBREV = re.compile(r"^(?:[a-z]\.)+[a-z]$", re.I)  # "i.v", "p.o", "e.g" (before the ".")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    from .resources import load_csv
    return frozenset(r["abbrev"].strip().lower() for r in load_csv("sentence_abbreviations.csv"))


def _is_break(tok) -> bool:
    return tok.is_space and "\n" in tok.text


def _after_abbreviation(doc: Doc, i: int) -> bool:
    """The candidate start ``i`` follows "abbrev ." ("et al .", "i.v .", "Fig .")."""
    if i < 2 or doc[i - 1].text != ".":
        return False
    w = doc[i - 2].lower_
    return w in _abbreviations() or bool(DOTTED_ABBREV.match(w))


@Language.component("doseline_sentences", assigns=["token.is_sent_start", "doc.sents"])
def sentence_component(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token (the steps of the module docstring).

    Token attributes are read once into lists and the starts written with one ``Doc.from_array``:
    creating a ``Token`` per look-up, and the ``Token.is_sent_start`` setter (which scans the whole
    Doc for a parse on every call), made this component quadratic in the document's length."""
    n = len(doc)
    if not n:
        return doc
    texts, punct = [], []
    for t in doc:
        texts.append(t.text)
        punct.append(t.is_punct)
    brk = [x.isspace() and "\n" in x for x in texts]  # _is_break: Lexeme IS_SPACE is str.isspace
    candidates, seen_end = set(), False
    for i, text in enumerate(texts):  # step 1, exactly spaCy's Sentencizer with punct_chars = SENT_END
        if seen_end and not punct[i] and text not in SENT_END:
            candidates.add(i)
            seen_end = False
        elif text in SENT_END:
            seen_end = True
    starts, depth = {0}, 0
    for i, text in enumerate(texts):
        if brk[i]:  # step 2
            if i + 1 < n:
                starts.add(i + 1)
            depth = 0
            continue
        if i in candidates and not (i > 0 and brk[i - 1]):
            if not (depth > 0 or text[:1].islower() or _after_abbreviation(doc, i)):  # step 3
                starts.add(i)
        if text in OPEN:
            depth += 1
        elif text in CLOSE:
            depth = max(0, depth - 1)
    flags = numpy.full((n, 1), -1, dtype="int64")
    flags[sorted(starts), 0] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))
    return doc


def sentence_units(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges ``[t0, t1)`` of the sentences, without the line breaks that close them."""
    out = []
    for sent in doc.sents:
        a, b = sent.start, sent.end
        while a < b and _is_break(doc[a]):
            a += 1
        while b > a and _is_break(doc[b - 1]):
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def sentence_char_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the sentences that tile the text: each runs to the next one's start."""
    starts = [s.start_char for s in doc.sents] or [0]
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0  # len(doc.text), not rebuilt
    return list(zip(starts, starts[1:] + [end]))


@lru_cache(maxsize=1)
def base_nlp():
    """A blank English pipeline with scispacy's tokenizer and ``doseline_sentences``."""
    import warnings
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        nlp = spacy.blank("en")
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    nlp.add_pipe("doseline_sentences")
    return nlp


def sentences(text: str):
    """A spaCy Doc of ``text`` with sentence boundaries (no entities)."""
    return base_nlp()(text)
