"""DRUG names no lexicon has, from the phrase around them: "treated with Kayexalate",
"administration of Kalimate enema", "pirmenol-induced QT prolongation", and abbreviations the
text does not define right before an amount of a drug ("placebo, RLX 60 mg/d, ALN 10 mg/d").

Brands, old agents and new codes outside DrugBank, MeSH and the NHS list appear in case reports
in the same few frames that introduce a drug given (the administration and adverse-effect cues
of pharmacovigilance text mining, e.g. the ADE corpus of Gurulingappa et al. 2012 and PHEE's
trigger words). A word in such a frame is taken as a DRUG, its norm the word in lower case,
only when it cannot be anything else the frame also takes: it is rare in English (wordfreq
Zipf < 2.0, so no "exercise-induced", "stress-induced"), not an abbreviation in capitals (a
procedure as often as a drug: "ECT-induced", "PCI"), without digits, not a class or plural,
not a word whose ending makes it a disease, procedure, adjective or participle (``not_suffix``
rows: "splenectomy", "hyperglycaemia", "plasmapheresis", "thrombolytic", "intravenously"), not a
route word ("nebulised"), not a word the package dictionary knows but the lexicon filters
refused (a class or analyte: "cephalosporin", :func:`lexicon.refused_words`), not before a class
noun ("thiazide diuretics"), and not a phrase of ``not_drugs.csv``. Cues are data in ``patterns/recognize/unknown_drug_context.csv``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import alternation, load_csv
from .lexicon import Entry, key_of, not_drug_keys, refused_words

ZIPF_MAX = 2.0
# a word before a class noun qualifies the class ("thiazide diuretics", "the macrolide antibiotic")
CLASS_HEAD_AFTER = re.compile(r"\s+(?:drugs?|agents?|antibiotics?|diuretics?|compounds?|derivatives?|"
                              r"analogues?|analogs?|class|group|family|medications?)\b", re.I)
WORD = r"[A-Za-z][A-Za-z'-]*[A-Za-z]"


@lru_cache(maxsize=None)
def _rules(patterns: str = "recognize/unknown_drug_context.csv"):
    by_kind: dict = {}
    for r in load_csv(patterns):
        by_kind.setdefault(r["kind"].strip(), []).append(r["cue"].strip())
    before = re.compile(rf"\b(?:{alternation(by_kind['before'], flexible_spaces=True)})\s+"
                        rf"(?:(?:the|a|an|oral|topical|intravenous|IV)\s+)?(?P<w>{WORD})(?![\w-])")
    after = re.compile(rf"(?<![\w-])(?P<w>{WORD})[-\u2010\u2011](?:{alternation(by_kind['after'])})\b", re.I)
    suffix = re.compile(rf"(?:{alternation(by_kind['not_suffix'])})$", re.I)
    return before, after, suffix, frozenset(by_kind.get("not_abbreviation", ()))


def _plausible(word: str, suffix) -> bool:
    from wordfreq import zipf_frequency
    if len(word) < 5 or word.isupper() or sum(c.isupper() for c in word) > 1 and "-" not in word:
        return False  # capitals: an abbreviation (ECT, PCI, SSRIs) or a code
    if suffix.search(word) or word.lower().startswith(("anti", "non", "pro-")):
        return False
    if (word.lower(),) in not_drug_keys() or key_of(word) in not_drug_keys():
        return False
    from .administration import find_routes
    if find_routes(word, lambda pos: True):  # "administration of nebulised morphine"
        return False
    if word.lower() in refused_words():  # a class or analyte the lexicon filters left out
        return False
    return max(zipf_frequency(p, "en") for p in word.lower().split("-") if p) < ZIPF_MAX


# "RLX 60 mg/d, ALN 10 mg/d": an abbreviation the text does not define, right before an amount of
# a drug (mass or units, not a concentration): the abbreviation of that drug
ABBREVIATION_BEFORE_DOSE = re.compile(r"(?<![\w-])(?P<w>[A-Z][A-Z0-9]{1,5})\s+(?=\d)")
DRUG_AMOUNT_UNITS = re.compile(r"(?:mg|g|ug|µg|mcg|\[iU\]|M\[iU\])(?:/.*)?")


def _abbreviations_before_doses(text: str, taken: list[tuple[int, int]],
                                patterns: str) -> list[tuple[int, int, Entry]]:
    from .administration import find_frequencies, find_routes
    from .quantities import find_quantities
    not_abbreviations = _rules(patterns)[3]
    starts = {q.start: q for q in find_quantities(text)}
    out = []
    for m in ABBREVIATION_BEFORE_DOSE.finditer(text):
        s, e = m.span("w")
        w = m.group("w")
        q = starts.get(m.end())
        if q is None or q.unit_class != "dose" or not DRUG_AMOUNT_UNITS.fullmatch(q.unit_norm) \
                or sum(c.isalpha() for c in w) < 2 or any(a < e and s < b for a, b in taken):
            continue
        if find_routes(w, lambda pos: True) or find_frequencies(w) or w.lower() in refused_words() \
                or (w.lower(),) in not_drug_keys() or w in not_abbreviations:
            continue  # "IV 1 g", "BID 500 mg", an analyte the lexicon refused
        out.append((s, e, Entry(w.lower(), None, "")))
    return out


def find_unknown_drugs(text: str, taken: list[tuple[int, int]],
                       patterns: str = "recognize/unknown_drug_context.csv") -> list[tuple[int, int, Entry]]:
    """(start, end, Entry) for names in an administration or "-induced" frame that no other
    DRUG span overlaps (``taken``)."""
    before, after, suffix, _ = _rules(patterns)
    out = []
    for rx in (before, after):
        for m in rx.finditer(text):
            s, e = m.span("w")
            w = m.group("w")
            if any(a < e and s < b for a, b in taken) or not _plausible(w, suffix) \
                    or CLASS_HEAD_AFTER.match(text, e):
                continue
            out.append((s, e, Entry(w.lower(), None, "")))
            taken = taken + [(s, e)]
    return sorted(out + _abbreviations_before_doses(text, taken, patterns))
