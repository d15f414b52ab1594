"""Decision (c), sentence level: days and dates that no drug span owns.

1. **Leading days** (:func:`sentence_days`): a DAY/DATE before the first drug of its top-level
   clause ("On day 34 ..., the patient received busulfan plus cyclophosphamide") goes to every
   drug that follows in that clause behind an administration word (``admin_cue``), unless a dose
   that no drug owns comes first.
2. **Push-down**: a DAY/DATE after a regimen whose components it lists ("the FC regimen (...)
   was initiated on May 27 2021 (day -4)") goes to the components (whose own days it must match,
   :mod:`pipeline.link.records`).

3. **Event days** (:func:`event_days`): a DAY/DATE right after a clinical event ("blood cultures
   taken on day 5", "she died on day 9") or the stop of a drug ("started on March 3 and stopped
   on March 10": March 10, cue ``stop_event_cue``) belongs to no drug, even one in its span.

Days never cross a sentence.
"""
from __future__ import annotations

from .sentence import TEMPORAL


def top_clause(L, char: int) -> tuple[int, int]:
    s = L.s
    a, b = s.start, s.end
    for k, t in enumerate(s.toks):
        if t.text == ";" and not s.tok_groups[k]:
            if t.idx < char:
                a = t.idx
            else:
                b = t.idx
                break
    return a, b


def sentence_days(L):
    s = L.s
    orphans = [it for it in s.items if it.type in TEMPORAL and it.k not in L.claimed
               and it.k not in L.drop]
    for o in orphans:
        a, b = top_clause(L, o.start)
        before = [d for d in L.drugs if a <= d.start < o.start]
        after = [d for d in L.drugs if o.start < d.start < b]
        lead_doses = [it for it in s.items if it.type == "DOSE" and a <= it.start < o.start
                      and it.k not in L.claimed]
        cue = L.c.get("admin_cue", set())
        after = [d for d in after if L.s.words(o.end, L.span[d.k][1]) & cue]
        if not before and after and not lead_doses:
            # leading: "On day 34 ..., the patient received X plus Y"; not when a dose no drug
            # owns comes first (its drug was not recognised: "IVIG, 25 g daily, on d 32 to 36")
            for d in after:
                L.shared[d.k].append((o, "lead"))
            continue
        regs = [(rk, comps) for rk, comps in L.components.items()
                if s.items[rk].start < o.start and comps and max(x.start for x in comps) < o.start]
        if regs:
            rk, comps = max(regs, key=lambda x: s.items[x[0]].start)
            last = max(x.start for x in comps)
            if not [d for d in L.drugs if last < d.start < o.start]:
                for d in comps:
                    L.shared[d.k].append((o, "push"))


EVENT_REACH = 6  # tokens looked at before a day or date


def event_days(L) -> set:
    """Keys of DAY/DATE items that date a clinical event, not an administration: reading back from
    the day, an ``event_cue`` word ("cultures taken on day 5", "died on day 9", "developed a rash on
    day 12") comes before any drug, other temporal item or ``admin_cue`` word ("vancomycin was
    given on day 5" keeps its day). At most ``EVENT_REACH`` tokens, within the clause (";")."""
    s, c = L.s, L.c
    events, admin = c.get("event_cue", set()) | c.get("stop_event_cue", set()), c.get("admin_cue", set())
    if not events:
        return set()
    blocked = [(it.start, it.end) for it in s.items if it.type in ("DRUG", "REGIMEN") + TEMPORAL]
    out = set()
    for o in s.items:
        if o.type not in TEMPORAL:
            continue
        for t in list(reversed(s.tokens_between(s.start, o.start)))[:EVENT_REACH]:
            if t.text == ";" or any(a <= t.idx < b for a, b in blocked) or t.lower_ in admin:
                break
            if t.lower_ in events:
                out.add(o.k)
                break
    return out
