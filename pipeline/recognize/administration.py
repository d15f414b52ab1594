"""FREQUENCY and ROUTE: how often and how a drug is given, from ``patterns/recognize/frequency.jsonl``
and ``patterns/recognize/routes.jsonl``.

Frequencies are normalised to the interval notation of the schema (``q24h`` once daily, ``q12h``
twice daily / b.i.d., ``qNh`` every N hours, ``q1w`` weekly, ``qNw`` every N weeks), the Latin
sig abbreviations of prescriptions included (as in MedEx, Xu et al. 2010, and the i2b2 2009
medication challenge, Uzuner et al. 2010). Routes take the minimal span ("intrathecal", not
"intrathecal injection") and a normalised route name; ambiguous abbreviations and adjectives
("IV" after "stage", "oral mucositis", "subcutaneous emphysema") are rejected by each rule's
``not_after``/``not_before`` context words.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import load_jsonl
from .scan import LeftBounded, RuleFamily

WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "once": 1, "twice": 2, "thrice": 3, "ten": 10, "twelve": 12, "fourteen": 14, "twenty-one": 21,
                "twenty-eight": 28}


EDGE = r"[\w.]"  # a rule's match starts after no word character nor "."


def _rule_regex(r: dict):
    """A pattern row's regex as a whole-word match (case-insensitive unless "case": "exact")."""
    flags = 0 if r.get("case") == "exact" else re.I
    return LeftBounded(EDGE, rf"(?:{r['regex']})(?![\w])", flags)  # (?<![\w.]) ... fast


@lru_cache(maxsize=None)
def rule_family(rules: tuple) -> RuleFamily:
    """The rules of one patterns file scanned together (:class:`pipeline.recognize.scan.RuleFamily`)."""
    return RuleFamily([r[0] for r in rules], EDGE)


FREQUENCY_PATTERNS = "recognize/frequency.jsonl"
ROUTE_PATTERNS = "recognize/routes.jsonl"


@lru_cache(maxsize=None)
def frequency_rules(patterns: str = FREQUENCY_PATTERNS):
    rules = []
    for r in load_jsonl(patterns):
        rx = _rule_regex(r)
        rules.append((rx, r["norm"], bool(r.get("after_dose"))))
    return tuple(rules)


@lru_cache(maxsize=None)
def route_rules(patterns: str = ROUTE_PATTERNS):
    rules = []
    for r in load_jsonl(patterns):
        rx = _rule_regex(r)
        nb = re.compile(rf"^\s*(?:{r['not_before']})\b", re.I) if r.get("not_before") else None
        na = re.compile(rf"\b(?:{r['not_after']})\s*$", re.I) if r.get("not_after") else None
        # "before": the words that must follow, also after a coordinated route ("spinal and
        # epidural anaesthesia"); "not_word": words of an open family that are no route
        before = re.compile(rf"^{COORDINATED}(?:{r['before']})\b", re.I) if r.get("before") else None
        nw = re.compile(rf"(?:{r['not_word']})$", re.I) if r.get("not_word") else None
        rules.append((rx, r["norm"], nb, na, bool(r.get("needs_context")), before,
                      bool(r.get("drug_after")), nw, bool(r.get("of_drug"))))
    return tuple(rules)


def _n(s: str | None) -> int | None:
    if s is None:
        return None
    return int(s) if s.isdigit() else WORD_NUMBERS.get(s.lower())


AFTER_DOSE_GAP = re.compile(r"\s?(?:[^\W\d_][\w-]*\s){0,2}")


