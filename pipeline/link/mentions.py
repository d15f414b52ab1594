"""Decision (a): which drug mentions are administrations at all, and which attributes never link.

1. **Dropped attributes** (:func:`dropped`): a ROUTE that modifies a class or procedure
   ("intrathecal chemotherapy", "spinal anesthesia", cue ``route_nondrug_head``; not "intravenous
   treatment with X", "X for spinal anesthesia"), a dose with a concentration unit (a measured level,
   ``concentration_unit``) and the amount of a mixture ("20 mL of lidocaine and bupivacaine
   mixture", cue ``mixture_head``: no one drug's dose, gold/GUIDELINES.md §12) link to no drug;
   so does the volume of a vehicle ("1 g in 250 mL normal saline", "diluted in 4 ml sterile
   saline", cues ``vehicle_before``/``vehicle_head``: the content of a bag, not a dose, schema).
2. **Aliases** (:func:`aliases`): a DRUG that opens a parenthesis right after a DRUG, or has its
   norm ("mycophenolate mofetil (MMF)", "methotrexate (1500 mg/m2) (MTX)"), gets no record; the
   record goes on the full name.
3. **Measured, not given** (:func:`is_level`): "trough level of X", "serum X", "X levels"
   (``level_before``, ``level_after``), and objects of a response, resistance or allergy
   (``nonadmin_before``).
4. **Negated** (:func:`is_negated`): "without X", "X was not used".
5. **Planned** (:func:`is_planned`): "X was planned", "we recommend X", "X will be given".
6. **Lists** (:func:`not_given`): a bare coordinated list whose first member is measured, a
   susceptibility result, negated or planned is so as a whole ("susceptible to vancomycin,
   linezolid and daptomycin").
7. **Stopped or held** (:func:`is_stopped`): "switch from X", "X was discontinued": the mention
   keeps its dose and route but not its days and dates (they are the stop's, not an
   administration's). "X was changed to 100 mg" is a dose change, not a stop.
"""
from __future__ import annotations

from .sentence import Item, matcher

NEG_SCOPE_END = {"and", "but", "then", "so", "after", "before", "when", "while", "until"}


def matches(L):
    m = matcher(L.s.sdoc.vocab)
    span = L.s.sdoc[L.s.t0:L.s.t1]
    out = []
    for mid, a, b in m(span):
        out.append((L.s.sdoc.vocab.strings[mid], a, b))
    return out


def dropped(L) -> set:
    """Attributes that never link: routes of a class or procedure, doses of a drug level."""
    s, c = L.s, L.c
    drop = set()
    heads = c.get("route_nondrug_head", set())
    conc = c.get("concentration_unit")
    for it in s.items:
        if it.type == "ROUTE":
            nxt = s.tokens_between(it.end, s.end)[:3]
            # "intravenous treatment with terlipressin", "oral therapy of X": the head noun
            # leads to a named drug, so the route is that drug's
            to_drug = len(nxt) == 3 and nxt[0].lower_ in c.get("premod_route_filler", set()) and \
                nxt[1].lower_ in ("with", "of") and any(x.type == "DRUG" and x.start == nxt[2].idx for x in s.items)
            if nxt and nxt[0].lower_ in heads and not to_drug and not _drug_for_procedure(L, it):
                drop.add(it.k)
        if it.type == "UNIT" and conc is not None and conc.search(str(it.e.get("norm") or it.e["text"])):
            drop.add(it.k)
            prev = [d for d in s.items[:it.k] if d.type == "DOSE"]
            if prev and not s.tokens_between(prev[-1].end, it.start):
                drop.add(prev[-1].k)
    return drop | mixture_doses(L) | vehicle_volumes(L)


VOLUME_UNITS = {"ml", "l", "dl", "cc", "cl"}


def vehicle_volumes(L) -> set:
    """The DOSE and UNIT of a volume of a vehicle: a volume unit followed by a vehicle noun that is
    not a recognised drug ("4 ml sterile normal saline", "250 mL of 5% dextrose"), or written after
    "in"/"diluted in" ("vancomycin 1 g in 250 mL over 2 h")."""
    s, c = L.s, L.c
    heads, before = c.get("vehicle_head", set()), c.get("vehicle_before", set())
    mods = c.get("vehicle_modifier", set())
    out = set()
    for i, it in enumerate(s.items):
        if it.type != "UNIT" or str(it.e.get("norm") or it.e["text"]).lower() not in VOLUME_UNITS:
            continue
        dose = s.items[i - 1] if i > 0 and s.items[i - 1].type == "DOSE" and \
            not s.tokens_between(s.items[i - 1].end, it.start) else None
        first = dose or it
        prev = [t.lower_ for t in s.tokens_between(s.start, first.start)[-2:]]
        after = [t for t in s.tokens_between(it.end, s.end)[:6]]
        nxt = next((t for t in after if t.lower_ not in mods and not t.like_num and t.text != "%"), None)
        drug_at = nxt is not None and any(x.type == "DRUG" and x.start <= nxt.idx < x.end for x in s.items)
        if (nxt is not None and nxt.lower_ in heads and not drug_at) or (prev and prev[-1] in before):
            out.add(it.k)
            if dose is not None:
                out.add(dose.k)
    return out


