"""Record misses by class: missing attribute, extra attribute, wrong drug, wrong case, spurious
record, missed record.

A record counts only when every slot is right (:func:`record_key`), so one count of record
F1 hides very different faults. The misses are paired and classified: records equal in every slot
are set aside first; then a predicted and a gold record are paired when our drug entity matches the
gold drug entity (lenient entity matching), best pairs (most equal slots) first; then records left
over are paired when they share an attribute entity but name different drugs. Each miss gets one
class, in this order:

- paired by drug, a gold attribute absent or different in ours: ``missing attribute`` (a wrong
  value is a missing one: the gold value is not there);
- paired by drug, every gold attribute there but ours has more: ``extra attribute``;
- paired by drug, every slot equal but the patient: ``wrong case``;
- paired by a shared attribute, other drug: ``wrong drug``;
- gold record left unpaired: ``missed record``; predicted record left unpaired: ``spurious record``.

Each paired miss is one false positive and one false negative of record P/R, counted once here.
The slots at fault are counted too (``slots``), so "missing attribute" can be read as "dates",
"days", "route", ...
"""
from __future__ import annotations

from collections import Counter

CLASSES = ("missing attribute", "extra attribute", "wrong case", "wrong drug", "missed record",
           "spurious record")
SLOTS = ("dose", "unit", "frequency", "route", "days", "dates", "regimen")


def _slot_values(r: dict, m) -> dict:
    """Each attribute slot of a record as a set of (mapped) entity ids."""
    out = {}
    for s in SLOTS:
        v = r.get(s)
        vals = v if isinstance(v, list) else ([v] if v else [])
        out[s] = {m(x) for x in vals}
    return out


def record_key(r: dict, idmap: dict | None = None):
    """A record as a comparable key: every slot (entity ids mapped through ``idmap``), days and
    dates as sets, and the case."""
    m = (lambda x: idmap.get(x, f"unmatched:{x}")) if idmap is not None else (lambda x: x)
    one = lambda x: m(x) if x else None
    return (one(r.get("drug")), one(r.get("dose")), one(r.get("unit")), one(r.get("frequency")),
            one(r.get("route")), frozenset(m(x) for x in r.get("days", [])),
            frozenset(m(x) for x in r.get("dates", [])), one(r.get("regimen")), r.get("case"))


def classify_records(pred_records: list, gold_records: list, lm: dict) -> dict:
    """Record misses of one document by class. ``lm`` maps predicted entity ids to gold entity
    ids (the lenient matching); unmatched predicted entities never equal a gold one."""
    m = lambda x: lm.get(x, f"unmatched:{x}")
    pkeys = [record_key(r, lm) for r in pred_records]
    gkeys = [record_key(r) for r in gold_records]
    p_left, g_left = list(range(len(pred_records))), list(range(len(gold_records)))
    for i in list(p_left):  # exact matches first, as record P/R counts them
        for j in g_left:
            if pkeys[i] == gkeys[j]:
                p_left.remove(i)
                g_left.remove(j)
                break
    pv = {i: _slot_values(pred_records[i], m) for i in p_left}
    gv = {j: _slot_values(gold_records[j], lambda x: x) for j in g_left}
    items, slots = [], Counter()

    def pair(cands):
        for _, i, j in sorted(cands):
            if i in p_left and j in g_left:
                p_left.remove(i)
                g_left.remove(j)
                yield i, j

    by_drug = [(-sum(pv[i][s] == gv[j][s] for s in SLOTS), i, j) for i in p_left for j in g_left
               if m(pred_records[i].get("drug")) == gold_records[j].get("drug")]
    for i, j in list(pair(by_drug)):
        missing = [s for s in SLOTS if gv[j][s] - pv[i][s]]
        extra = [s for s in SLOTS if pv[i][s] - gv[j][s]]
        if missing:
            cls, bad = "missing attribute", missing
        elif extra:
            cls, bad = "extra attribute", extra
        else:
            cls, bad = "wrong case", ["case"]
        slots.update(f"{cls}: {s}" for s in bad)
        items.append({"class": cls, "pred": i, "gold": j, "slots": bad})
    shared = [(-len(set().union(*(pv[i][s] & gv[j][s] for s in SLOTS))), i, j)
              for i in p_left for j in g_left
              if any(pv[i][s] & gv[j][s] for s in SLOTS)]
    for i, j in list(pair(shared)):
        items.append({"class": "wrong drug", "pred": i, "gold": j, "slots": ["drug"]})
    items += [{"class": "missed record", "pred": None, "gold": j, "slots": []} for j in g_left]
    items += [{"class": "spurious record", "pred": i, "gold": None, "slots": []} for i in p_left]
    counts = Counter(x["class"] for x in items)
    return {"counts": {c: counts.get(c, 0) for c in CLASSES}, "slots": dict(sorted(slots.items())),
            "items": items}


def pool(results: list) -> dict:
    """Counts of several documents added up."""
    counts, slots = Counter(), Counter()
    for r in results:
        counts.update(r["counts"])
        slots.update(r["slots"])
    return {"counts": {c: counts.get(c, 0) for c in CLASSES}, "slots": dict(sorted(slots.items()))}


REL_CLASSES = ("missing attribute", "wrong drug", "attribute not found", "drug not found",
               "extra attribute")


def classify_relations(gold: list, pred: set, found: set) -> dict:
    """Drug-attribute relation misses by class, for corpora without records (MACCROBAT, PHEE).

    ``gold``: ``{"type", "drugs": set of gold drug ids (any of them counts), "attr"}``; ``pred``:
    ``(type, drug, attr)`` in gold ids (unmatched predictions keep an id of their own); ``found``:
    gold entity ids some prediction matched. A missed gold relation is "attribute not found" or
    "drug not found" when recognition lost an end (attribute first), "wrong drug" when we gave the
    attribute to another drug, else "missing attribute" (both found, not linked). A predicted
    relation between two found gold entities whose attribute no gold relation of that type holds
    is an "extra attribute"."""
    counts = Counter()
    gattrs = {(g["type"], g["attr"]) for g in gold}
    for g in gold:
        if any((g["type"], d, g["attr"]) in pred for d in g["drugs"]):
            continue
        if g["attr"] not in found:
            counts["attribute not found"] += 1
        elif not g["drugs"] & found:
            counts["drug not found"] += 1
        elif any(t == g["type"] and a == g["attr"] for t, _, a in pred):
            counts["wrong drug"] += 1
        else:
            counts["missing attribute"] += 1
    for t, d, a in pred:
        if d in found and a in found and (t, a) not in gattrs:
            counts["extra attribute"] += 1
    return {c: counts.get(c, 0) for c in REL_CLASSES}
