"""Decision (b), first part: candidate attachment of attributes to the drug before or after them.

1. **Pre-modifiers** (:func:`premodifiers`): DOSE/UNIT/ROUTE/FREQUENCY entities chained right
   before a drug through filler words only ("Two 20 mg doses of basiliximab", "400 mg of oral
   ciprofloxacin"; a route or frequency also through words of administration, "orally
   administered X", "weekly injections of X"; coordinated doses, "10 g and 4 g of X"), and the attributes of a conjunct that opens with "and"/"or" and runs into the
   drug ("ciprofloxacin, and inhaled and systemic colistin").
2. **Drug spans** (:func:`span`): a drug owns what follows it up to the next drug (or that
   drug's pre-modifiers), the end of the parenthesis it sits in, a semicolon at its level, or a
   clause break ("..., and the aphaeresis was started at day 5", "..., but by 23 July").
3. **Own attributes** (:func:`own_attributes`): the attributes in a drug's span that no
   pre-modifier chain claimed and that are not dropped.
"""
from __future__ import annotations

import re

from .sentence import ATTRS, Item


def premodifiers(L, d: Item) -> list:
    s, c = L.s, L.c
    fill = c.get("premod_filler", set())
    route_fill = fill | c.get("premod_route_filler", set())
    coordinated = {",", "and", "or", "respectively"}
    chain, cur, joined = [], d.start, None
    for it in reversed(s.items[:d.k]):
        if it.end > cur:
            continue
        if it.type not in ("DOSE", "UNIT", "ROUTE", "FREQUENCY") or it.k in L.drop:
            break
        head = s.groups[it.grp].head if it.groups and it.grp not in d.groups else None
        if head is not None and head.type == "DRUG":  # "heparin (5000 IU) (warfarin": heparin's
            break
        w = {x for x in s.words(it.end, cur) if not x.startswith("/")}  # "mg/kg" "/month"
        if "%" in w:  # a strength in percent names the product: "infusion of 15% glucose"
            w = {x for x in w if x != "%" and not re.fullmatch(r"[\d.,]+", x)}
        # a route or frequency reaches the drug through words of administration ("orally
        # administered X", "weekly administration of 30 mg/m2 X"); doses through fillers only
        allowed = route_fill if it.type in ("ROUTE", "FREQUENCY") else fill
        if chain and chain[-1].type == "DOSE" and it.type in ("UNIT", "DOSE") and w and w <= coordinated:
            allowed = coordinated  # "10 g and 4 g of X", "30.6 and 114 g X": coordinated doses
            joined = len(chain) if joined is None else joined
        if not w <= allowed:
            break
        chain.append(it)
        cur = it.start
    if joined is not None and chain and chain[-1].k > 0:
        before = s.items[chain[-1].k - 1]  # "A 5 mg and 10 mg of B": 5 mg is A's
        if before.type == "DRUG" and s.words(before.end, chain[-1].start) <= fill:
            chain = chain[:joined]
    chain = list(reversed(chain))
    # a conjunct that opens with "and"/"or" and runs into the drug without punctuation belongs
    # to that drug: "ciprofloxacin, and inhaled and systemic colistin"
    prev_end = max([x.end for x in L.s.items[:d.k] if x.type == "DRUG"] + [s.start])
    toks = s.tokens_between(prev_end, d.start)
    cut = max([i for i, t in enumerate(toks) if t.is_punct and t.text not in "-‐"] + [-1])
    conj = toks[cut + 1:]
    if conj and conj[0].lower_ in ("and", "or") and len(conj) <= 6:
        a = conj[0].idx
        extra = [it for it in s.items[:d.k] if a <= it.start and it.end <= d.start
                 and it.type in ("DOSE", "UNIT", "ROUTE", "FREQUENCY") and it.k not in L.drop]
        if extra and all(it.groups == d.groups for it in extra):
            chain = sorted({it.k: it for it in extra + chain}.values(), key=lambda it: it.start)
    return chain


def span(L, d: Item) -> tuple[int, int]:
    s = L.s
    end = s.end
    if d.groups:
        end = min(end, s.groups[d.grp].close_char)
    for n in L.drugs:
        if n.start > d.start:
            p = L.premod[n.k]
            end = min(end, p[0].start if p else n.start)
            break
    for k, t in enumerate(s.toks):
        if t.idx < d.end or t.idx >= end:
            continue
        if s.tok_groups[k] == d.groups and t.text == ";":
            end = t.idx
            break
    change = L.c.get("dose_change_verb", set())
    for kind, a, b in L.matches:
        if kind == "clause_break":
            t = s.toks[a]
            # "X was continued but changed to low dose (100 mg) daily": no new subject, the
            # drug's own dose changes
            if b < len(s.toks) and s.toks[b].lower_ in change and b - a == 1:
                continue
            if d.end <= t.idx < end and s.tok_groups[a] == d.groups:
                end = t.idx
    return d.end, end


def own_attributes(L) -> dict:
    """Step 3: drug key -> the attributes in its span not claimed by a pre-modifier chain (or an
    earlier drug) and not dropped."""
    own: dict = {}
    for d in L.drugs:
        a, b = L.span[d.k]
        seg = [it for it in L.s.items if a <= it.start < b and it.type in ATTRS
               and it.k not in L.claimed and it.k not in L.drop]
        L.claimed.update(it.k for it in seg)
        own[d.k] = seg
    return own
