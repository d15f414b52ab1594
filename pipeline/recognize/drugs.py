"""DRUG matching and the given-or-measured decision, over the lexicon of :mod:`.lexicon`.

Context rules on top of the lexicon (decided per mention):

- ``dual_use.csv`` lists substances that are lab analytes when measured and drugs when given
  (calcium, glucose, carnitine, hCG ...): a match is a DRUG only in an administration context,
  never next to a lab cue (``analyte_context.csv``; :func:`dual_use_is_drug`);
- a synonym whose lower-case form is a frequent English word (wordfreq Zipf >= 2.0, "Luminal")
  is flagged a homograph: in lower case it needs a drug context in its sentence;
- Greek letters are keyed by name ("β-interferon-1a" = "beta-interferon-1a"), a name with a
  leading locant is also keyed without it ("10-hydroxycamptothecin"), and a word no English word
  list knows that is one or two edits from exactly one generic name is that drug ("Sevofluorane";
  :meth:`DrugMatcher.fuzzy`, Damerau 1964 / optimal string alignment distance);
- salt and formulation words next to a name stay in its span ("imatinib mesylate", "liposomal
  doxorubicin") and leave its norm.

Matching is a longest-match over a token trie (a dict of token tuples): text and variants are
tokenised the same way. Abbreviations marked ``exact`` match only in their own case.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import alternation, load_csv, load_jsonl
from .lexicon import (HYPHENS, Entry, dual_use, key_of, lexicon, not_drug_keys, supplement,
                      tokens)

@lru_cache(maxsize=1)
def analyte_cues() -> dict:
    """{kind: compiled regex} from analyte_context.csv (kinds lab_before, lab_after, admin)."""
    by_kind: dict = {}
    for r in load_csv("recognize/analyte_context.csv"):
        by_kind.setdefault(r["kind"].strip(), []).append(r["cue"].strip())
    alt = lambda k: alternation(by_kind.get(k, []), flexible_spaces=True)
    return {
        # the word right before the name ("serum calcium", "total carnitine", "acyl-carnitine")
        "lab_before": re.compile(rf"(?<![\w-])(?:{alt('lab_before')})[\s-]*(?:\w+-)?$", re.I),
        # the word right after the name, or after a coordinated name ("B12 and folate levels")
        # ("growth hormone (GH) deficiency": an abbreviation in parentheses is skipped)
        "lab_after": re.compile(rf"^\)?(?:\s*\([^()]{{1,15}}\))?(?:\s*(?:,|and|or)\s+[\w-]+(?:\s+[\w-]+)?)?"
                                rf"[\s-]*(?:{alt('lab_after')})\b", re.I),
        "admin": re.compile(rf"\b(?:{alt('admin')})\b", re.I),
        "given_before": re.compile(rf"(?<![\w-])(?:{alt('given_before')})\s+(?:the\s+)?$", re.I),
        "given_after": re.compile(rf"^\)?[-\u2010\u2011](?:{alt('given_after')})\b", re.I),
    }


def given_next_to(text: str, s: int, e: int) -> bool:
    """A phrase right next to the name speaks of it as given: "toxicities of [5-FU]", "allergy
    to [MTX]", "[IVIG]-associated", "[FK506]-induced" (analyte_context.csv, given_before/after)."""
    cues = analyte_cues()
    return bool(cues["given_before"].search(text[max(0, s - 40):s]) or cues["given_after"].match(text[e:e + 30]))


LAB_VALUE_AFTER = re.compile(r"^\W{0,3}(?:(?:was|were|is|are|of|at|to|from|rose|fell|dropped|"
                             r"increased|decreased|remained|low|high|normal|elevated)\W+){0,3}"
                             r"[<>≤≥~]?\s?\d", re.I)


def dual_use_is_drug(text: str, s: int, e: int, sent: tuple[int, int], default: bool = False) -> bool:
    """Whether an analyte-or-drug name at ``text[s:e]`` is a drug given (patterns/recognize/analyte_context.csv).

    Lab context next to the name wins ("serum calcium", "carnitine levels", "glucose 7.8 mmol/L");
    otherwise the name is a drug when its sentence has an administration context
    (:func:`administration_context`), or when ``default`` (names mostly used as drugs: insulin)."""
    from .quantities import find_quantities
    cues = analyte_cues()
    a, b = sent
    before, after = text[max(a, s - 40):s], text[e:min(b, e + 60)]
    if cues["lab_before"].search(before) or cues["lab_after"].match(after):
        return False
    for q in find_quantities(text[e:min(b, e + 30)]):
        if q.unit_class in ("concentration", "count") and q.start <= 25:
            return False  # "glucose 7.8 mmol/L", "carnitine (14.2 μmol/L"
    if LAB_VALUE_AFTER.match(after) and not _dose_near(text, s, e, sent):
        return False
    return default or administration_context(text, s, e, sent)


