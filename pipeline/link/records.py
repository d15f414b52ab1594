"""Records: one per administration of a drug, from the attributes the steps gave it.

1. Stopped drugs keep no days or dates; a pushed-down day that contradicts the drug's own days is
   left out, and so is a date anchored to it ("on May 27 2021 (day -4)").
2. **Dose groups** (:func:`dose_groups`): each dose with its unit; coordinated doses written with
   one unit ("300 and 150 ng/kg/min") share it; a dose with its alternative in parentheses ("5
   mg/kg (294 mg)") is one group.
3. **Keys** (:func:`drug_records`): inside the drug's span, ``clause_split`` tokens cut clauses;
   with several dose groups each is a key and gets the attributes of its clause ("10 mg once
   daily on day +7; 10 mg every 6 h on days +8 to +9"); with one dose but frequencies in
   separate clauses the frequencies are the keys. Days and dates of a clause without a key go to
   the nearest key before (else after); routes and frequencies there are shared.
4. **Dose sequences** (:func:`dose_sequences`): doses of one drug joined only by words of a dose
   change, with a change verb among them or as "from A to B" ("initially at 5 mg/kg increased to
   10 mg/kg IV every 4 to 6 weeks", "from 500 mg to 1000 mg daily", cues ``dose_sequence``,
   ``dose_change_verb``) are one regimen whose dose changed: a ROUTE or FREQUENCY written once
   after the last dose belongs to each dose of the sequence that has none of its own
   (gold/GUIDELINES.md §11; the schema's shared-modifier rule for one drug). Doses with an
   attribute between them ("10 mg once daily on day +7; 10 mg every 6 h ...") are no sequence,
   nor a loading dose and its maintenance ("400 mg, followed by 100 mg every 24 hours").
5. A FREQUENCY both before the drug (a noun-phrase "daily") and after it (in the dosing
   expression): the record takes the one after ("the daily erlotinib dose above 150-200 mg
   daily", gold/GUIDELINES.md §11); otherwise the first.
6. A record needs one attribute besides the drug (dose, unit, frequency, route, day, date or
   regimen).
"""
from __future__ import annotations

from .sentence import TEMPORAL, Item


def records(L) -> list[dict]:
    out = []
    for d in L.drugs:
        if d.k in L.level:
            continue
        out.extend(drug_records(L, d))
    return out


def day_set(items) -> set:
    """The day numbers of DAY items (a range norm is a list)."""
    days = set()
    for it in items:
        n = it.e.get("norm")
        if isinstance(n, list):
            days.update(x for x in n if isinstance(x, (int, float)))
        elif isinstance(n, (int, float)):
            days.add(n)
    return days


def shared_attributes(L, d: Item, own_days: set, stopped: bool) -> list:
    """Step 1: the items sentence-level steps gave ``d`` that it keeps."""
    s = L.s
    shared_items = []
    pushed_days = {}
    for o, how in L.shared[d.k]:
        if stopped and o.type in TEMPORAL:
            continue
        if o.type == "DAY" and how == "push" and own_days and not (day_set([o]) & own_days):
            pushed_days[o.k] = False
            continue
        pushed_days[o.k] = True
        shared_items.append(o)
    # a date anchored to a pushed-down day by parentheses follows that day's decision
    for o in list(shared_items):
        if o.type != "DATE":
            continue
        for g in s.groups:  # "on May 27 2021 (day −4)"
            if g.head is o and g.items and g.items[0].type == "DAY" \
                    and pushed_days.get(g.items[0].k) is False and o in shared_items:
                shared_items.remove(o)
    return shared_items


def dose_groups(L, items) -> tuple[dict, set, list]:
    """Step 2: (dose key -> unit item, keys of paired units, dose groups) of a drug's items."""
    s = L.s
    # dose/unit pairs and dose groups (a dose with its alternative in parentheses)
    unit_of, paired = {}, set()
    for it in items:
        if it.type == "UNIT":
            prev = [x for x in items if x.type == "DOSE" and x.end <= it.start]
            if prev and not s.tokens_between(prev[-1].end, it.start) and prev[-1].k not in unit_of:
                unit_of[prev[-1].k] = it
                paired.add(it.k)
    # coordinated doses written with one unit ("300 and 150 ng/kg/min") share it
    doses = [it for it in items if it.type == "DOSE"]
    for x, y in reversed(list(zip(doses, doses[1:]))):
        if x.k not in unit_of and y.k in unit_of and \
                all(t.lower_ in ("and", "or", ",", "&") for t in s.tokens_between(x.end, y.start)):
            unit_of[x.k] = unit_of[y.k]
    groups: list[list] = []
    for x in doses:
        if groups:
            last = groups[-1][-1]
            lend = unit_of[last.k].end if last.k in unit_of else last.end
            gap = [t.lower_ for t in s.tokens_between(lend, x.start)]
            # "5 mg/kg (294 mg)", "1.4 mg/m2 (max 2 mg)": the same administration
            if gap[:1] == ["("] and set(gap[1:]) <= L.c.get("dose_alt_qualifier", set()):
                groups[-1].append(x)
                continue
        groups.append([x])
    return unit_of, paired, groups


