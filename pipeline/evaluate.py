"""Stage 6: score a predicted document against gold.

Entities (strict: same type and span; lenient: overlapping span, same type, one-to-one),
normalization accuracy of matched entities, the binary relations implied by records
(DRUG->DOSE, DOSE->UNIT, DRUG->FREQUENCY, DRUG->ROUTE, DRUG->DAY, DRUG->DATE, REGIMEN->DRUG),
whole records (every slot equal), and the character error rate of the text.

The prediction may have been made on a different text than the gold (a PDF's text against a
hand-corrected reference): both texts are aligned at character level with edlib (Myers' bit-vector
edit distance) and predicted spans are mapped through the alignment before matching. Whole blocks
that one side has and the other lacks are reported as extra/missing text, not hidden in the rate.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .document import ENTITY_TYPES

RELATIONS = (("DRUG", "DOSE"), ("DOSE", "UNIT"), ("DRUG", "FREQUENCY"), ("DRUG", "ROUTE"),
             ("DRUG", "DAY"), ("DRUG", "DATE"), ("REGIMEN", "DRUG"))
BLOCK_MIN = 40  # an insertion/deletion run this long is a whole block, reported apart


# ---------------------------------------------------------------------------------------------
# text alignment
# ---------------------------------------------------------------------------------------------
@dataclass
class Alignment:
    """Character alignment of ``pred`` onto ``ref``."""
    pred_to_ref: list  # for each pred index (and len(pred)): ref index at or after it
    distance: int
    substitutions: int
    insertions: int  # characters pred has that ref lacks
    deletions: int  # characters ref has that pred lacks
    extra_blocks: list  # [(pred_start, pred_end)] runs of insertions >= BLOCK_MIN
    missing_blocks: list  # [(ref_start, ref_end)] runs of deletions >= BLOCK_MIN
    ref_len: int

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        s, e = self.pred_to_ref[start], self.pred_to_ref[end]
        return s, max(e, s)

    def report(self) -> dict:
        extra = sum(e - s for s, e in self.extra_blocks)
        missing = sum(e - s for s, e in self.missing_blocks)
        n = max(self.ref_len, 1)
        return {
            "cer": self.distance / n,
            "cer_within_blocks": (self.distance - extra - missing) / n,
            "edits": self.distance, "substitutions": self.substitutions,
            "insertions": self.insertions, "deletions": self.deletions,
            "reference_chars": self.ref_len,
            "extra_text_chars": extra, "extra_blocks": len(self.extra_blocks),
            "missing_text_chars": missing, "missing_blocks": len(self.missing_blocks),
        }


def align(pred: str, ref: str) -> Alignment:
    if pred == ref:
        ident = list(range(len(pred) + 1))
        return Alignment(ident, 0, 0, 0, 0, [], [], len(ref))
    import edlib
    # edlib handles at most 256 distinct symbols: map characters to a compact alphabet.
    alphabet: dict = {}
    enc = lambda s: [alphabet.setdefault(c, len(alphabet)) for c in s]
    a, b = enc(pred), enc(ref)
    if len(alphabet) > 255:  # fold the rarest symbols together; only affects their matching
        a = [min(x, 255) for x in a]
        b = [min(x, 255) for x in b]
    res = edlib.align(a, b, mode="NW", task="path")
    cigar = res["cigar"] or ""
    p2r = [0] * (len(pred) + 1)
    i = j = 0
    subs = ins = dels = 0
    extra, missing = [], []
    num = ""
    for ch in cigar:
        if ch.isdigit():
            num += ch
            continue
        n = int(num)
        num = ""
        if ch in "=X":
            for k in range(n):
                p2r[i + k] = j + k
            if ch == "X":
                subs += n
            i += n
            j += n
        elif ch == "I":  # in query (pred) only
            for k in range(n):
                p2r[i + k] = j
            if n >= BLOCK_MIN:
                extra.append((i, i + n))
            ins += n
            i += n
        elif ch == "D":  # in target (ref) only
            if n >= BLOCK_MIN:
                missing.append((j, j + n))
            dels += n
            j += n
    p2r[len(pred)] = len(ref)
    return Alignment(p2r, res["editDistance"], subs, ins, dels, extra, missing, len(ref))


def char_error(pred: str, ref: str) -> dict:
    """CER report of ``pred`` against the reference ``ref`` (see :meth:`Alignment.report`)."""
    return align(pred, ref).report()


# ---------------------------------------------------------------------------------------------
# entity and relation scoring
# ---------------------------------------------------------------------------------------------
def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def norm_equal(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(norm_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().lower() == b.strip().lower()
    return a == b


def match_entities(pred: list, gold: list, mode: str) -> dict:
    """One-to-one matching pred id -> gold id. Strict: same type and span. Lenient: same type,
    overlapping span; exact matches are taken first, then largest overlap."""
    by_type = defaultdict(list)
    for g in gold:
        by_type[g["type"]].append(g)
    used, out = set(), {}
    exact = {(g["type"], g["start"], g["end"]): g["id"] for g in gold}
    for p in pred:
        gid = exact.get((p["type"], p["start"], p["end"]))
        if gid and gid not in used:
            out[p["id"]] = gid
            used.add(gid)
    if mode == "strict":
        return out
    cands = []
    for p in pred:
        if p["id"] in out:
            continue
        for g in by_type[p["type"]]:
            ov = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if ov > 0 and g["id"] not in used:
                cands.append((-ov, p["start"], p["id"], g["id"]))
    for _, _, pid, gid in sorted(cands):
        if pid not in out and gid not in used:
            out[pid] = gid
            used.add(gid)
    return out


def relations(doc: dict) -> set:
    """Binary relations (type, head id, tail id) implied by the records."""
    types = {e["id"]: e["type"] for e in doc["entities"]}
    rels = set()
    for r in doc.get("records", []):
        d = r.get("drug")
        for slot, lab in (("dose", "DOSE"), ("frequency", "FREQUENCY"), ("route", "ROUTE")):
            if r.get(slot):
                rels.add((f"DRUG->{lab}", d, r[slot]))
        if r.get("dose") and r.get("unit"):
            rels.add(("DOSE->UNIT", r["dose"], r["unit"]))
        elif r.get("unit"):  # a unit without a dose still belongs to the drug
            rels.add(("DRUG->UNIT", d, r["unit"]))
        for t in r.get("days", []):
            rels.add(("DRUG->DAY", d, t))
        for t in r.get("dates", []):
            rels.add(("DRUG->DATE", d, t))
        if r.get("regimen"):
            rels.add(("REGIMEN->DRUG", r["regimen"], d))
    return {x for x in rels if x[1] in types and x[2] in types}


def record_key(r: dict, idmap: dict | None = None):
    m = (lambda x: idmap.get(x, f"unmatched:{x}")) if idmap is not None else (lambda x: x)
    one = lambda x: m(x) if x else None
    return (one(r.get("drug")), one(r.get("dose")), one(r.get("unit")), one(r.get("frequency")),
            one(r.get("route")), frozenset(m(x) for x in r.get("days", [])),
            frozenset(m(x) for x in r.get("dates", [])), one(r.get("regimen")), r.get("case"))


def mapped_entities(pred: dict, alignment: Alignment | None) -> list:
    if alignment is None:
        return pred["entities"]
    out = []
    for e in pred["entities"]:
        s, t = alignment.map_span(e["start"], e["end"])
        out.append({**e, "start": s, "end": t})
    return out


def evaluate(pred: dict, gold: dict) -> dict:
    """All numbers comparing ``pred`` to ``gold`` (both document dicts)."""
    same_text = pred.get("text") == gold.get("text")
    alignment = align(pred.get("text", ""), gold.get("text", ""))
    pents = mapped_entities(pred, None if same_text else alignment)
    gents = gold["entities"]
    pmap = {e["id"]: e for e in pents}
    gmap = {e["id"]: e for e in gents}
    result: dict = {"text": alignment.report(), "entities": {}, "normalization": {},
                    "relations": {}, "records": {}, "errors": {}}
    matches = {}
    for mode in ("strict", "lenient"):
        m = match_entities(pents, gents, mode)
        matches[mode] = m
        rows = {}
        for t in ENTITY_TYPES:
            tp = sum(1 for p, g in m.items() if pmap[p]["type"] == t)
            fp = sum(1 for p in pents if p["type"] == t) - tp
            fn = sum(1 for g in gents if g["type"] == t) - tp
            if tp or fp or fn:
                rows[t] = prf(tp, fp, fn)
        tp = len(m)
        rows["micro"] = prf(tp, len(pents) - tp, len(gents) - tp)
        result["entities"][mode] = rows
    lm = matches["lenient"]
    norm_rows = {}
    for t in ENTITY_TYPES + ("micro",):
        pairs = [(p, g) for p, g in lm.items() if t == "micro" or pmap[p]["type"] == t]
        if pairs:
            ok = sum(norm_equal(pmap[p].get("norm"), gmap[g].get("norm")) for p, g in pairs)
            norm_rows[t] = {"accuracy": ok / len(pairs), "correct": ok, "matched": len(pairs)}
    result["normalization"] = norm_rows
    # relations, on lenient entity matches
    prels = {(t, lm.get(h, f"p:{h}"), lm.get(d, f"p:{d}")) for t, h, d in relations(pred)}
    grels = relations(gold)
    rel_rows = {}
    for rt in sorted({r[0] for r in prels | grels}):
        P = {r for r in prels if r[0] == rt}
        G = {r for r in grels if r[0] == rt}
        rel_rows[rt] = prf(len(P & G), len(P - G), len(G - P))
    rel_rows["micro"] = prf(len(prels & grels), len(prels - grels), len(grels - prels))
    result["relations"] = rel_rows
    # records: every slot equal (entities mapped through the lenient matching), case included
    pkeys = [record_key(r, lm) for r in pred.get("records", [])]
    gkeys = [record_key(r) for r in gold.get("records", [])]
    remaining = list(gkeys)
    tp = 0
    for k in pkeys:
        if k in remaining:
            remaining.remove(k)
            tp += 1
    result["records"] = prf(tp, len(pkeys) - tp, len(gkeys) - tp)
    # error lists
    inv = {g: p for p, g in lm.items()}
    gtext = gold.get("text", "")
    result["errors"] = {
        "false_positives": [_ent_brief(pmap[e["id"]], gtext) for e in pents if e["id"] not in lm],
        "false_negatives": [_ent_brief(g, gtext) for g in gents if g["id"] not in inv],
        "boundary_errors": [{"pred": _ent_brief(pmap[p], gtext), "gold": _ent_brief(gmap[g], gtext)}
                            for p, g in lm.items() if p not in matches["strict"]],
        "norm_errors": [{"text": gmap[g]["text"], "type": gmap[g]["type"],
                         "pred": pmap[p].get("norm"), "gold": gmap[g].get("norm")}
                        for p, g in lm.items()
                        if not norm_equal(pmap[p].get("norm"), gmap[g].get("norm"))],
        "relation_fp": [_rel_brief(r, pmap, gmap, lm, True) for r in sorted(prels - grels)],
        "relation_fn": [_rel_brief(r, pmap, gmap, lm, False) for r in sorted(grels - prels)],
        "record_fn": [_rec_brief(r, gmap) for r, k in zip(gold.get("records", []), gkeys) if k in remaining],
        "record_fp": _unmatched_records(pred.get("records", []), pkeys, gkeys, pmap),
    }
    return result


def _ent_brief(e: dict, text: str) -> dict:
    return {"type": e["type"], "start": e["start"], "end": e["end"],
            "text": e.get("text") or text[e["start"]:e["end"]], "norm": e.get("norm")}


def _rel_brief(r, pmap, gmap, lm, is_pred):
    inv = {g: p for p, g in lm.items()}
    def txt(x):
        if x in gmap:
            return gmap[x]["text"]
        if isinstance(x, str) and x.startswith("p:"):
            return pmap.get(x[2:], {}).get("text")
        return x
    return {"type": r[0], "head": txt(r[1]), "tail": txt(r[2])}


def _rec_brief(r: dict, ents: dict) -> dict:
    t = lambda x: ents[x]["text"] if x and x in ents else None
    return {"drug": t(r.get("drug")), "dose": t(r.get("dose")), "unit": t(r.get("unit")),
            "frequency": t(r.get("frequency")), "route": t(r.get("route")),
            "days": [t(x) for x in r.get("days", [])], "dates": [t(x) for x in r.get("dates", [])],
            "regimen": t(r.get("regimen")), "case": r.get("case")}


def _unmatched_records(precs, pkeys, gkeys, pmap):
    remaining = list(gkeys)
    out = []
    for r, k in zip(precs, pkeys):
        if k in remaining:
            remaining.remove(k)
        else:
            out.append(_rec_brief(r, pmap))
    return out


# ---------------------------------------------------------------------------------------------
# presentation
# ---------------------------------------------------------------------------------------------
def tables(result: dict) -> str:
    """The report as pandas tables, for the terminal."""
    import pandas as pd
    out = []
    ent = result["entities"]
    types = [t for t in list(ENTITY_TYPES) + ["micro"] if t in ent["strict"] or t in ent["lenient"]]
    rows = []
    for t in types:
        s, l = ent["strict"].get(t, prf(0, 0, 0)), ent["lenient"].get(t, prf(0, 0, 0))
        n = result["normalization"].get(t, {})
        rows.append({"type": t, "P": s["precision"], "R": s["recall"], "F1": s["f1"],
                     "lenient P": l["precision"], "lenient R": l["recall"], "lenient F1": l["f1"],
                     "norm acc": n.get("accuracy", float("nan")), "gold": s["tp"] + s["fn"],
                     "pred": s["tp"] + s["fp"]})
    out.append("Entities (strict P/R/F1; lenient; normalization accuracy of matched)")
    out.append(pd.DataFrame(rows).set_index("type").to_string(float_format=lambda x: f"{x:.3f}"))
    rel = result["relations"]
    rows = [{"relation": k, "P": v["precision"], "R": v["recall"], "F1": v["f1"],
             "tp": v["tp"], "fp": v["fp"], "fn": v["fn"]} for k, v in rel.items()]
    out.append("\nRelations")
    out.append(pd.DataFrame(rows).set_index("relation").to_string(float_format=lambda x: f"{x:.3f}"))
    r = result["records"]
    out.append(f"\nRecords: P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}"
               f"  (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    t = result["text"]
    out.append(f"Text: CER {t['cer']:.4f} ({t['edits']} edits / {t['reference_chars']} reference chars);"
               f" within blocks {t['cer_within_blocks']:.4f}; extra text {t['extra_text_chars']} chars"
               f" in {t['extra_blocks']} blocks; missing {t['missing_text_chars']} chars in"
               f" {t['missing_blocks']} blocks")
    return "\n".join(out)


def load(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
