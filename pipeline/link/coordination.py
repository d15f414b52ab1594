"""Decision (b), second part: attributes shared across a coordinated drug list.

1. **Lists** (:func:`coordinated_list`): the bare list "A, B, and C" (connectors in
   ``list_connector``); ``relaxed`` lets members carry their own attributes ("A (30 mg/m2) and B
   (3.2 mg/kg)").
2. **Shared days, dates, routes** (:func:`share_lists`): a bare list shares the days, dates and
   route of its last member ("A, B and C were given on day 3"); a day after the last member of a
   relaxed list behind an administration word goes to all; a route before the first member of a
   bare list ("intravenous vancomycin and cefepime", "intravenous infusions of A and B") goes to
   all.
3. **Respectively** (:func:`respectively`): "A and B ... 10 mg and 20 mg, respectively" pairs the
   i-th dose with the i-th drug.
4. **Distributive words** (:func:`distributive`): "A 20 mg and B 100 µg, both once daily".
5. **Trailing modifiers** (:func:`share_trailing`): a FREQUENCY or ROUTE written once after the
   last dose of a list whose members carry doses ("A 50 mg/m2, B 500 mg/m2 and C 1 mg/m2 every 3
   weeks", "A 300 mg and B 100 mg daily") goes to every member with a dose and none of its own,
   when it closes the list ("A 60 mg d1-3, B 100 mg q12h d1-7": q12h is B's alone).
6. **Leading route** (:func:`share_leading`): a ROUTE that opens the first member's dose chain
   ("intrathecal 12.5 mg of bupivacaine with 15 µg fentanyl", "intravenous 5 mg A and 10 mg B")
   goes to each following member whose own dose chain has no route, joined by
   ``leading_connector`` words only ("oral X 20 mg/day and oral Y": Y has its own); so does a
   ROUTE right before the first member of a list whose members carry their own doses ("IV A 2 g
   daily and B 500 mg every 8 hours"), unless the list sits in an enumeration of routed drugs.
   A route before a bare list inside such an enumeration is its first member's only
   ("intravenous A, nebulized B, C, and D infusion, intravenous E", :func:`_routed_neighbour`).
7. **Class with its members in parentheses** (:func:`class_apposition`): a route of a class word
   that a parenthesis right after names ("oral antibiotics (a combination of amoxicillin and
   clavulanic acid)", "intravenous steroids (methylprednisolone 1 g)") goes to the drugs it names,
   the first member and the bare list it opens; a parenthesis that does not open with a drug
   ("intrathecal chemotherapy (three doses)") gives nothing.
"""
from __future__ import annotations

from .sentence import TEMPORAL, Item


def coordinated_list(L, d: Item, relaxed: bool = False) -> list:
    """The bare coordinated drug list that ends with ``d`` ("A, B, and C"); ``relaxed`` also
    lets members carry their own attributes ("A (30 mg/m2) and B (3.2 mg/kg)")."""
    conn = L.c.get("list_connector", set())
    out = [d]
    for p in reversed([x for x in L.drugs if x.start < d.start]):
        nxt = out[0]
        if not relaxed:
            ok = not L.premod[nxt.k] and gap_words(L, p.end, nxt.start, L.alias_groups) <= conn
        else:
            end = L.premod[nxt.k][0].start if L.premod[nxt.k] else nxt.start
            skip = frozenset(g.gid for g in L.s.groups if g.head is p) | L.alias_groups
            spans = [(it.start, it.end) for it in L.own.get(p.k, [])]
            ok = gap_words(L, p.end, end, skip, spans) <= conn
        if ok and p.groups == nxt.groups:
            out.insert(0, p)
        else:
            break
    return out


def gap_words(L, a: int, b: int, skip: frozenset, spans=()) -> set:
    """Words between a and b, leaving out the groups ``skip`` (with their parentheses) and
    the character ``spans``."""
    parens = {c for g in L.s.groups if g.gid in skip for c in (g.open_char, g.close_char)}
    return {t.lower_ for t in L.s.tokens_between(a, b, skip)
            if t.idx not in parens and not any(x <= t.idx < y for x, y in spans)}