def drug_records(L, d: Item) -> list[dict]:
    s = L.s
    stopped = d.k in L.stopped
    pre = L.premod[d.k]
    own = L.own[d.k]
    if stopped:
        own = [it for it in own if it.type not in TEMPORAL]
    own_days = day_set([it for it in pre + own if it.type == "DAY"])
    shared_items = shared_attributes(L, d, own_days, stopped)
    items = sorted(pre + own, key=lambda it: it.start)
    unit_of, paired, groups = dose_groups(L, items)
    # clauses of the drug's span
    split = L.c.get("clause_split", set())
    a, b = L.span[d.k]
    cuts = [t.idx for t in s.tokens_between(a, b, L.alias_groups) if t.lower_ in split]
    clause = lambda it: -1 if it.start < d.start else sum(1 for c in cuts if c < it.start)
    freqs = [it for it in own if it.type == "FREQUENCY"]
    fclauses = {}
    for f in freqs:
        fclauses.setdefault(clause(f), f)
    if len(groups) >= 2:
        keys = [(g[0], g) for g in groups]
        key_items = {x.k for g in groups for x in g} | paired
        shared_dose = []
    elif len(fclauses) >= 2:
        keys = [(f, [f]) for f in fclauses.values()]
        key_items = {f.k for f in fclauses.values()}
        shared_dose = groups[0] if groups else []
    else:
        keys = [(d, groups[0] if groups else [])]
        key_items = {x.k for g in groups for x in g} | paired
        shared_dose = []
    assigned: dict = {id(k): [] for k, _ in keys}
    common = list(shared_items)
    if len(keys) == 1:
        common += [it for it in items if it.k not in key_items]
    else:
        kc = [(clause(k), k) for k, _ in keys]
        for it in items:
            if it.k in key_items or it in shared_dose or (it.type == "UNIT" and it.k in paired):
                continue
            cl = clause(it)
            if cl == -1 and it.type in ("ROUTE", "FREQUENCY"):
                common.append(it)
                continue
            same = [k for c_, k in kc if c_ == cl]
            if same:
                prev = [k for k in same if k.start <= it.start]
                assigned[id(prev[-1] if prev else same[0])].append(it)
            elif it.type in TEMPORAL:
                prev = [k for _, k in kc if k.start <= it.start]
                nxt = [k for _, k in kc if k.start > it.start]
                assigned[id(prev[-1] if prev else nxt[0])].append(it)
            else:
                common.append(it)
    if len(keys) >= 2 and keys[0][0].type == "DOSE":
        for run in dose_sequences(L, keys, unit_of, items):
            last = assigned[id(run[-1])]
            for typ in ("ROUTE", "FREQUENCY"):
                tail = [it for it in last if it.type == typ and it.start > run[-1].start]
                for k in run[:-1]:
                    if tail and not any(it.type == typ for it in assigned[id(k)]):
                        assigned[id(k)].append(tail[0])
    regimen = L.regimen.get(d.k)
    recs = []
    for key, grp in keys:
        dose_list = grp if key.type != "FREQUENCY" else shared_dose
        attrs = sorted(common + assigned[id(key)] + ([key] if key.type == "FREQUENCY" else []),
                       key=lambda it: it.start)
        for dose in (dose_list or [None]):
            unit = unit_of.get(dose.k) if dose is not None else None
            if unit is None:
                lone = [it for it in attrs if it.type == "UNIT" and it.k not in paired]
                unit = lone[0] if lone and dose is None else None
            first = lambda t: next((it.e["id"] for it in attrs if it.type == t), None)
            freqs = [it for it in attrs if it.type == "FREQUENCY"]
            if freqs and freqs[0].start < d.start and freqs[-1].start > d.start:
                # "the daily erlotinib dose above 150-200 mg daily": the dosing expression's
                attrs = [it for it in attrs if not (it.type == "FREQUENCY" and it.start < d.start)]
            rec = {"drug": d.e["id"], "dose": dose.e["id"] if dose is not None else None,
                   "unit": unit.e["id"] if unit is not None else None,
                   "frequency": first("FREQUENCY"), "route": first("ROUTE"),
                   "days": _uniq(it.e["id"] for it in attrs if it.type == "DAY"),
                   "dates": _uniq(it.e["id"] for it in attrs if it.type == "DATE"),
                   "regimen": regimen.e["id"] if regimen is not None else None}
            if any(rec[k] for k in ("dose", "unit", "frequency", "route", "days", "dates", "regimen")):
                recs.append(rec)
    return recs


def dose_sequences(L, keys, unit_of, items) -> list[list]:
    """Step 4: runs of consecutive dose keys (two or more) whose gaps hold no other attribute and
    only ``dose_sequence`` words ("increased to", "then", "tapered to")."""
    words, change = L.c.get("dose_sequence", set()), L.c.get("dose_change_verb", set())
    runs, cur = [], [keys[0][0]]
    for (k0, g0), (k1, _) in zip(keys, keys[1:]):
        last = g0[-1]
        a = unit_of[last.k].end if last.k in unit_of else last.end
        between = [it for it in items if a <= it.start < k1.start]
        gap = L.s.words(a, k1.start)
        before = L.s.tokens_between(L.s.start, k0.start)[-1:]
        # a change verb between ("5 mg/kg increased to 10 mg/kg"), or "from 40 mg to 20 mg"; not
        # a loading dose and its maintenance ("400 mg, followed by 100 mg every 24 hours")
        changed = bool(gap & change) or (gap == {"to"} and before and before[0].lower_ == "from")
        if not between and gap and gap <= words and changed:
            cur.append(k1)
        else:
            if len(cur) >= 2:
                runs.append(cur)
            cur = [k1]
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def _uniq(xs) -> list:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out