def _drug_for_procedure(L, route) -> bool:
    """"bupivacaine for spinal anesthesia", "propofol for total intravenous anesthesia", "tranexamic
    acid in spinal anesthesia": a drug right before ``for``/``in``/... (cue ``procedure_prep``,
    over ``procedure_det`` words) and the route of a procedure: the drug is given that way."""
    preps, dets = L.c.get("procedure_prep", set()), L.c.get("procedure_det", set())
    back = [t for t in L.s.tokens_between(L.s.start, route.start)][::-1]
    while back and back[0].lower_ in dets:
        back = back[1:]
    if len(back) < 2 or back[0].lower_ not in preps:
        return False
    end = back[1].idx + len(back[1].text)  # the drug or its dosing ("bupivacaine 12 mg for ...")
    prev = [x for x in L.s.items if x.end == end and x.type in ("DRUG", "DOSE", "UNIT", "FREQUENCY")]
    return bool(prev) and any(x.type == "DRUG" and x.start <= prev[0].start for x in L.s.items)


def mixture_doses(L) -> set:
    """The DOSE and UNIT of "<dose> <unit> of A and B mixture" or "<dose> <unit> of the mixture":
    the amount of a mixture of drugs (cue ``mixture_head`` right after the last drug of a bare list,
    or right after "of (the)") is no one drug's dose."""
    s, c = L.s, L.c
    heads = c.get("mixture_head", set())
    conn = c.get("list_connector", set())
    out = set()
    items = s.items
    for i, it in enumerate(items):
        if it.type == "UNIT":  # "35 mL and 3 mL of the mixture were administered"
            nxt = [t.lower_ for t in s.tokens_between(it.end, s.end)[:3]]
            if nxt[:1] == ["of"] and (nxt[1:2] and nxt[1] in heads or
                                      nxt[1:2] and nxt[1] in ("the", "this", "that") and nxt[2:3] and nxt[2] in heads):
                out.add(it.k)
                for x in items[:i][::-1]:  # the doses of this amount ("35 mL and 3 mL")
                    if x.type not in ("DOSE", "UNIT"):
                        break
                    out.add(x.k)
                continue
        if it.type != "UNIT" or i + 1 >= len(items) or items[i + 1].type != "DRUG":
            continue
        if not s.words(it.end, items[i + 1].start) <= {"of", "the", "a", "an"}:
            continue
        j = i + 1  # the drug list: DRUG (connector DRUG)*
        while j + 1 < len(items) and items[j + 1].type == "DRUG" and \
                s.words(items[j].end, items[j + 1].start) <= conn:
            j += 1
        nxt = s.tokens_between(items[j].end, s.end)[:1]
        if nxt and nxt[0].lower_ in heads:
            out.add(it.k)
            if i > 0 and items[i - 1].type == "DOSE" and not s.tokens_between(items[i - 1].end, it.start):
                out.add(items[i - 1].k)
            # "... mixture for the sciatic block and 20 mL for the femoral block": amounts after
            # the mixture, before another drug, are the mixture's too
            for later in items[j + 1:]:
                if later.type == "DRUG":
                    break
                if later.type in ("DOSE", "UNIT"):
                    out.add(later.k)
    return out


def aliases(L) -> set:
    alias = set()
    for g in L.s.groups:
        h = g.head
        if h is None or h.type != "DRUG" or not g.items:
            continue
        for j, it in enumerate(g.items):
            if it.type != "DRUG" or it.grp != g.gid:
                continue
            same = str(it.e.get("norm") or "").lower() == str(h.e.get("norm") or "").lower() and it.e.get("norm")
            first = j == 0 and not L.s.words(g.open_char + 1, it.start)  # "(MMF", not "(with Y"
            if first or same:
                alias.add(it.k)
    # "methotrexate (1500 mg/m2) (MTX)": a drug alone in parentheses with the norm of the drug
    # before it at the parent level is that drug's abbreviation, after its dose
    for g in L.s.groups:
        if len(g.items) != 1 or g.items[0].type != "DRUG" or g.head is not None:
            continue
        it = g.items[0]
        prev = [x for x in L.s.items[:it.k] if x.type == "DRUG" and x.groups == g_parent(L, g)]
        norm = str(it.e.get("norm") or "").lower()
        if prev and norm and str(prev[-1].e.get("norm") or "").lower() == norm:
            alias.add(it.k)
    return alias