def share_lists(L):
    seen = set()
    for d in reversed(L.drugs):
        if d.k in seen:
            continue
        lst = coordinated_list(L, d)
        seen.update(x.k for x in lst)
        if len(lst) < 2 or any(L.own[x.k] or L.premod[x.k] for x in lst[:-1]):
            continue
        share = [it for it in L.own[d.k] if it.type in TEMPORAL + ("ROUTE",)]
        for x in lst[:-1]:
            L.shared[x.k].extend((it, "list") for it in share)
    # "A (30 mg/m2/day) and B (3.2 mg/kg/day) were administered on days −6 to −3": a day or
    # date after the last member, at the list's level and after a word of administration
    cue = L.c.get("admin_cue", set())
    for d, lst in relaxed_lists(L):
        own = L.own[d.k]
        closes = [g.close_char for g in L.s.groups if g.head is d]
        after = max([it.end for it in own if it.type not in TEMPORAL] + closes + [d.end])
        share = [it for it in own if it.type in TEMPORAL and it.groups == d.groups
                 and it.start >= after and L.s.words(after, it.start) & cue]
        for x in lst[:-1]:
            if share and not any(it.type in TEMPORAL for it in L.own[x.k]) and \
                    not any(o is it for o, _ in L.shared[x.k] for it in share):
                L.shared[x.k].extend((it, "list") for it in share)
    # a route before the first member of a bare list: "intravenous infusions of A and B"
    for d in L.drugs:
        lst = coordinated_list(L, d)
        if len(lst) < 2 or lst[-1] is not d or any(L.premod[x.k] or L.own[x.k] for x in lst[1:-1]):
            continue
        if L.own[lst[0].k] or L.premod[d.k] or any(it.type in ("DOSE", "UNIT") for it in L.own[d.k]):
            continue
        routes = [it for it in L.premod[lst[0].k] if it.type == "ROUTE"]
        after = L.s.tokens_between(d.end, L.s.end, L.alias_groups)[:1]
        disjunction = "or" in L.s.words(lst[-2].end, d.start)  # "A or B is standard": one list
        # "Topical use of A and B has been useful": the verb agrees with the head noun of the
        # route ("use of", "administration of"), not with B
        headed = routes and "of" in L.s.words(routes[0].end, lst[0].start)
        if after and after[0].lower_ in L.c.get("singular_verb", set()) and not disjunction and not headed:
            continue  # "to intravenous cidofovir and CMVIG was restarted": two clauses
        # "intravenous infusions of A and B", "intravenous vancomycin and cefepime" (schema:
        # a route written once for coordinated drugs belongs to each); not inside an
        # enumeration whose members carry routes of their own ("intravenous A, nebulized B, C,
        # and D infusion, intravenous E": "nebulized" is B's)
        if routes and all(it.type == "ROUTE" for it in L.premod[lst[0].k]) and \
                not _routed_neighbour(L, lst[0], lst[-1]):
            for x in lst[1:]:
                L.shared[x.k].append((routes[0], "list"))


def _routed_neighbour(L, first: Item, last: Item) -> bool:
    """A drug joined to the list by list connectors right before ``first`` or right after ``last``
    has a route of its own: the routes are per member, not shared."""
    conn = L.c.get("list_connector", set()) | {"infusion", "infusions"}
    before = [x for x in L.drugs if x.end <= first.start]
    after = [x for x in L.drugs if x.start >= last.end]
    start = lambda x: L.premod[x.k][0].start if L.premod[x.k] else x.start
    pairs = ([(before[-1], before[-1].end, start(first))] if before else []) + \
        ([(after[0], last.end, start(after[0]))] if after else [])
    for x, lo, hi in pairs:
        own_route = any(it.type == "ROUTE" for it in L.premod[x.k] + L.own[x.k])
        if own_route and L.s.words(lo, hi) <= conn:
            return True
    return False


def respectively(L):
    """"X and Y ... 10 mg and 20 mg, respectively": the i-th dose (with its unit) to the i-th drug."""
    if not {t.lower_ for t in L.s.toks} & L.c.get("respectively", set()):
        return
    for d in L.drugs:
        lst = coordinated_list(L, d)
        if len(lst) < 2 or lst[-1] is not d or any(L.own[x.k] or L.premod[x.k] for x in lst[:-1]):
            continue
        own = L.own[d.k]
        doses = [it for it in own if it.type == "DOSE"]
        if len(doses) != len(lst):
            continue
        for i, (x, dose) in enumerate(zip(lst, doses)):
            nxt = doses[i + 1].start if i + 1 < len(doses) else L.span[d.k][1]
            part = [it for it in own if dose.start <= it.start < nxt and it.type in ("DOSE", "UNIT", "FREQUENCY")]
            if x is not d:
                L.own[x.k] = part
        L.own[d.k] = [it for it in own if it.start >= doses[-1].start or it.type not in ("DOSE", "UNIT", "FREQUENCY")]


def distributive(L):
    """"furosemide 20 mg and levothyroxine 100 µg, both once daily": a frequency or route after
    "both" (the two drugs before it) or "all"/"each" (every drug before it in the sentence)."""
    words = L.c.get("distributive", set())
    if not words or not {t.lower_ for t in L.s.toks} & words:
        return
    for i, d in enumerate(L.drugs):
        for it in L.own[d.k]:
            if it.type not in ("FREQUENCY", "ROUTE"):
                continue
            prev = [t for t in L.s.tokens_between(d.end, it.start) if not t.is_punct]
            if not prev or prev[-1].lower_ not in words:
                continue
            others = L.drugs[max(0, i - 1):i] if prev[-1].lower_ == "both" else L.drugs[:i]
            for x in others:
                if not any(o.type == it.type for o in L.own[x.k]):
                    L.shared[x.k].append((it, "list"))


