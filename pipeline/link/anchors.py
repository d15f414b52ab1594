"""Absolute dates for relative days, where the text itself ties a day to a date.

Case reports count treatment time in days relative to an event ("day −4", "day +8") and give
calendar dates now and then. Where one sentence states both for the same moment ("the FC regimen
was initiated on May 27 2021 (day −4)", "on day +8 (June 4)", "on day 0, 3 March 2020"), the day
numbers around it can be turned into dates: the day-to-date anchoring that temporal
normalisation systems do with a reference time (HeidelTime's document/reference dates, Strötgen &
Gertz 2013, LRE 47:269; the i2b2 2012 temporal relations track, Sun et al. 2013, JAMIA 20:806).

Only an explicit tie anchors: a single-day DAY entity and a full DATE entity separated by nothing
but what a row of ``patterns/linking/anchors.jsonl`` allows (a parenthesis, an apposition comma,
"was") and closed right after. A date and a day that merely share a sentence ("admitted on May 2,
2021, and on day 8 received ...") do not.

A document may run several timelines (a second infusion, a transplant, the day numbers of a
regimen's cycle in a caption), so an anchor reaches only its own paragraph, and within it stops at
any other DATE: a new date means the narrative has moved to another time reference. Each DAY of a
record inside a scope gets one derived date per day number: ``anchor date + (day − anchor day)``
(calendar days; a timeline without a day 0 between −1 and +1 would be off by one after crossing
it, which case reports in this domain do not do). Records get ``derived_dates`` only when there is
one, so documents without an anchor are unchanged.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from ..document import Document
from ..resources import load_jsonl

FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MAX_DAY = 36500  # a day number beyond a century is a misreading, never dated


@lru_cache(maxsize=1)
def tie_rules() -> tuple:
    return tuple((r["order"], re.compile(r["gap"], re.I), re.compile(r["after"], re.I))
                 for r in load_jsonl("linking/anchors.jsonl"))


def _date(norm) -> date | None:
    m = FULL_DATE.match(norm) if isinstance(norm, str) else None
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _single_day(norm) -> int | None:
    if isinstance(norm, list) and len(norm) == 1 and isinstance(norm[0], int) and abs(norm[0]) <= MAX_DAY:
        return norm[0]
    return None


def find_anchors(text: str, entities: list) -> list[dict]:
    """Explicit day<->date ties: [{"date": DATE id, "day": DAY id, "value": n, "day0": date of day 0,
    "start", "end"}], in text order."""
    ents = sorted((e for e in entities if e.get("type") in ("DAY", "DATE")), key=lambda e: (e["start"], e["end"]))
    out = []
    for a, b in zip(ents, ents[1:]):
        if {a["type"], b["type"]} != {"DAY", "DATE"} or b["start"] < a["end"]:
            continue
        order = "date_day" if a["type"] == "DATE" else "day_date"
        d_ent, n_ent = (a, b) if order == "date_day" else (b, a)
        when, n = _date(d_ent.get("norm")), _single_day(n_ent.get("norm"))
        if when is None or n is None:
            continue
        gap, after = text[a["end"]:b["start"]], text[b["end"]:b["end"] + 40]
        if any(o == order and g.fullmatch(gap) and f.match(after) for o, g, f in tie_rules()):
            out.append({"date": d_ent["id"], "day": n_ent["id"], "value": n,
                        "day0": when - timedelta(days=n), "start": a["start"], "end": b["end"]})
    return out


def derive_dates(doc: Document) -> Document:
    """Add ``derived_dates`` ([{"day", "value", "date", "anchor", "anchor_day"}]) to the records
    whose DAY entities lie in the scope of an explicit day<->date tie (see the module docstring)."""
    if not doc.records or not doc.entities:
        return doc
    anchors = find_anchors(doc.text, doc.entities)
    if not anchors:
        return doc
    by_id = {e["id"]: e for e in doc.entities}
    dates = sorted((e["start"], e["end"], e["id"]) for e in doc.entities if e.get("type") == "DATE")
    text = doc.text
    scopes = []
    for a in anchors:
        lo = text.rfind("\n", 0, a["start"]) + 1
        hi = text.find("\n", a["end"])
        hi = len(text) if hi < 0 else hi
        for s, e, ident in dates:
            if ident == a["date"]:
                continue
            if a["end"] <= s < hi:
                hi = s
            elif lo <= e <= a["start"] and e > lo:
                lo = e
        scopes.append((lo, hi, a))
    for rec in doc.records:
        derived = []
        for day_id in rec.get("days", []):
            e = by_id.get(day_id)
            if not e or not isinstance(e.get("norm"), list):
                continue
            inside = [(abs(e["start"] - a["start"]), k, a) for k, (lo, hi, a) in enumerate(scopes)
                      if lo <= e["start"] and e["end"] <= hi]
            if not inside:
                continue
            a = min(inside, key=lambda x: (x[0], x[1]))[2]
            for n in e["norm"]:
                if isinstance(n, int) and abs(n) <= MAX_DAY:
                    derived.append({"day": day_id, "value": n, "date": (a["day0"] + timedelta(days=n)).isoformat(),
                                    "anchor": a["date"], "anchor_day": a["day"]})
        if derived:
            rec["derived_dates"] = derived
    return doc
