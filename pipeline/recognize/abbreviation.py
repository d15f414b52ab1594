"""Abbreviations the document defines, from three places.

1. In running text, "long form (SF)": scispacy's ``AbbreviationDetector``, the algorithm of
   Schwartz & Hearst (2003, "A simple algorithm for identifying abbreviation definitions in
   biomedical text"), run on the shared base pipeline.
2. The glossary footnote ("Abbreviations: ALL, acute lymphoblastic leukemia; CR, ..."): the block
   cleanup marks as ``glossary`` (or, on text that did not go through cleanup, a paragraph that
   starts with "Abbreviations:"), parsed as "SF, long form" pairs separated by semicolons.
3. Keys inside captions ("TCZ, tocilizumab; dex, dexamethasone."): the same "SF, long form"
   pairs, recognised where a short token is followed by ", " and a phrase and a ";" or ".".

Every pair is returned as ``{"short", "long", "start", "end", "source"}`` with the offsets of the
short form's defining occurrence (None for the glossary, which carries no entities).
"""
from __future__ import annotations

import re

GLOSSARY_HEAD = re.compile(r"^\s*(?:Abbreviations?|Glossary)\s*[:.]\s*", re.I | re.M)
# a short form: no spaces, 1-15 characters, at least one capital or a digit or mixed case
SHORT = r"[A-Za-z0-9][\w+\-‐/±−.]{0,14}"
KEY_PAIR = re.compile(rf"(?:(?<=^)|(?<=[;.:]\s)|(?<=\n))({SHORT}(?: {SHORT})?), ([^;.\n]+?)(?=;|\.(?:\s|$)|$)", re.M)


def _is_short_form(s: str) -> bool:
    if len(s) > 16 or not any(c.isalpha() for c in s):
        return False
    caps = sum(c.isupper() for c in s)
    # "TCZ", "Ara-C", "rATG", "Bu", "dex": two capitals, or a short token in a key list
    return caps >= 2 or len(s) <= 4


def glossary_spans(text: str, blocks: list) -> list[tuple[int, int]]:
    """Text ranges of the glossary footnote: cleanup's ``glossary`` blocks, else detected."""
    spans = [(b["start"], b["end"]) for b in blocks or []
             if b.get("kind") == "glossary" and b.get("start") is not None]
    if spans:
        return spans
    for m in GLOSSARY_HEAD.finditer(text):
        end = text.find("\n", m.end())
        spans.append((m.start(), len(text) if end < 0 else end))
    return spans


def parse_pairs(text: str, start: int, end: int, source: str) -> list[dict]:
    """"SF, long form" pairs in text[start:end] (a glossary or a caption key list)."""
    seg = text[start:end]
    head = GLOSSARY_HEAD.match(seg)
    off = head.end() if head else 0
    out = []
    for part in re.finditer(r"[^;]+", seg[off:]):
        p = part.group()
        m = re.match(r"\s*([^,]{1,20}?),\s+(.+?)\s*\.?\s*$", p)
        if not m:
            continue
        short, long = m.group(1).strip(), m.group(2).strip()
        if " " in short.strip() and not re.search(r"[A-Z]", short):
            continue
        if _is_short_form(short) and len(long) > len(short):
            s = start + off + part.start() + p.index(m.group(1))
            out.append({"short": short, "long": long, "start": s, "end": s + len(short),
                        "source": source})
    return out


def caption_keys(text: str, exclude: list[tuple[int, int]]) -> list[dict]:
    """Key lists "SF, long; SF2, long2." outside the glossary: pairs whose short form looks like
    an abbreviation and whose run has at least two pairs, or whose long form starts with the
    short form's letters (so "Blood, urine" prose is not a key)."""
    out = []
    for m in KEY_PAIR.finditer(text):
        s = m.start(1)
        if any(a <= s < b for a, b in exclude):
            continue
        short, long = m.group(1), m.group(2).strip()
        if not _is_short_form(short) or " " in short and not short.isupper():
            continue
        if len(long) <= len(short) or len(long.split()) > 8:
            continue
        # key lists are separated by ";" (or end with "."); a lone "X, y." needs letter agreement
        nxt = text[m.end():m.end() + 1]
        prev = text[max(0, s - 2):s]
        in_list = nxt == ";" or prev.startswith(";")
        if not in_list and not _letters_agree(short, long):
            continue
        out.append({"short": short, "long": long, "start": s, "end": m.end(1), "source": "key"})
    return out


