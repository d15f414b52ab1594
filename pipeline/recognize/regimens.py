"""REGIMEN: named combination regimens from ``patterns/recognize/regimens.jsonl`` and acronyms the
document defines for a list of drugs.

A regimen acronym is defined in a document in two ways, both recognised here and then matched at
every later use (case-sensitive, like the document's other abbreviations):

- "vinodixin, daunorubicin, cyclophosphamide, pegaspargase, and dexamethasone (VDCLP)": a
  parenthesised acronym right after a coordination of at least two DRUG mentions;
- a caption key "VDCLP, vinodixin 4mg d1/8/15/22, daunorubicin 40mg/m2/d ...": an acronym followed
  by ", " and a clause naming at least two drugs.

Lexicon entries marked ``"context": "defined"`` (short acronyms that are also common words or
scores, such as "AV", "ICE", "CAM") are only matched when the document defines them. The norm is
the regimen as written with runs of spaces collapsed.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..resources import load_jsonl
from .scan import LeftBounded

ACRONYM = r"[A-Za-z0-9][A-Za-z0-9+\-‐/±]*(?:\s?[±+/]\s?[A-Za-z0-9\-]+)*(?:\s[A-D])?"


def _name_regex(name: str) -> str:
    out = []
    for ch in name:
        if ch == " ":
            out.append(r"\s*")
        elif ch in "+±/":
            out.append(r"\s*" + re.escape(ch) + r"\s*")
        elif ch == "-":
            out.append("[-‐]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


REGIMEN_PATTERNS = "recognize/regimens.jsonl"


@lru_cache(maxsize=None)
def regimen_rules(patterns: str = REGIMEN_PATTERNS):
    rules = []
    for r in load_jsonl(patterns):
        flags = re.I if r.get("case") == "any" else 0
        rx = LeftBounded(r"[\w\-‐]", rf"{_name_regex(r['name'])}(?![\w\-‐]|\s?[±+]\s?\w)", flags)
        rules.append((rx, r["name"], tuple(r.get("components", ())), r.get("context") == "defined"))
    # longest names first so "Hyper-CVAD A" wins over "Hyper-CVAD"
    rules.sort(key=lambda x: -len(x[1]))
    return tuple(rules)


def norm_name(surface: str) -> str:
    return re.sub(r"\s+", " ", surface.strip())


def defined_acronyms(text: str, drug_spans: list[tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """{acronym: (start, end) of its definition} for acronyms defined for lists of drugs."""
    out: dict = {}
    starts = sorted(drug_spans)
    by_end = sorted(drug_spans, key=lambda d: d[1])
    ends = [d[1] for d in by_end]
    # 1. "A, B, and C (XYZ)" — the parenthesis follows the last of >= 2 coordinated drugs
    for m in re.finditer(rf"\((?P<acr>{ACRONYM})\)", text):
        acr = m.group("acr")
        if not re.search(r"[A-Z]", acr) or len(acr) > 20:
            continue
        j = bisect.bisect_right(ends, m.start()) - 1
        if j < 0 or m.start() - ends[j] > 3:
            continue
        prev = [by_end[j]]
        # walk back over coordinated drugs: separators ", ", " and ", ", and ", " plus "
        chain = [prev[-1]]
        while True:
            cur = chain[-1]
            j = bisect.bisect_right(ends, cur[0]) - 1
            if j < 0:
                break
            before = [by_end[j]]
            gap = text[before[-1][1]:cur[0]]
            if re.fullmatch(r"\s*(?:,|,?\s(?:and|or|plus|with|\+))\s*", gap):
                chain.append(before[-1])
            else:
                break
        if len(chain) >= 2:
            out.setdefault(acr, (m.start("acr"), m.end("acr")))
    # 2. caption key "XYZ, drug dose ..., drug dose ..." — clause up to the next ". " or ";"
    for m in re.finditer(rf"(?:(?<=^)|(?<=[.;]\s)|(?<=\n))(?P<acr>{ACRONYM}), ", text, re.M):
        acr = m.group("acr").strip()
        if sum(c.isupper() for c in acr) < 2 or len(acr) > 20:
            continue
        end = len(text)
        for sep in re.finditer(r";|\.(?:\s|$)", text[m.end():]):
            end = m.end() + sep.start()
            break
        i = bisect.bisect_left(starts, (m.end(), -1))
        inside = []
        while i < len(starts) and starts[i][0] < end and len(inside) < 2:
            inside.append(starts[i])
            i += 1
        if len(inside) >= 2 and inside[0][0] - m.end() <= 20:
            out.setdefault(acr, (m.start("acr"), m.start("acr") + len(acr)))
    return out


def find_regimens(text: str, defined: dict[str, tuple[int, int]],
                  drug_abbreviations: set[str] = frozenset(),
                  patterns: str = REGIMEN_PATTERNS) -> list[tuple[int, int, str]]:
    """Regimen mentions: lexicon names (those marked ``defined`` only when defined here) and the
    document's own acronyms. A short form the document defines as one drug ("CLAG, cladribine")
    is a DRUG there, not the regimen of the same name."""
    out, taken = [], []

    def add(s, e):
        if any(a < e and s < b for a, b in taken):
            return
        surface = text[s:e]
        if surface in drug_abbreviations:
            return
        taken.append((s, e))
        out.append((s, e, norm_name(surface)))

    defined_norm = {norm_name(k) for k in defined}
    for rx, name, _, needs_def in regimen_rules(patterns):
        if needs_def and norm_name(name) not in defined_norm:
            continue
        for m in rx.finditer(text):
            add(*m.span())
    for acr in sorted(defined, key=len, reverse=True):
        for m in LeftBounded(r"[\w\-‐]", rf"{_name_regex(acr)}(?![\w\-‐])").finditer(text):
            add(*m.span())
    return sorted(out)