def _dose_near(text: str, s: int, e: int, sent: tuple[int, int], window: int = 40) -> bool:
    from .quantities import find_quantities
    a, b = sent
    for q in find_quantities(text[a:b]):
        qs, qe = q.start + a, q.unit_end + a
        if q.unit_class == "dose" and ((qe <= s and s - qe <= window) or (qs >= e and qs - e <= window)):
            return True
    return False


def administration_context(text: str, s: int, e: int, sent: tuple[int, int]) -> bool:
    """The sentence of ``text[s:e]`` speaks of giving a drug: an administration word ("treated
    with", "infusion", "supplemented", "tablets"; analyte_context.csv, kind admin), a route, or a
    dose with an administrable unit near the name ("4.0 g of fibrinogen concentrate")."""
    a, b = sent
    if _dose_near(text, s, e, sent):
        return True
    sentence = text[a:b]
    if analyte_cues()["admin"].search(sentence):
        return True
    from .administration import find_routes
    # a route right before the name ("oral vitamin B12", "parenteral zinc"); elsewhere in the
    # sentence a route word that is also anatomy ("rectal") counts only before an administration noun
    if any(s - a - 2 <= re_ <= s - a for _, re_, _ in find_routes(text[a:s], lambda pos: True)):
        return True
    return bool(find_routes(sentence, None))


@lru_cache(maxsize=1)
def _tested_cue_re():
    cues = alternation((r["cue"].strip() for r in load_csv("recognize/tested_list_context.csv")),
                       flexible_spaces=True)
    return re.compile(rf"\b(?:{cues})\b", re.I)


LIST_GAP = re.compile(r"(?:\s*\([^()]{0,40}\))?\s*(?:,|;|/|\band\b|\bor\b|\bnor\b|:)?\s*(?:,?\s*(?:and|or)\s+)?",
                      re.I)


def tested_list(text: str, found: list, sent_of) -> set:
    """Indices of ``found`` mentions that belong to a list of substances tested after a cue of
    ``tested_list_context.csv`` (susceptibility profile, drug screen), not drugs given."""
    cue = _tested_cue_re()
    out = set()
    by_sent: dict = {}
    for i, (s, e, _) in enumerate(found):
        by_sent.setdefault(sent_of(s), []).append(i)
    for (a, b), idx in by_sent.items():
        cues = [m.end() for m in cue.finditer(text, a, b)]
        if not cues:
            continue
        pos = None
        for i in idx:
            s, e, _ = found[i]
            starts = [c for c in cues if c <= s]
            if starts and (pos is None or starts[-1] > pos):
                pos = starts[-1]  # a new list starts at the last cue before this mention
            if pos is not None and LIST_GAP.fullmatch(text, pos, s):
                out.add(i)
                pos = e
            else:
                pos = None
    return out


@lru_cache(maxsize=1)
def not_drug_next_words(when: str = "always") -> frozenset:
    return frozenset(r["next_word"].strip().lower() for r in load_csv("recognize/not_drug_context.csv")
                     if (r.get("when") or "always").strip() == when)


def class_heads(text: str, found: list) -> set:
    """Indices of ``found`` mentions that name a class before a drug name: "the vitamin K
    antagonist warfarin" (a class head of not_drug_context.csv, when before_name, then a name)."""
    heads = not_drug_next_words("before_name")
    starts = {s for s, _, _ in found}
    out = set()
    for i, (s, e, _) in enumerate(found):
        m = re.match(r"[\s-]+(\w+)\s+", text[e:e + 40])
        if m and m.group(1).lower() in heads and e + m.end() in starts:
            out.add(i)
    return out