def _letters_agree(short: str, long: str) -> bool:
    letters = [c.lower() for c in short if c.isalpha()]
    if not letters:
        return False
    words = long.lower()
    return words.startswith(letters[0]) or any(w.startswith(letters[0]) for w in words.split()[:2])


def plausible(pair: dict) -> bool:
    """A pair worth reporting: a short form with a letter, not a figure reference, and a long
    form that is a name (no brackets, at most ten words)."""
    short, long = pair["short"], pair["long"]
    return (any(c.isalpha() for c in short) and not short[0].isdigit()
            and not re.match(r"(?i)fig", short) and " " not in short.strip()
            and not re.search(r"[()\[\]]", long) and len(long.split()) <= 10)


def detect(sdoc, det) -> list[dict]:
    """Pairs of scispacy's AbbreviationDetector ``det`` (built by the doseline_abbreviations
    factory on the pipeline's vocab) on ``sdoc``, first definitions only."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # W036: scispacy's empty global matcher
        sdoc = det(sdoc)
    out, seen = [], set()
    # scispacy collects matches in a set: order by position so the first definition is kept
    # whatever the process's hash seed (byte-identical output for the same input)
    for abrv in sorted(sdoc._.abbreviations, key=lambda a: (a.start_char, a.end_char,
                                                            a._.long_form.start_char)):
        long = abrv._.long_form
        key = (abrv.text, long.text)
        if key in seen:
            continue
        seen.add(key)
        out.append({"short": abrv.text, "long": long.text, "start": abrv.start_char,
                    "end": abrv.end_char, "source": "text", "long_start": long.start_char,
                    "long_end": long.end_char})
    return out


MAX_INNER = 8  # scispacy's filter_matches drops parenthesised spans of more than 8 tokens


class ParenthesisMatches:
    """What scispacy's parenthesis ``Matcher`` (pattern ``"(" any+ ")"``) returns, in its order
    (by end, then latest "(" first), limited to the spans ``filter_matches`` keeps.

    The ``Matcher`` pairs every "(" with every later ")" of the document, so its work and its
    output grow with the square of the number of parentheses; scispacy then discards all but the
    pairs at most ``MAX_INNER`` tokens apart. Enumerating only those gives the same candidates
    in the same order (checked against the ``Matcher`` in tests/recognize/test_linear_rules.py)."""

    def __init__(self, vocab, key: str = "parenthesis"):
        self.key = vocab.strings.add(key)

    def __call__(self, doc) -> list[tuple[int, int, int]]:
        out, opens = [], []
        for j, tok in enumerate(doc):
            text = tok.text
            if text == ")":
                for i in reversed(opens):
                    if j - i - 1 > MAX_INNER:
                        break
                    if j - i >= 2:
                        out.append((self.key, i, j + 1))
            elif text == "(":
                opens.append(j)
        return out


class ShortFormMatches:
    """Stands in for scispacy's ``global_matcher``: each short form found as an exact token
    sequence (``[{"ORTH": ...}, ...]``) anywhere in the document.

    The spaCy ``Matcher`` steps every token through every pattern; here one pass over the token
    texts tries only the short forms whose first token is the current one. scispacy adds one key
    per long form, runs the matcher once, reads the matched keys into sets (order does not
    matter) and removes them; this class keeps that interface: ``add``, ``remove``, ``vocab``."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.patterns: dict = {}  # key hash -> list of token-text tuples

    def add(self, key: str, patterns: list) -> None:
        h = self.vocab.strings.add(key)
        for p in patterns:
            self.patterns.setdefault(h, []).append(tuple(t["ORTH"] for t in p))

    def remove(self, key: str) -> None:
        self.patterns.pop(self.vocab.strings[key], None)

    def __len__(self) -> int:
        return len(self.patterns)

    def __call__(self, doc) -> list[tuple[int, int, int]]:
        if not self.patterns:
            return []
        by_first: dict = {}
        for h, seqs in self.patterns.items():
            for seq in seqs:
                if seq:
                    by_first.setdefault(seq[0], []).append((h, seq))
        texts = [t.text for t in doc]
        out, seen = [], set()
        for i, w in enumerate(texts):
            for h, seq in by_first.get(w, ()):
                m = (h, i, i + len(seq))
                if tuple(texts[i:i + len(seq)]) == seq and m not in seen:
                    seen.add(m)
                    out.append(m)
        return out
