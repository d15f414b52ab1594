"""DRUG lexicon and matcher: drug-named-entity-recognition's dictionary, filtered, plus a supplement.

The lexicon is the dictionary of the ``drug-named-entity-recognition`` package (Wood, Fast Data
Science 2023: DrugBank, MedlinePlus, MeSH and Wikipedia names, brands and synonyms). It is noisy
for running clinical text, so it is filtered before use:

- only canonical drugs with a DrugBank or MedlinePlus identifier, or a Wikipedia drug page, are
  kept (MeSH-only entries are mostly classes, proteins and reagents: "anti-bacterial agents");
- synonyms that are common English words (wordfreq Zipf frequency >= 3.5, e.g. "armour"),
  shorter than four characters, MeSH inversions ("insulin, regular") or code numbers ("sr 38")
  are dropped; a canonical name itself is kept unless it is a very common word (Zipf >= 4.5);
- ``patterns/not_drugs.csv`` removes drug classes, lab analytes, biomarkers, blood components;
- ``patterns/drugs_supplement.csv`` adds abbreviations (ATG, MMF, Ara-C, G-CSF, CTX ...) and
  names the package lacks, with the generic name and DrugBank id the project uses as norm.

Context rules on top of the lexicon (decided in :mod:`pipeline.recognize`):

- ``patterns/dual_use.csv`` lists substances that are lab analytes when measured and drugs when
  given (calcium, glucose, carnitine, hCG ...): a match is a DRUG only in an administration
  context, never next to a lab cue (``patterns/analyte_context.csv``; :func:`dual_use_is_drug`);
- a synonym whose lower-case form is a frequent English word (wordfreq Zipf >= 2.0, "Luminal")
  is flagged a homograph: in lower case it needs a drug context in its sentence;
- Greek letters are keyed by name ("β-interferon-1a" = "beta-interferon-1a"), a name with a
  leading locant is also keyed without it ("10-hydroxycamptothecin"), and a word no English word
  list knows that is one or two edits from exactly one generic name is that drug ("Sevofluorane";
  :meth:`DrugMatcher.fuzzy`, Damerau 1964 / optimal string alignment distance).

Matching is a longest-match over a token trie (a dict of token tuples): text and variants are
tokenised the same way (``\\w+`` runs and single punctuation), lower-cased, with the Unicode
hyphens folded to "-". Supplement abbreviations marked ``exact`` match only in their own case.
The filtered lexicon is cached as a pickle under the user cache directory, keyed by the package
version and the pattern files, so loading takes a fraction of a second after the first run.
"""
from __future__ import annotations

import bz2
import hashlib
import os
import pickle
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..resources import alternation, load_csv, load_jsonl, pattern_path

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00ad": "-"})
ZIPF_SYNONYM = 3.5
ZIPF_CANONICAL = 4.5
CACHE_VERSION = "5"
# Greek letters as written in drug and analyte names ("β-interferon-1a", "interferon-γ"): a token
# that is one Greek letter is keyed by its Latin name, so "β-hCG" and "beta-hCG" are one key
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
         "λ": "lambda", "ω": "omega"}
# a lexicon synonym whose lower-case form is this frequent in English is a homograph ("Luminal",
# "luminal irregularities"): it matches only where it is not written all in lower case
ZIPF_HOMOGRAPH = 2.0