class DrugMatcher:
    """Longest-match lookup of lexicon variants over the token sequence of a text.

    ``extra`` adds document-specific variants (abbreviations the document defines), matched in
    their exact case."""

    def __init__(self):
        self.lex = lexicon()
        self.any, self.exact = supplement()
        self.dual = dual_use()
        self.blocked = not_drug_keys() - set(self.dual)
        self.exact_keys: dict = {}
        for surface, entry in self.exact.items():
            self.exact_keys.setdefault(key_of(surface), []).append((surface, entry))
        self._fuzzy_cache: dict = {}
        self._generic_index = None
        self._last: tuple = (None, [], [])
        # every prefix of every key (keys included): the longest-match scan stops as soon as the
        # tokens read so far begin no key, instead of trying every length (a token trie as a set)
        self.prefixes: set = set()
        for keys in (self.lex, self.any, self.dual, self.blocked, self.exact_keys):
            for k in keys:
                for j in range(1, len(k) + 1):
                    self.prefixes.add(k[:j])

    def lookup(self, surface: str) -> Entry | None:
        """The entry for a whole surface string, or None."""
        if surface in self.exact:
            return self.exact[surface]
        k = key_of(surface)
        if k in self.blocked:
            return None
        return self.any.get(k) or self.dual.get(k) or self.lex.get(k)

    def fuzzy(self, word: str) -> Entry | None:
        """A misspelt generic name ("Sevofluorane", "cetixumab"): a word no English word list
        knows, one edit (two for words of nine letters or more) from exactly one generic name of
        the lexicon with the same first three letters."""
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        from ..cleanup.words import zipf
        found = None
        if zipf(word) == 0:
            limit = 1 if len(word) < 9 else 2
            hits = [k for k in self._generics().get(word[:3], ())
                    if abs(len(k) - len(word)) <= limit and _osa(word, k, limit) <= limit]
            if len(hits) == 1:
                found = self.lex[(hits[0],)]
        self._fuzzy_cache[word] = found
        return found

    def _generics(self) -> dict:
        if self._generic_index is None:
            idx: dict = {}
            for k, entry in self.lex.items():
                if len(k) == 1 and k[0] == entry.norm and len(k[0]) >= FUZZY_MIN_LEN and k[0].isalpha():
                    idx.setdefault(k[0][:3], []).append(k[0])
            self._generic_index = idx
        return self._generic_index

    def _enzyme_like(self, text: str, e: int) -> bool:
        m = re.match(r"[\s-]+(\w+)", text[e:e + 30])
        return bool(m) and m.group(1).lower() in not_drug_next_words()

    def _reach(self, toks, i, text, extra_prefixes) -> int:
        """How many tokens from ``i`` on still begin some key, separated by at most one space
        (a variant never spans a line)."""
        L, n = 0, len(toks)
        key: tuple = ()
        while i + L < n:
            if L and text[toks[i + L - 1][2]:toks[i + L][1]] not in ("", " "):
                break
            key = key + (toks[i + L][0],)
            if key not in self.prefixes and key not in extra_prefixes:
                break
            L += 1
        return L

    def _tokens(self, text: str):
        """``tokens(text)`` and its words; the last text's are kept (the drug component scans a
        document twice when it defines a drug abbreviation): one slot, no growth across documents."""
        if self._last[0] != text:
            toks = tokens(text)
            self._last = (text, toks, [t for t, _, _ in toks])
        return self._last[1], self._last[2]

    def find(self, text: str, extra: dict | None = None) -> list[tuple[int, int, Entry]]:
        toks, words = self._tokens(text)
        exact_keys = self.exact_keys
        extra_prefixes: set = set()
        if extra:
            exact_keys = {k: list(v) for k, v in exact_keys.items()}
            for surface, entry in extra.items():
                k = key_of(surface)
                if not k:
                    continue
                exact_keys.setdefault(k, []).insert(0, (surface, entry))
                extra_prefixes.update(k[:j] for j in range(1, len(k) + 1))
        out = []
        i, n = 0, len(toks)
        while i < n:
            best = None
            reach = self._reach(toks, i, text, extra_prefixes)
            for L in range(reach, 0, -1):
                s, e = toks[i][1], toks[i + L - 1][2]
                k = tuple(words[i:i + L])
                if k in exact_keys:
                    surf = text[s:e].translate(HYPHENS)
                    for cand, entry in exact_keys[k]:
                        if cand.translate(HYPHENS) == surf:
                            best = (L, entry)
                            break
                    if best:
                        break
                if k in self.blocked:
                    best = (L, None)
                    break
                entry = self.any.get(k) or self.dual.get(k) or self.lex.get(k)
                if entry is not None and L == 1 and len(k[0]) <= 4 and k[0] != entry.norm \
                        and k not in self.any and not text[s:e].isupper():
                    entry = None  # short synonyms ("saha") only as acronyms ("SAHA"), not names
                if entry is not None:
                    best = (L, entry)
                    break
            if best is None and i + 2 < n and toks[i + 1][0] == "-" and toks[i][2] == toks[i + 1][1] \
                    and toks[i + 1][2] == toks[i + 2][1]:
                # a name written with a hyphen inside ("levo-dopa", a line-end hyphen left over)
                entry = self.lex.get((toks[i][0] + toks[i + 2][0],))
                if entry is not None and not entry.flag:
                    best = (3, entry)
            if best is None and len(toks[i][0]) >= FUZZY_MIN_LEN and toks[i][0].isalpha():
                entry = self.fuzzy(toks[i][0])
                if entry is not None:
                    best = (1, entry)
            if best:
                L, entry = best
                s, e = toks[i][1], toks[i + L - 1][2]
                if entry is not None and _word_edges(text, s, e) and not self._enzyme_like(text, e):
                    out.append((s, e, entry))
                i += L
            else:
                i += 1
        return with_salts(text, out)


