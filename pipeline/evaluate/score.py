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

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..document import ENTITY_TYPES
from .records import classify_records, record_key  # noqa: F401  (record_key: part of this API)

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
    moved_blocks: list = None  # [(pred_start, pred_end, ref_start, ref_end, edits)] found elsewhere
    order_free_distance: int | None = None  # edits once moved blocks are compared in place

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        s, e = self.pred_to_ref[start], self.pred_to_ref[end]
        return s, max(e, s)

    def report(self) -> dict:
        extra = sum(e - s for s, e in self.extra_blocks)
        missing = sum(e - s for s, e in self.missing_blocks)
        n = max(self.ref_len, 1)
        moved = self.moved_blocks or []
        return {
            "cer": self.distance / n,
            "cer_within_blocks": (self.distance - extra - missing) / n,
            "cer_reading_order_free": (self.distance if self.order_free_distance is None
                                       else self.order_free_distance) / n,
            "moved_blocks": len(moved), "moved_chars": sum(e - s for s, e, *_ in moved),
            "edits": self.distance, "substitutions": self.substitutions,
            "insertions": self.insertions, "deletions": self.deletions,
            "reference_chars": self.ref_len,
            "extra_text_chars": extra, "extra_blocks": len(self.extra_blocks),
            "missing_text_chars": missing, "missing_blocks": len(self.missing_blocks),
        }


def _encode(*texts):
    """edlib handles at most 256 distinct symbols: map characters to a compact alphabet
    (beyond 255 symbols the rarest fold together, which only affects their own matching)."""
    alphabet: dict = {}
    return [[min(alphabet.setdefault(c, len(alphabet)), 255) for c in t] for t in texts]


def _walk(cigar: str, p2r: list, i: int, j: int, blocks: bool = True):
    """Fill p2r along an edlib CIGAR path from (i, j); return counts and block runs."""
    subs = ins = dels = 0
    extra, missing = [], []
    for n, op in re.findall(r"(\d+)([=XID])", cigar or ""):
        n = int(n)
        if op in "=X":
            p2r[i:i + n] = range(j, j + n)
            subs += n if op == "X" else 0
            i += n
            j += n
        elif op == "I":  # in pred only
            p2r[i:i + n] = [j] * n
            if blocks and n >= BLOCK_MIN:
                extra.append((i, i + n))
            ins += n
            i += n
        else:  # in ref only
            if blocks and n >= BLOCK_MIN:
                missing.append((j, j + n))
            dels += n
            j += n
    return subs, ins, dels, extra, missing


def align(pred: str, ref: str) -> Alignment:
    if pred == ref:
        ident = list(range(len(pred) + 1))
        return Alignment(ident, 0, 0, 0, 0, [], [], len(ref), [], 0)
    import edlib
    a, b = _encode(pred, ref)
    res = edlib.align(a, b, mode="NW", task="path")
    p2r = [0] * (len(pred) + 1)
    subs, ins, dels, extra, missing = _walk(res["cigar"], p2r, 0, 0)
    p2r[len(pred)] = len(ref)
    al = Alignment(p2r, res["editDistance"], subs, ins, dels, extra, missing, len(ref), [], None)
    _recover_moves(al, pred, ref, a, b)
    return al


def _recover_moves(al: Alignment, pred: str, ref: str, a: list, b: list) -> None:
    """Blocks the prediction has at another place (a caption placed one paragraph later): find
    each extra block elsewhere in the reference (edlib infix mode, <= 5% edits), map its spans
    there, and measure a reading-order-free CER with the blocks compared in place."""
    import edlib
    taken: list = []
    for s, e in al.extra_blocks:
        core = pred[s:e].strip()
        if len(core) < BLOCK_MIN:
            continue
        s2 = s + pred[s:e].index(core)
        e2 = s2 + len(core)
        hit = edlib.align(a[s2:e2], b, mode="HW", task="path")
        d = hit["editDistance"]
        if d < 0 or d > 0.05 * len(core) or not hit["locations"]:
            continue
        rs, re_ = hit["locations"][0][0], hit["locations"][0][1] + 1
        if any(rs < t1 and t0 < re_ for t0, t1 in taken):
            continue
        _walk(hit["cigar"], al.pred_to_ref, s2, rs, blocks=False)
        taken.append((rs, re_))
        al.moved_blocks.append((s2, e2, rs, re_, d))
    if not al.moved_blocks:
        al.order_free_distance = al.distance
        return
    keep_p = [True] * len(pred)
    keep_r = [True] * len(ref)
    for s2, e2, rs, re_, _ in al.moved_blocks:
        keep_p[s2:e2] = [False] * (e2 - s2)
        keep_r[rs:re_] = [False] * (re_ - rs)
    pa = [x for x, k in zip(a, keep_p) if k]
    rb = [x for x, k in zip(b, keep_r) if k]
    rest = edlib.align(pa, rb, mode="NW", task="distance")["editDistance"]
    al.order_free_distance = rest + sum(m[4] for m in al.moved_blocks)


