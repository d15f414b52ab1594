"""Decision (d): which regimen a drug belongs to, inside one sentence.

1. "REG (drug ...; drug ...)": the drugs inside the parenthesis that follows the regimen (filler
   words such as "regimen", "chemotherapy" may stand between, ``regimen_filler``).
2. "drug, drug, and drug (REG)": a bare coordinated list before the parenthesis.
3. Definitions "REG, drug dose days, drug dose days" (captions, tables; ``definition_punct``),
   up to the next definition or a semicolon.
4. "REG regimen consisting of drug, drug and drug": filler words only, then a coordinated list.

The first rule that claims a drug wins. Across sentences (:func:`named_in_next_sentence`, run by
:func:`pipeline.link.linker.link`):

5. A sentence with no drug that names exactly one regimen, right after a sentence whose records
   list two or more drugs, each with a dose and none with a regimen ("A 80 mg/m2 and B 1000 mg/m2
   on day 1. The XY regimen was repeated every 3 weeks."), gives that regimen to those records
   (the annotation schema's rule for a regimen named in the next sentence).
"""
from __future__ import annotations

from . import coordination


def regimens(L):
    s, c = L.s, L.c
    for g in s.groups:
        h = g.head
        if h is not None and h.type == "REGIMEN":  # REG (drug ..., drug ...)
            comps = [d for d in L.drugs if g.open_char < d.start < g.close_char]
            if comps:
                L.components.setdefault(h.k, comps)
        elif h is not None and h.type == "DRUG" and g.items and g.items[0].type == "REGIMEN":
            r = g.items[0]  # drug, drug, and drug (REG)
            L.components.setdefault(r.k, coordination.coordinated_list(L, h))
    punct = c.get("definition_punct", set())
    regs = [it for it in s.items if it.type == "REGIMEN"]
    defs = []
    for r in regs:
        nxt = s.items[r.k + 1] if r.k + 1 < len(s.items) else None
        if nxt is None or nxt.type != "DRUG":
            continue
        toks = s.tokens_between(r.end, nxt.start)
        # "REG, drug ...", also with a short modifier: "HD-MTX ± L, high-dose methotrexate 3g/m2"
        mods = toks[1:]
        if toks and toks[0].text in punct and len(mods) <= 3 and \
                all(not t.is_punct and not any(ch.isdigit() for ch in t.text) for t in mods):
            defs.append(r)
    for j, r in enumerate(defs):  # REG, drug dose days, drug dose days, ...
        stop = defs[j + 1].start if j + 1 < len(defs) else s.end
        for k, t in enumerate(s.toks):
            if r.end <= t.idx < stop and t.text == ";" and s.tok_groups[k] == r.groups:
                stop = t.idx
                break
        comps = [d for d in L.drugs if r.end <= d.start < stop]
        L.components.setdefault(r.k, comps)
    # "the FOLFIRI regimen consisting of irinotecan 180 mg/m2, leucovorin and fluorouracil":
    # filler words only, no parenthesis, then a coordinated list (members may carry attributes)
    filler = c.get("regimen_filler", set()) - punct
    conn = c.get("list_connector", set())
    for r in regs:
        nxt = s.items[r.k + 1] if r.k + 1 < len(s.items) else None
        if r.k in L.components or nxt is None or nxt.type != "DRUG" or nxt.k in L.alias \
                or nxt.groups != r.groups:
            continue
        words = {t.lower_ for t in s.tokens_between(r.end, nxt.start)}
        if not words or not words <= filler or words <= {"regimen", "regimens", "chemotherapy"}:
            continue
        comps = [nxt]
        for d in [x for x in L.drugs if x.start > nxt.start]:
            p = comps[-1]
            spans = [(it.start, it.end) for it in L.own.get(p.k, [])]
            skip = frozenset(g.gid for g in s.groups if g.head is p) | L.alias_groups
            if d.groups == p.groups and coordination.gap_words(L, p.end, d.start, skip, spans) <= conn:
                comps.append(d)
            else:
                break
        L.components.setdefault(r.k, comps)
    for rk, comps in L.components.items():
        for d in comps:
            L.regimen.setdefault(d.k, s.items[rk])


def named_in_next_sentence(prev_records: list, sent_ents: list) -> None:
    """Step 5: set ``regimen`` on ``prev_records`` (in place) from the regimen of ``sent_ents``."""
    regs = [e for e in sent_ents if e["type"] == "REGIMEN"]
    if len({str(e.get("norm") or e.get("text")) for e in regs}) != 1:
        return
    if len({r["drug"] for r in prev_records}) < 2 or \
            any(r["regimen"] is not None or r["dose"] is None for r in prev_records):
        return
    for r in prev_records:
        r["regimen"] = regs[0]["id"]