FUZZY_MIN_LEN = 8


@lru_cache(maxsize=1)
def _salt_res():
    from .lexicon import salt_words
    words = salt_words()
    after = alternation([w for w, k in words.items() if k in ("anion", "hydrate", "cation")])
    before = alternation([w for w, k in words.items() if k == "formulation"])
    return (re.compile(rf"(?:[ \u00a0](?:{after}))+(?![\w-])", re.I),
            re.compile(rf"(?<![\w-])(?:{before})[ \u00a0]$", re.I))


def with_salts(text: str, found: list) -> list:
    """Salt and formulation words next to a matched name join its span, not its norm (INN):
    "imatinib mesylate", "vincristine sulfate", "liposomal doxorubicin" (``salts.csv``)."""
    from .lexicon import salt_words
    after, before = _salt_res()
    salts = salt_words()
    out, absorbed_to = [], -1
    for s, e, entry in found:
        if s < absorbed_to:  # a salt word taken into the name before it ("... phosphate")
            continue
        m = after.match(text, e, min(len(text), e + 40))
        if m and not entry.flag and text[s:e].lower() not in salts:
            e = absorbed_to = m.end()
        b = before.search(text, max(0, s - 40), s)
        if b:
            s = b.start()
        out.append((s, e, entry))
    return out


def _osa(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions),
    stopping early above ``limit``."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _word_edges(text: str, s: int, e: int) -> bool:
    """Not glued to a letter/digit outside the span ("CD7CAR"), hyphen-compounds allowed."""
    if s > 0 and (text[s - 1].isalnum()):
        return False
    if e < len(text) and (text[e].isalnum()):
        return False
    return True


@lru_cache(maxsize=1)
def matcher() -> DrugMatcher:
    return DrugMatcher()


@lru_cache(maxsize=1)
def cell_therapy_rules() -> tuple:
    rules = []
    for r in load_jsonl("recognize/cell_therapies.jsonl"):
        rules.append((re.compile(r["regex"]), r["norm"], r.get("target_from")))
    return tuple(rules)


def find_cell_therapies(text: str, abbreviations: dict) -> list[tuple[int, int, Entry]]:
    """CAR T-cell products named with their target. ``abbreviations``: short -> long form, used
    for products named by an acronym ("NS7CAR", long form "naturally selected anti-CD7 CAR")."""
    out = []
    for rx, norm, target_from in cell_therapy_rules():
        for m in rx.finditer(text):
            s, e = m.span()
            if s > 0 and text[s - 1].isalnum():
                continue
            if target_from == "abbreviation":
                prefix = m.group("prefix")
                long = abbreviations.get(prefix + "CAR") or abbreviations.get(prefix) or ""
                t = re.search(r"\b(CD\d{1,3}[a-z]?|BCMA|GPRC5D|GD2|HER2)\b", long)
                target = t.group(1) if t else prefix
            else:
                target = m.group("target")
            out.append((s, e, Entry(norm.format(target=target.lower()), None)))
    return out