def fold(text: str) -> str:
    """Lower-case and fold Unicode hyphens to "-"; same length as ``text``."""
    return text.translate(HYPHENS).lower()


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(GREEK.get(m.group(), m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(fold(text))]


def key_of(text: str) -> tuple:
    return tuple(t for t, _, _ in tokens(text))


class Entry(NamedTuple):
    norm: str
    drugbank: str | None = None
    # "" a drug name; "dual": an endogenous substance that is a drug only where it is given
    # (patterns/dual_use.csv, decided by :func:`dual_use_is_drug`); "homograph": a synonym that is
    # also a common word, matched only where not written in lower case
    flag: str = ""


def _cache_dir() -> Path:
    base = os.environ.get("DOSELINE_CACHE") or os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "doseline"


def _package_dictionary() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    return Path(spec.origin).parent / "drug_ner_dictionary.pkl.bz2"


def _fingerprint() -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    pkg = _package_dictionary()
    h.update(f"{pkg}:{pkg.stat().st_size}:{pkg.stat().st_mtime}".encode())
    for name in ("drugs_supplement.csv", "not_drugs.csv", "dual_use.csv"):
        h.update(pattern_path(name).read_bytes())
    h.update(Path(__file__).read_bytes())  # the filter rules are code
    return h.hexdigest()[:16]


CAR_T = re.compile(r"car[- ]?t\b")
_CODE = re.compile(r"^[a-z]{1,4}[ -]?\d+[a-z]?$|^\d|\d+ \d+")


def _keep_variant(variant: str, canonical: str, zipf) -> bool:
    if "," in variant or "/" in variant and variant != canonical:
        return False
    if len(variant) < 4:
        return False
    if re.search(r"[^\w\s\-'()+.]", variant):
        return False
    if variant != canonical and " " in variant and _CODE.search(variant):
        return False
    if variant != canonical and _CODE.match(variant) and not variant[0].isdigit():
        return False
    z = zipf(variant, "en")
    if variant == canonical:
        return z < ZIPF_CANONICAL
    return z < ZIPF_SYNONYM


def build_lexicon() -> dict:
    """{token tuple: Entry} from the package dictionary (filtered) and the supplement."""
    from wordfreq import zipf_frequency
    with bz2.open(_package_dictionary(), "rb") as fh:
        d = pickle.load(fh)
    c2d = d["drug_canonical_to_data"]
    excluded = {key_of(r["phrase"]) for r in load_csv("not_drugs.csv")}
    lex: dict = {}
    for variant, canonicals in d["drug_variant_to_canonical"].items():
        canonical = canonicals[0]
        data = c2d.get(canonical)
        if data is None:
            continue
        if not ("drugbank_id" in data or "medline_plus_id" in data or "wikipedia_url" in data):
            continue
        if "/" in canonical or ", " in canonical or "vaccine" in canonical and "vaccine" not in variant:
            continue
        if CAR_T.search(canonical) or CAR_T.search(variant):  # cell_therapies.jsonl names these
            continue
        if not _keep_variant(variant, canonical, zipf_frequency):
            continue
        k = key_of(variant)
        if not k or k in excluded:
            continue
        flag = "homograph" if variant != canonical and variant.isalpha() \
            and zipf_frequency(variant, "en") >= ZIPF_HOMOGRAPH else ""
        lex[k] = Entry(_norm(canonical), data.get("drugbank_id"), flag)
    # canonical names are also keys (some canonicals have no variant entry of their own)
    for canonical, data in c2d.items():
        k = key_of(canonical)
        if k in lex or k in excluded or ", " in canonical or "/" in canonical or CAR_T.search(canonical) \
                or not ("drugbank_id" in data or "medline_plus_id" in data):
            continue
        # names without a variant entry of their own are often allergen extracts and foods
        # ("bean", "rosemary"): the stricter synonym threshold applies
        if _keep_variant(canonical, canonical, zipf_frequency) \
                and zipf_frequency(canonical, "en") < ZIPF_SYNONYM:
            lex[k] = Entry(_norm(canonical), data.get("drugbank_id"))
    # a leading locant is often left out in running text ("10-hydroxycamptothecin" is written
    # "hydroxycamptothecin"): the name without it is a variant when no other entry has that key
    for k, entry in list(lex.items()):
        if len(k) >= 3 and k[0].isdigit() and k[1] == "-" and k[2].isalpha() and len(k[2]) >= 8:
            rest = k[2:]
            if rest not in lex and rest not in excluded:
                lex[rest] = entry
    return lex


def _norm(canonical: str) -> str:
    """The generic name without a formulation note: "paclitaxel (with ... oil)" -> "paclitaxel"."""
    return re.sub(r"\s*\([^)]*\)", "", canonical).strip() or canonical


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The filtered package lexicon (case-insensitive part), cached on disk."""
    import gc
    path = _cache_dir() / f"drug_lexicon-{_fingerprint()}.pkl"
    try:
        gc.disable()  # tens of thousands of small tuples: no collection passes while loading
        with open(path, "rb") as fh:
            return {k: Entry(*v) for k, v in pickle.load(fh).items()}
    except (OSError, EOFError, pickle.UnpicklingError, TypeError):
        pass
    finally:
        gc.enable()
    lex = build_lexicon()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:  # plain tuples: fast to unpickle, no class lookups
            pickle.dump({k: tuple(v) for k, v in lex.items()}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("drug_lexicon-*.pkl"):  # stale builds
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return lex


@lru_cache(maxsize=1)
def supplement() -> tuple[dict, dict]:
    """(case-insensitive {key: Entry}, exact-case {surface: Entry}) from drugs_supplement.csv."""
    anycase, exact = {}, {}
    for r in load_csv("drugs_supplement.csv"):
        e = Entry(r["norm"].strip().lower(), (r.get("drugbank") or "").strip() or None)
        if (r.get("case") or "any").strip() == "exact":
            exact[r["variant"].strip()] = e
        else:
            anycase[key_of(r["variant"])] = e
    return anycase, exact


@lru_cache(maxsize=1)
def dual_use() -> dict:
    """{key: Entry(flag="dual")} from dual_use.csv: analytes that are drugs when given."""
    out = {}
    for r in load_csv("dual_use.csv"):
        flag = "dual-drug" if (r.get("default") or "").strip() == "drug" else "dual"
        out[key_of(r["phrase"])] = Entry(r["norm"].strip().lower(), (r.get("drugbank") or "").strip() or None,
                                         flag)
    return out


@lru_cache(maxsize=1)
def analyte_cues() -> dict:
    """{kind: compiled regex} from analyte_context.csv (kinds lab_before, lab_after, admin)."""
    by_kind: dict = {}
    for r in load_csv("analyte_context.csv"):
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
    }


LAB_VALUE_AFTER = re.compile(r"^\W{0,3}(?:(?:was|were|is|are|of|at|to|from|rose|fell|dropped|"
                             r"increased|decreased|remained|low|high|normal|elevated)\W+){0,3}"
                             r"[<>≤≥~]?\s?\d", re.I)


def dual_use_is_drug(text: str, s: int, e: int, sent: tuple[int, int], default: bool = False) -> bool:
    """Whether an analyte-or-drug name at ``text[s:e]`` is a drug given (patterns/analyte_context.csv).

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
def not_drug_next_words() -> frozenset:
    return frozenset(r["next_word"].strip().lower() for r in load_csv("not_drug_context.csv"))


@lru_cache(maxsize=1)
def not_drug_keys() -> frozenset:
    return frozenset(key_of(r["phrase"]) for r in load_csv("not_drugs.csv"))


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
        self.first: dict = {}
        for k in list(self.lex) + list(self.any) + list(self.dual) + list(self.blocked) + list(self.exact_keys):
            if len(k) > self.first.get(k[0], 0):
                self.first[k[0]] = len(k)

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

    def find(self, text: str, extra: dict | None = None) -> list[tuple[int, int, Entry]]:
        toks = tokens(text)
        exact_keys = self.exact_keys
        first = self.first
        if extra:
            exact_keys = {k: list(v) for k, v in exact_keys.items()}
            first = dict(first)
            for surface, entry in extra.items():
                k = key_of(surface)
                if not k:
                    continue
                exact_keys.setdefault(k, []).insert(0, (surface, entry))
                first[k[0]] = max(first.get(k[0], 0), len(k))
        out = []
        i, n = 0, len(toks)
        while i < n:
            best = None
            maxl = first.get(toks[i][0], 0)
            for L in range(min(maxl, n - i), 0, -1):
                s, e = toks[i][1], toks[i + L - 1][2]
                if not _contiguous(toks, i, L, text):
                    continue
                k = tuple(t for t, _, _ in toks[i:i + L])
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
        return out


FUZZY_MIN_LEN = 8


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


def _contiguous(toks, i, L, text) -> bool:
    """Tokens i..i+L-1 are separated by at most one space (a variant never spans a line)."""
    for j in range(i, i + L - 1):
        gap = text[toks[j][2]:toks[j + 1][1]]
        if gap not in ("", " "):
            return False
    return True


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
    for r in load_jsonl("cell_therapies.jsonl"):
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