def text_defects(text: str) -> dict:
    """Word-spacing defects a PDF reader leaves (no reference needed): glued tokens (alphabetic
    runs of 25+ characters unknown to wordfreq, "startedatadoseof") and split tokens (two pieces,
    one of them rare, whose join is a common word: "l ikely", "Neutrophi l"), per 1,000 words."""
    from ..cleanup.words import zipf as z
    words = max(len(text.split()), 1)
    glued = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 25 and z(w) == 0]
    split = []
    for m in re.finditer(r"(?=\b([A-Za-z]+) ([A-Za-z]+)\b)", text):
        a, b = m.group(1), m.group(2)
        if z(a + b) >= 2.0 and min(z(a), z(b)) < 2.0 \
                and not (a.isupper() or b.isupper()):
            split.append(f"{a} {b}")
    return {"words": words, "glued": glued, "split": split,
            "glued_per_1k_words": 1000 * len(glued) / words, "split_per_1k_words": 1000 * len(split) / words}


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
    defects = text_defects(pred.get("text", ""))
    result: dict = {"text": {**alignment.report(),
                             "glued_per_1k_words": defects["glued_per_1k_words"],
                             "split_per_1k_words": defects["split_per_1k_words"],
                             "glued_tokens": defects["glued"][:50], "split_tokens": defects["split"][:50]},
                    "entities": {}, "normalization": {},
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
    rc = classify_records(pred.get("records", []), gold.get("records", []), lm)
    brief = lambda recs, i, ents: _rec_brief(recs[i], ents) if i is not None else None
    result["record_errors"] = {
        "counts": rc["counts"], "slots": rc["slots"],
        "items": [{"class": x["class"], "slots": x["slots"],
                   "pred": brief(pred.get("records", []), x["pred"], pmap),
                   "gold": brief(gold.get("records", []), x["gold"], gmap)} for x in rc["items"]]}
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
    rc = result.get("record_errors", {}).get("counts", {})
    if any(rc.values()):
        out.append("Record misses by class: " + ", ".join(f"{k} {v}" for k, v in rc.items() if v))
    t = result["text"]
    out.append(f"Text: CER {t['cer']:.4f} ({t['edits']} edits / {t['reference_chars']} reference chars);"
               f" within blocks {t['cer_within_blocks']:.4f}; extra text {t['extra_text_chars']} chars"
               f" in {t['extra_blocks']} blocks; missing {t['missing_text_chars']} chars in"
               f" {t['missing_blocks']} blocks; moved {t['moved_chars']} chars in {t['moved_blocks']}"
               f" blocks (reading-order-free CER {t['cer_reading_order_free']:.4f}); glued tokens"
               f" {t['glued_per_1k_words']:.2f}/1k words, split {t['split_per_1k_words']:.2f}/1k words")
    return "\n".join(out)


def load(path: str | Path) -> dict:
    from ..datasets.export import load_document
    return load_document(path)


def pool(results: list) -> dict:
    """Micro-pooled :func:`evaluate` results of several documents: entities (strict, lenient),
    normalization, relations, records and text (CER weighted by reference length)."""
    def pooled(rows_list):
        acc = {"micro": [0, 0, 0]}
        for rows in rows_list:
            for k, v in rows.items():
                a = acc.setdefault(k, [0, 0, 0])
                a[0] += v["tp"]; a[1] += v["fp"]; a[2] += v["fn"]
        return {k: prf(*v) for k, v in acc.items()}
    norm = {"micro": [0, 0]}
    for r in results:
        for t, v in r["normalization"].items():
            a = norm.setdefault(t, [0, 0])
            a[0] += v["correct"]; a[1] += v["matched"]
    ref = sum(r["text"]["reference_chars"] for r in results)
    edits = sum(r["text"]["edits"] for r in results)
    rof = sum(r["text"]["cer_reading_order_free"] * r["text"]["reference_chars"] for r in results)
    return {"entities": {m: pooled([r["entities"][m] for r in results])
                         for m in ("strict", "lenient")},
            "normalization": {t: {"accuracy": c / n if n else 0.0, "correct": c, "matched": n}
                              for t, (c, n) in norm.items()},
            "relations": pooled([r["relations"] for r in results]),
            "records": pooled([{"records": r["records"]} for r in results]).get("records", prf(0, 0, 0)),
            "text": {"cer": edits / ref if ref else 0.0,
                     "cer_reading_order_free": rof / ref if ref else 0.0,
                     "edits": edits, "rof_edits": rof, "reference_chars": ref}}