def g_parent(L, g) -> tuple:
    """The parenthesis groups enclosing group ``g`` (innermost last)."""
    out, p = [], g.parent
    while p != -1:
        out.insert(0, p)
        p = L.s.groups[p].parent
    return tuple(out)


def next_tokens(L, d: Item, n: int):
    a, b = L.span[d.k]
    return L.s.tokens_between(a, L.s.end, L.alias_groups)[:n]


def is_level(L, d: Item) -> bool:
    k0 = L.s.tok_index(d.start)
    for kind, a, b in L.matches:
        if kind in ("level_before", "nonadmin_before") and b == k0:
            return True
    nxt = next_tokens(L, d, 1)
    return bool(nxt) and nxt[0].lower_ in L.c.get("level_after", set())


def is_negated(L, d: Item) -> bool:
    neg = L.c.get("negation", set())
    # "N2O was not used for inhalation anaesthesia": auxiliary + negation right after the drug
    nxt = [t.lower_ for t in next_tokens(L, d, 3)]
    aux = L.c.get("negation_after", set())
    if len(nxt) >= 2 and nxt[0] in aux and (nxt[1] in neg or nxt[1] == "n't" or
                                            (len(nxt) >= 3 and nxt[1] in ("been", "be") and nxt[2] in neg)):
        return True
    before = L.s.tokens_between(L.s.start, d.start)[-5:]
    for t in reversed(before):
        if (t.is_punct and t.text not in "-‐") or t.lower_ in NEG_SCOPE_END:
            return False
        if t.lower_ in neg:
            return True
    return False


def is_stopped(L, d: Item) -> bool:
    k0 = L.s.tok_index(d.start)
    for kind, a, b in L.matches:
        if kind == "stop_before" and b == k0:
            return True
    stop = L.c.get("stop_after", set())
    b = L.span[d.k][1]
    for t in next_tokens(L, d, 4):
        if t.idx < b and t.lower_ in stop and not _changed_to_dose(L, t, b):
            return True
    return False


def _changed_to_dose(L, t, b) -> bool:
    """"X was changed to 100 mg", "changed to low dose (100 mg)": a dose change, not a stop: "to"
    follows the verb and a DOSE comes before any DRUG in the drug's span."""
    after = L.s.tokens_between(t.idx + len(t.text), b)[:1]
    if not after or after[0].lower_ != "to":
        return False
    nxt = [it for it in L.s.items if t.idx < it.start < b and it.type in ("DOSE", "DRUG")]
    return bool(nxt) and nxt[0].type == "DOSE"


AUXILIARY = {"was", "were", "is", "are", "be", "been", "being", "to"}


def is_planned(L, d: Item) -> bool:
    """"Rituximab was planned for day 8", "we recommend rituximab", "X will be given": a planned,
    recommended or considered drug is not an administration of this report's sentence."""
    k0 = L.s.tok_index(d.start)
    if any(kind == "planned_before" and b == k0 for kind, a, b in L.matches):
        return True
    after = L.c.get("planned_after", set())
    a, b = L.span[d.k]
    attrs = [(it.start, it.end) for it in L.s.items if it.type != "DRUG"]
    toks = [t for t in L.s.tokens_between(a, b, L.alias_groups)  # "X 375 mg/m2 was planned"
            if not any(x <= t.idx < y for x, y in attrs)]
    for t in toks[:3]:
        if t.lower_ in after:
            return True
        if t.lower_ not in AUXILIARY:
            return False
    return False


def not_given(L) -> set:
    """Step 6: keys of drugs that give no record: measured, negated or planned, and every member of
    a bare coordinated list whose first member is one of these ("susceptible to vancomycin,
    linezolid and daptomycin", "levels of tacrolimus and sirolimus")."""
    out = {d.k for d in L.drugs if is_level(L, d) or is_negated(L, d) or is_planned(L, d)}
    for d in L.drugs:
        lst = L.coordinated_list(d)
        if len(lst) >= 2 and lst[0].k in out and lst[-1] is d:
            out.update(x.k for x in lst)
    return out