def find_frequencies(text: str, dose_ends: set[int] | None = None,
                     patterns: str = FREQUENCY_PATTERNS) -> list[tuple[int, int, str]]:
    """Frequency mentions. ``after_dose`` rules ("per day") fire only right after a dose unit,
    whose end offsets are ``dose_ends``."""
    found = []
    rules = frequency_rules(patterns)
    at = rule_family(rules).positions(text)
    for rx, norm, after_dose in rules:
        for m in RuleFamily.finditer(rx, text, at):
            found.append((m, norm, after_dose))
    # longest first: "twice daily" wins over "daily"
    found.sort(key=lambda x: (-(x[0].end() - x[0].start()), x[0].start()))
    out, taken = [], []
    for m, norm, after_dose in found:
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        if after_dose:
            # right after the dose's unit, or after at most two words with no punctuation between
            # ("60 mg prednisolone per day", "24 million units intravenously per day")
            if not dose_ends or not any(0 <= s - x <= 40 and AFTER_DOSE_GAP.fullmatch(text[x:s])
                                        for x in dose_ends):
                continue
        value = norm
        if "{n}" in norm or "{24/n}" in norm:
            gd = m.groupdict()
            n = _n(gd.get("n")) or _n(gd.get("n2"))
            if n is None:
                continue
            if "{24/n}" in norm:  # "3 times a day" -> q8h; only whole hours
                if n <= 0 or 24 % n:
                    continue
                value = norm.replace("{24/n}", str(24 // n))
            else:
                value = norm.replace("{n}", str(n))
            if value.endswith("d"):  # every N days: in weeks when whole, else in hours
                value = f"q{n // 7}w" if n % 7 == 0 else f"q{24 * n}h"
        taken.append((s, e))
        out.append((s, e, value))
    return sorted(out)


ADMIN_WORDS = (r"administration|injections?|infusions?|bolus|therapy|therapies|"
               r"treatment|chemotherapy|route|dos(?:e|es|ing|age)|intake|tablets?|"
               r"capsules?|formulation|solution|suspension|medications?|drugs?|"
               r"supplement\w*|antibiotics?|agents?|fluids?|instillations?|infiltrations?|"
               r"irrigations?|applications?|an(?:a|ae)?esthe(?:sia|tics?)|analgesia")
# a route word coordinated before another ("spinal and epidural", "oral and intravenous", "IV/PO")
COORDINATED = r"\W{0,2}(?:(?:and|or|/|-)\s*[\w.-]+\s+)?"
# where a drug must follow the route word: right after it, or after a coordinated route
DRUG_AFTER = re.compile(rf"{COORDINATED}", re.I)
# "inhalation of conidia": a route noun followed by "of" is a route only when a drug follows
OF_PHRASE = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+)?", re.I)
OF_REACH = 40  # characters: "inhalation of normal doses of albuterol"
CLAUSE_END = re.compile(r"[,;:.()]")


@lru_cache(maxsize=1)
def admin_noun():
    """An administration noun or a drug class after a route adjective ("oral therapy", "oral
    corticosteroids", "IV contrast"), also across a coordinated route ("topical and oral
    corticosteroids"). The class words are the class and diagnostic-agent rows of not_drugs.csv."""
    from ..resources import alternation, load_csv
    classes = {r["phrase"].strip() for r in load_csv("recognize/not_drugs.csv")
               if r["why"].strip() in ("class", "diagnostic", "diagnostic agent")}
    words = ADMIN_WORDS + "|" + alternation(classes)
    route = r"(?:[\w.-]+(?:ly)?)"
    return re.compile(rf"^\W{{0,2}}(?:(?:and|or|/)\s*{route}\s+)?(?:\w+\W+)?(?:{words})\b", re.I)


def _drug_follows(text: str, e: int, drug_starts) -> bool:
    """A DRUG starts right after ``text[:e]``, or after a coordinated route ("inhaled and
    systemic colistin"). Without ``drug_starts`` (no drug spans known) nothing follows."""
    if not drug_starts:
        return False
    m = DRUG_AFTER.match(text, e)
    return m is not None and (m.end() in drug_starts or e + 1 in drug_starts)


def _drug_in_of_phrase(text: str, pos: int, drug_starts) -> bool:
    """A DRUG starts within ``OF_REACH`` characters of ``pos`` with no clause punctuation between
    ("inhalation of normal doses of albuterol"; not "inhalation of conidia, then albuterol")."""
    near = [d for d in drug_starts if pos <= d <= pos + OF_REACH]
    return bool(near) and not CLAUSE_END.search(text, pos, min(near))


def find_routes(text: str, in_drug_sentence=None, patterns: str = ROUTE_PATTERNS,
                drug_starts=None) -> list[tuple[int, int, str]]:
    """Route mentions. Rules marked ``needs_context`` fire only where ``in_drug_sentence(pos)``
    is true or an administration noun follows ("oral therapy"); ``before`` rules only before
    their words ("spinal anaesthesia", not "spinal cord"); ``drug_after`` rules only right before
    a DRUG whose start is in ``drug_starts`` ("systemic colistin") or an administration noun
    ("intracoronary infusion"). A route noun followed by "of" ("inhalation of conidia") needs a
    drug after the "of", when drug spans are known."""
    found = []
    rules = route_rules(patterns)
    at = rule_family(rules).positions(text)
    for rx, norm, *checks in rules:
        for m in RuleFamily.finditer(rx, text, at):
            found.append((m, norm, *checks))
    found.sort(key=lambda x: (-(x[0].end() - x[0].start()), x[0].start()))
    out, taken = [], []
    decided = set()  # spans a rule has accepted or refused: a later rule on the same span does not decide again
    for m, norm, not_before, not_after, needs_context, before, drug_after, not_word, of_drug in found:
        s, e = m.span()
        if (s, e) in decided or any(a < e and s < b for a, b in taken):
            continue
        decided.add((s, e))
        if not_word and not_word.search(m.group()):
            continue
        if not_before and not_before.match(text[e:e + 40]):
            continue
        if not_after and not_after.search(text[max(0, s - 30):s]):
            continue
        if before and not before.match(text[e:e + 60]):
            continue
        if drug_after and not _drug_follows(text, e, drug_starts) \
                and not (needs_context and admin_noun().match(text[e:e + 60])):
            continue
        if needs_context and not drug_after and not admin_noun().match(text[e:e + 60]) \
                and not (in_drug_sentence and in_drug_sentence(s)):
            continue
        of = OF_PHRASE.match(text, e)
        if of_drug and of and drug_starts is not None and not _drug_in_of_phrase(text, of.end(), drug_starts):
            continue
        taken.append((s, e))
        if norm == "{word}":
            norm = re.sub(r"ly$", "", m.group().lower().replace("-", ""))
        out.append((s, e, norm))
    return sorted(out)
