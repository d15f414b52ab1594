"""DOSE and UNIT: numbers (decimals, ranges, scientific notation) followed by a unit.

A quantity is ``NUMBER [× 10^E] UNIT`` where the unit is composed from ``patterns/recognize/units.csv``
as ``NUMERATOR(/DENOMINATOR)*`` ("mg/m2/d", "µg/kg/day", "cells/kg", "IU", "L/min"); number
and unit may be glued ("3750IU", "40mg/m2/d"). DOSE and UNIT are separate spans. Units are
normalised UCUM-style (Schadow & McDonald, "The Unified Code for Units of Measure": "ug", "m2",
"[iU]", "{cells}", "d").

Whether a quantity is a drug's dose is decided by the unit's class and the context (the scheme of
medication extractors such as MedEx, Xu et al. 2010, where a dose is an attribute found next to a
drug): concentrations (a mass/count per volume: "mg/dL", "ng/mL", "copies/mL", "× 10^9/L"),
percentages and bare counts per kg ("4 × 10^8/kg") are never doses; other quantities are doses
only when a DRUG or REGIMEN mention stands in the same sentence near them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import alternation, load_csv

DASH = r"[-‐‑–—−]"
# a decimal comma ("0,6 ml", French and German style) where it cannot be a thousands separator or
# a list: after 0, or a single digit after the comma; three digits after a comma are thousands
NUM = r"\d{1,3}(?:,\d{3})+(?![\d])|0,\d{1,3}(?![\d,])|[1-9]\d*,\d(?![\d,])|\d+(?:\.\d+)?|\.\d+"
TIMES = r"\s?[×xX*·]\s?10\s?\^?\s?(?P<exp>[-−]?\d{1,2})"
# numbers written as words ("Two milligrams" -> 2 mg; ANNOTATION_SCHEMA, DOSE)
WORD_VALUES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
               "twenty-five": 25, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
               "one hundred": 100, "two hundred": 200, "five hundred": 500}
WORD_NUM = "(?i:" + "|".join(sorted(WORD_VALUES, key=len, reverse=True)) + ")"
QUANTITY_CORE = (rf"(?P<n1>{NUM}|{WORD_NUM}(?=\s))(?:{TIMES.replace('exp', 'exp1')})?"
                 rf"(?:\s?(?:{DASH}|to)\s?(?P<n2>{NUM})(?:{TIMES.replace('exp', 'exp2')})?)?")


@dataclass
class Quantity:
    start: int
    end: int  # end of the number part
    value: object  # float or [low, high]
    unit_start: int
    unit_end: int
    unit_text: str
    unit_norm: str
    unit_class: str  # dose | concentration | count | percent


@lru_cache(maxsize=1)
def unit_tables():
    nums, dens = {}, {}
    for r in load_csv("recognize/units.csv"):
        (nums if r["part"] == "num" else dens)[r["surface"]] = (r["norm"], r["kind"])
    return nums, dens


@lru_cache(maxsize=1)
def quantity_re():
    nums, dens = unit_tables()
    alt = alternation
    # negative exponents first ("mg·kg−1·day−1", "mg kg-1 d-1", "µg kg⁻¹ min⁻¹"), else "mg" wins
    # (with plain spaces and "-1" the first factor must be body size: "10 mg d-1" may be day −1)
    dn, body = alt(dens), r"kg|m2|m²"
    inverse = (rf"(?:{alt(nums)})(?:(?:\s?[·⋅]\s?(?:{dn}){INV_EXP})+|(?:\s?(?:{dn})\s?⁻¹)+"
               rf"|\s(?:{body})\s?[-−‐–]1(?![\d])(?:\s(?:{dn})\s?[-−‐–]1(?![\d]))*)")
    per_n = rf"\d{{1,2}}\s?(?:h|hr|hrs|hours?)(?![\w])"  # "mg/kg/12h", "mg/12 h"
    unit = (rf"(?P<unit>{inverse}"
            rf"|(?:(?:{alt(nums)})(?:\s?/\s?(?:{per_n}|{alt(dens)}))*|(?:/(?:{alt(dens)}))+)"
            rf"|(?:{alt(nums)})\s(?:per)\s(?:kg|m2|m²|day|d))")
    return re.compile(rf"(?<![\w.,/^]){QUANTITY_CORE}(?:\s|-(?=[a-zµμ]))?{unit}(?![\w²^])")


INV_SEP = r"\s?[·⋅\s]\s?"
INV_EXP = r"\s?(?:[-−‐–]1|⁻¹)(?![\d])"


def _num(s: str, exp: str | None) -> float:
    if s.lower() in WORD_VALUES:
        return WORD_VALUES[s.lower()]
    if re.fullmatch(r"0,\d{1,3}|[1-9]\d*,\d", s):
        s = s.replace(",", ".")  # decimal comma
    v = float(s.replace(",", ""))
    if exp:
        v = v * 10 ** int(exp.replace("−", "-"))
    return v


def _value(m):
    a = _num(m.group("n1"), m.group("exp1"))
    if m.group("n2") is None:
        return _clean(a)
    exp2 = m.group("exp2") or m.group("exp1")
    b = _num(m.group("n2"), exp2)
    if m.group("exp1") is None and m.group("exp2"):
        a = _num(m.group("n1"), m.group("exp2"))
    return [_clean(a), _clean(b)]


def _clean(v: float):
    return int(v) if float(v).is_integer() and abs(v) < 1e6 else v


def parse_unit(text: str) -> tuple[str, str]:
    """(UCUM-style norm, class) of a unit string such as "mg/m²/d" or "× 10^9/L"."""
    nums, dens = unit_tables()
    t = re.sub(rf"{INV_SEP}([^\s·⋅.]+?){INV_EXP}", r"/\1", text.strip())  # "mg·kg−1" -> "mg/kg"
    t = re.sub(r"\s+per\s+", "/", t)
    t = re.sub(r"\s*/\s*", "/", t)
    parts = t.split("/")
    head, rest = parts[0], parts[1:]
    if head:
        norm, kind = nums.get(head, (head, "other"))
    else:
        norm, kind = "", "count"
    dnorms, dkinds = [], []
    for p in rest:
        per_n = re.fullmatch(r"(\d{1,2})\s?(?:h|hr|hrs|hours?)", p)
        n, k = (f"({per_n.group(1)}.h)", "time") if per_n else dens.get(p, (p, "other"))
        dnorms.append(n)
        dkinds.append(k)
    full = "/".join([norm] + dnorms) if head else "/" + "/".join(dnorms)
    if kind == "percent":
        cls = "percent"
    elif not head:
        cls = "count"
    elif dkinds and dkinds[-1] == "volume" and kind != "volume":
        cls = "concentration"
    elif kind == "count":
        cls = "count"
    else:
        cls = "dose"
    return full, cls


# carboplatin dosed by the area under the curve: "AUC 5", "AUC of 6", "AUC = 5 mg/mL/min"
AUC_RE = re.compile(r"\bAUC\s?(?:of\s|=\s?|:\s?)?(?P<n>\d+(?:\.\d+)?)(?:\s?mg/mL/min|\s?mg/ml[·.]min)?(?![\w.])")


def find_quantities(text: str) -> list[Quantity]:
    out = []
    for m in AUC_RE.finditer(text):  # DOSE the number, UNIT the word "AUC": {AUC}
        out.append(Quantity(m.start("n"), m.end("n"), _clean(float(m.group("n"))), m.start(), m.start() + 3,
                            "AUC", "{AUC}", "dose"))
    for m in quantity_re().finditer(text):
        ustart, uend = m.span("unit")
        utext = m.group("unit")
        norm, cls = parse_unit(utext)
        nend = m.end("n2") if m.group("n2") else m.end("n1")
        for g in ("exp2", "exp1"):
            if m.group(g) and m.end(g) > nend:
                nend = m.end(g)
        out.append(Quantity(m.start(), nend, _value(m), ustart, uend, utext, norm, cls))
    return out


LAB_CUE = re.compile(r"\b(?:level|levels|concentration|concentrations|count|counts|titer|titre|load|"
                     r"output|volume|weight|weighed|weighing|urine|diarrh\w*|stool|loss|flow|"
                     r"clearance|GFR|rate|exceeded|MNC|CD34)\b\W*(?:\w+\W+){0,3}$", re.I)  # whole words: not "loaded at"


# "20 mL of lidocaine and bupivacaine mixture", "40 mL of the local anaesthetic mixture": the volume
# of a mixture is no one drug's amount (gold/GUIDELINES.md §12, Volumes)
MIXTURE_AFTER = re.compile(r"\s*of\s+(?:(?:the|a|an|this|that)\s+)?(?:[^\W\d][\w'’-]*\s+){0,5}?"
                           r"(?:mixtures?|admixtures?|cocktails?)\b", re.I)
OF_AFTER = re.compile(r"\s*of\b", re.I)
VOLUME = re.compile(r"[mcdu]?L")
FORM_UNITS = {"[drp]", "{puff}"}  # units.csv kind "form"
FORM_OF = re.compile(r"\s*(?:of\s+(?:the\s+)?(?:\d+(?:\.\d+)?\s?%\s+)?)?", re.I)


def mixture_volume(text: str, q: Quantity) -> bool:
    """A volume followed by "of ... mixture" (within six words)."""
    return bool(VOLUME.fullmatch(q.unit_norm)) and MIXTURE_AFTER.match(text, q.unit_end) is not None


def is_dose(text: str, q: Quantity, sent: tuple[int, int], drug_spans: list[tuple[int, int]],
            window_before: int = 160, window_after: int = 80, mixture_sentence: bool = False) -> bool:
    """A quantity is a DOSE when its unit can measure an administered amount and a drug or
    regimen mention stands in its sentence within a short window. The volume of a mixture is
    not; in a sentence that gives one (``mixture_sentence``), neither is a volume that names no
    contents of its own ("... mixture for the sciatic block and 20 mL for the femoral block")."""
    if q.unit_class != "dose":
        return False
    if mixture_volume(text, q) or mixture_sentence and VOLUME.fullmatch(q.unit_norm) \
            and not OF_AFTER.match(text, q.unit_end):
        return False
    s0, s1 = sent
    if q.unit_norm in FORM_UNITS:
        # drops and puffs are a dose of the drug they are drops of ("1 drop of brimonidine",
        # "salbutamol 2 puffs"), not of one named elsewhere ("two drops of blood ... heparin")
        of = FORM_OF.match(text, q.unit_end)
        return any(of and a == of.end() or 0 <= q.start - b <= 3 for a, b in drug_spans)
    b0 = max(s0, q.start - 40)
    before = text[b0:q.start]
    lab = LAB_CUE.search(before)
    # a lab word before the number, unless a drug is named between them ("low-molecular-weight
    # heparin (0.6 ml of enoxaparin)": the cue qualifies the drug, not the number)
    # a drug named right after the amount ("after 15 mg meloxicam") makes it that drug's dose too
    if lab and not re.search(r"\bdose\b", before, re.I) \
            and not any(b0 + lab.start() < a and b <= q.start for a, b in drug_spans) \
            and not any(0 <= a - q.unit_end <= 4 for a, _ in drug_spans):
        return False
    for a, b in drug_spans:
        if not (s0 <= a < s1):
            continue
        if b <= q.start and q.start - b <= window_before:
            return True
        if a >= q.unit_end and a - q.unit_end <= window_after:
            return True
    return False


COORD_NUM = re.compile(rf"(?:^|(?<=[\s(\[]))({NUM})\s?(,\s?(?:and|or)?|and|or|&)\s?$")
NOT_DOSE_BEFORE = re.compile(r"\b(?:days?|d|cycles?|weeks?|months?|years?|grade|stage|figures?|fig|"
                             r"tables?|patients?|cases?|doses|times|n)\.?\s*$", re.I)


def coordinated_numbers(text: str, start: int, limit: int = 4) -> list[tuple[int, int, object]]:
    """Bare numbers coordinated before the quantity at ``start`` that share its unit:
    "300 and 150 ng/kg/min", "5, 10 or 20 mg" -> [(start, end, value), ...] in text order.
    The link next to the quantity must be "and"/"or" ("day 3, 20 mg" is no pair), and a number
    after a day, cycle or count word is not a dose ("days 1 and 2 mg")."""
    out = []
    pos = start
    while len(out) < limit:
        base = max(0, pos - 30)
        m = COORD_NUM.search(text[base:pos])
        if not m or (not out and m.group(2).strip() == ","):
            break
        a, b = base + m.start(1), base + m.end(1)
        out.append((a, b, _clean(_num(m.group(1), None))))
        pos = a
    if out and NOT_DOSE_BEFORE.search(text[max(0, pos - 20):pos]):
        return []
    return out[::-1]