def share_trailing(L):
    """Step 5: a FREQUENCY/ROUTE right after the last member's doses, shared along the list."""
    gap_ok = L.c.get("shared_trailing_gap", set())
    for d, lst in relaxed_lists(L):
        own = sorted(L.own[d.k], key=lambda it: it.start)
        doses = [it for it in own if it.type in ("DOSE", "UNIT")]
        if not doses:
            continue
        trail, cur = [], max(it.end for it in doses)
        for it in own:
            if it.start < cur:
                continue
            if it.type in ("DOSE", "UNIT") or not L.s.words(cur, it.start) <= gap_ok:
                break
            if it.type in ("FREQUENCY", "ROUTE"):
                trail.append(it)
            cur = it.end
        if not trail or trail[-1] is not own[-1]:  # it closes the list: "C 1 mg q12h d1-7" is C's
            continue
        for x in lst[:-1]:
            mine = L.own[x.k] + L.premod[x.k]
            if not any(it.type == "DOSE" for it in mine):
                continue
            for it in trail:
                if not any(o.type == it.type for o in mine) and \
                        not any(o.type == it.type for o, _ in L.shared[x.k]):
                    L.shared[x.k].append((it, "list"))


def share_leading(L):
    """Step 6: a route before the first dose of a dosed list, shared along the list."""
    conn = L.c.get("leading_connector", set())
    for i, d in enumerate(L.drugs):
        chain = L.premod[d.k]
        if len(chain) < 2 or chain[0].type != "ROUTE" or not any(it.type == "DOSE" for it in chain):
            continue
        prev = d
        for x in L.drugs[i + 1:]:
            px = L.premod[x.k]
            start = px[0].start if px else x.start
            between = [it for it in L.s.items if prev.end <= it.start < start]
            if between or not px or not L.s.words(prev.end, start) <= conn or \
                    x.groups != d.groups or any(it.type == "ROUTE" for it in px + L.own[x.k]) or \
                    not any(it.type == "DOSE" for it in px):
                break
            L.shared[x.k].append((chain[0], "list"))
            prev = x
    # "IV ceftriaxone 2 g daily and metronidazole 500 mg every 8 hours", "intravenous vancomycin
    # (15 mg/kg ...) and piperacillin-tazobactam (4.5 g ...)": a route right before the first
    # member of a list whose members carry their own doses
    for d, lst in relaxed_lists(L):
        routes = [it for it in L.premod[lst[0].k] if it.type == "ROUTE"]
        if not routes or any(it.type != "ROUTE" for it in L.premod[lst[0].k]) or \
                _routed_neighbour(L, lst[0], lst[-1]):
            continue
        for x in lst[1:]:
            mine = L.premod[x.k] + L.own[x.k]
            if any(it.type == "ROUTE" for it in mine) or not any(it.type == "DOSE" for it in mine):
                continue
            if not any(o is routes[0] for o, _ in L.shared[x.k]):
                L.shared[x.k].append((routes[0], "list"))


def class_apposition(L):
    """Step 7: the route of "oral antibiotics (amoxicillin ...)" to the drugs in the parenthesis."""
    heads = L.c.get("route_nondrug_head", set())
    lead = L.c.get("apposition_lead", set())
    for it in L.s.items:
        if it.type != "ROUTE" or it.k not in L.drop:
            continue
        nxt = L.s.tokens_between(it.end, L.s.end)[:2]
        if len(nxt) < 2 or nxt[0].lower_ not in heads or nxt[1].text != "(":
            continue
        g = next((g for g in L.s.groups if g.open_char == nxt[1].idx), None)
        drugs = [x for x in L.drugs if g is not None and x.groups and x.grp == g.gid]
        if not drugs or not L.s.words(g.open_char + 1, drugs[0].start) <= lead:
            continue
        for x in coordinated_from(L, drugs[0]):
            if not any(o.type == "ROUTE" for o in L.premod[x.k] + L.own[x.k]):
                L.shared[x.k].append((it, "list"))


def coordinated_from(L, first: Item) -> list:
    """``first`` and the bare list it opens ("amoxicillin and clavulanic acid")."""
    conn = L.c.get("list_connector", set())
    out = [first]
    for x in [d for d in L.drugs if d.start > first.start]:
        if x.groups != first.groups or L.premod[x.k] or \
                not gap_words(L, out[-1].end, x.start, L.alias_groups) <= conn:
            break
        out.append(x)
    return out


def relaxed_lists(L):
    """(last member, list) of each maximal relaxed coordinated list of two or more drugs, from the
    end of the sentence."""
    seen = set()
    for d in reversed(L.drugs):
        if d.k in seen:
            continue
        lst = coordinated_list(L, d, relaxed=True)
        seen.update(x.k for x in lst)
        if len(lst) >= 2:
            yield d, lst
