"""The seen vs held-out table in one command: every gold set and both corpora, tuned beside unseen.

``doseline evaluate --heldout-table [--json OUT] [--sets golds,pdfs,maccrobat,phee]`` scores

- document golds found under ``gold/`` (``gold/*/gold.json`` and deeper, one set per top folder;
  its status, seen / dev / held-out, from ``gold/sets.json``: a set stays held-out only until a
  later round reads its misses), each run end to end from
  its source (``source.txt``/``source.pdf`` beside it, else ``source.path`` of the gold, in the
  repository or in ``../shared``);
- the dev PDF golds in ``../shared/pdfs/gold`` (seen), from the PDF;
- MACCROBAT2020-dev, tune half vs held-out half (:mod:`.splits`), lenient F1;
- PHEE train+dev vs test, recall and relation scores (:mod:`.phee`);

with the record misses by class (:mod:`.records`) for every document gold set. Held-out sets
give counts only. Why: generality is measured on what nobody tuned on, so the unseen column is
reported beside the seen one (issues 12 and 13).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..resources import shared_dir
from .records import CLASSES, REL_CLASSES, pool  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
MACCROBAT_ROWS = ("DRUG", "DOSE+UNIT", "ROUTE", "FREQUENCY")
MACCROBAT_RELS = ("DRUG->DOSE", "DRUG->ROUTE", "DRUG->FREQUENCY")
PHEE_ENTS = ("Drug", "Dosage numeric", "Route")
PHEE_RELS = ("Drug-Dosage", "Drug-Route")
SETS = ("golds", "pdfs", "maccrobat", "phee")


def discover_golds(root: Path = ROOT / "gold") -> dict:
    """``{set name: [gold.json, ...]}``: every gold.json under ``root``, grouped by top folder."""
    sets = {}
    for g in sorted(Path(root).rglob("gold.json")):
        top = g.relative_to(root).parts[0]
        sets.setdefault(f"gold/{top}", []).append(g)
    return sets


def unbuilt_golds(root: Path = ROOT / "gold") -> list[str]:
    """Folders holding annotations (``annotations.jsonl``) but no built ``gold.json`` yet (some
    golds are built from third-party texts at checkout: ``python gold/build.py``)."""
    return [str(a.parent.relative_to(root.parent)) for a in sorted(Path(root).rglob("annotations.jsonl"))
            if not (a.parent / "gold.json").exists()]


def gold_status(name: str, table: Path = ROOT / "gold" / "sets.json") -> str:
    """seen | dev | held-out for a gold set ("gold/unseen-pdfs"): ``gold/sets.json`` says; a set
    it does not list is held-out when its folder name says "unseen", else seen."""
    listed = json.loads(table.read_text(encoding="utf-8")).get("sets", {}) if table.exists() else {}
    if name in listed:
        return listed[name]["status"]
    return "held-out" if "unseen" in name.lower() else "seen"


def is_heldout(name: str) -> bool:
    return gold_status(name) == "held-out"


def gold_input(gold_path: Path, gold: dict) -> Path | None:
    """The input a gold was annotated on: source.txt/.pdf beside it, else its source path."""
    for name in ("source.txt", "source.pdf"):
        if (gold_path.parent / name).exists():
            return gold_path.parent / name
    src = (gold.get("source") or {}).get("path")
    if src:
        for base in (ROOT, shared_dir()):
            if (base / src).exists():
                return base / src
    return None


def pdf_golds() -> list[tuple[Path, Path]]:
    d = shared_dir() / "pdfs" / "gold"
    return [(g, d.parent / f"{g.stem}.pdf") for g in sorted(d.glob("*.json"))
            if (d.parent / f"{g.stem}.pdf").exists()]


def score_documents(pairs: list[tuple[Path, Path | None]]) -> dict:
    """Pooled scores of (gold.json, input) pairs, each input run through the whole pipeline."""
    from ..datasets.export import to_dict
    from ..run import run_path
    from .score import evaluate, load
    from .score import pool as pool_scores
    results, errs, docs, missing = [], [], [], []
    for gpath, inp in pairs:
        if inp is None:
            missing.append(str(gpath))
            continue
        gold = load(gpath)
        res = evaluate(to_dict(run_path(inp)), gold)
        results.append(res)
        errs.append(res["record_errors"])
        docs.append({"document": str(gpath.relative_to(ROOT) if gpath.is_relative_to(ROOT)
                                     else gpath.name),
                     "entities lenient F1": res["entities"]["lenient"]["micro"]["f1"],
                     "records F1": res["records"]["f1"]})
    pooled = pool_scores(results)
    out = {"strict": pooled["entities"]["strict"]["micro"], "lenient": pooled["entities"]["lenient"]["micro"],
           "relations": pooled["relations"]["micro"], "records": pooled["records"]}
    norm = pooled["normalization"]["micro"]
    out["normalization"] = norm["accuracy"] if norm["matched"] else None
    out["record_errors"] = pool(errs)
    out["documents"] = len(docs)
    out["per_document"] = docs
    if missing:
        out["no_input"] = missing
    return out


def maccrobat_halves() -> dict:
    from .corpus import evaluate_dir, load_mapping
    d = shared_dir() / "corpora" / "maccrobat2020-dev"
    mapping = load_mapping("maccrobat")
    out = {}
    for split in ("tune", "heldout"):
        r = evaluate_dir(d, mapping, split=split)
        ent, rel = r["entities"]["lenient"], r["relations"]["lenient"]
        out[split] = {"documents": r["documents"],
                      **{t: {k: ent[t][k] for k in ("f1", "precision", "recall", "gold")}
                         for t in MACCROBAT_ROWS},
                      **{t: {k: rel[t][k] for k in ("f1", "precision", "recall", "gold")}
                         for t in MACCROBAT_RELS}}
        out[split]["relation_errors"] = r["relation_errors"]
        if r.get("reserved_unseen_gold"):
            out[split]["reserved unseen gold"] = r["reserved_unseen_gold"]
    return out


def phee_halves() -> dict:
    from .mapping import load_mapping
    from .phee import evaluate_phee
    r = evaluate_phee(shared_dir() / "corpora" / "phee", load_mapping("phee"), "all")
    out = {}
    for split in ("tune", "test"):
        s = r["splits"][split]
        out[split] = {"sentences": s["sentences"],
                      **{f"{t} recall": s["entities"][t]["recall"] for t in PHEE_ENTS},
                      **{t: {k: s["relations"][t][k] for k in ("f1", "recall", "precision", "gold")}
                         for t in PHEE_RELS}, "relation_errors": s["relation_errors"]}
    return out


def heldout_table(sets=SETS, progress: bool = False) -> dict:
    """All the numbers, as a JSON-able dict: ``golds`` (per set, seen or held-out),
    ``maccrobat`` (tune, heldout), ``phee`` (tune, test)."""
    res = {"golds": {}}
    say = (lambda m: print(m, file=sys.stderr)) if progress else (lambda m: None)
    if "golds" in sets:
        for name, paths in discover_golds().items():
            say(f"scoring {name} ({len(paths)} golds)")
            pairs = [(g, gold_input(g, json.loads(g.read_text(encoding="utf-8")))) for g in paths]
            res["golds"][name] = {"heldout": is_heldout(name), "status": gold_status(name),
                                  **score_documents(pairs)}
        if unbuilt_golds():
            res["golds_not_built"] = unbuilt_golds()
    if "pdfs" in sets and pdf_golds():
        say("scoring dev PDF golds")
        res["golds"]["dev PDFs (../shared/pdfs/gold)"] = {"heldout": False,
                                                          **score_documents(pdf_golds())}
    if "maccrobat" in sets and (shared_dir() / "corpora" / "maccrobat2020-dev").is_dir():
        say("scoring MACCROBAT halves")
        res["maccrobat"] = maccrobat_halves()
    if "phee" in sets and (shared_dir() / "corpora" / "phee").is_dir():
        say("scoring PHEE")
        res["phee"] = phee_halves()
    return res


def _f(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def tables(res: dict) -> str:
    import pandas as pd
    out = []
    if res.get("golds"):
        rows, err = [], []
        for name, s in res["golds"].items():
            kind = s.get("status") or ("held-out" if s["heldout"] else "seen")
            rows.append({"set": name, "": kind, "docs": s["documents"],
                         "entities strict F1": _f(s["strict"]["f1"]),
                         "entities lenient F1": _f(s["lenient"]["f1"]),
                         "norm acc": _f(s["normalization"]), "relations F1": _f(s["relations"]["f1"]),
                         "records F1": _f(s["records"]["f1"]),
                         "records tp/fp/fn": "{tp}/{fp}/{fn}".format(**s["records"])})
            err.append({"set": name, "": kind, **s["record_errors"]["counts"]})
        out.append("Document golds (pooled over the set's documents, end to end from the source)")
        out.append(pd.DataFrame(rows).set_index(["set", ""]).to_string())
        if res.get("golds_not_built"):
            out.append("not scored, gold.json not built (python gold/build.py): "
                       + ", ".join(res["golds_not_built"]))
        out.append("\nRecord misses by class (pooled; see pipeline/evaluate/records.py)")
        out.append(pd.DataFrame(err, columns=["set", ""] + list(CLASSES)).set_index(["set", ""])
                   .to_string())
    if res.get("maccrobat"):
        m = res["maccrobat"]
        rows = [{"measure (lenient F1)": t, "tune (seen)": _f(m["tune"][t]["f1"]),
                 "held-out": _f(m["heldout"][t]["f1"]),
                 "gold tune/held-out": f"{m['tune'][t]['gold']}/{m['heldout'][t]['gold']}"}
                for t in MACCROBAT_ROWS + MACCROBAT_RELS]
        out.append(f"\nMACCROBAT2020-dev halves ({m['tune']['documents']} tune documents, "
                   f"{m['heldout']['documents']} held-out)")
        out.append(pd.DataFrame(rows).set_index("measure (lenient F1)").to_string())
        res_ids = m["tune"].get("reserved unseen gold", []) + m["heldout"].get("reserved unseen gold", [])
        if res_ids:
            out.append("reserved unseen gold (not run, scored in gold/unseen-texts*): " + ", ".join(res_ids))
    if res.get("phee"):
        p = res["phee"]
        rows = [{"measure": f"{t} recall", "train+dev (seen)": _f(p["tune"][f"{t} recall"]),
                 "test (held-out)": _f(p["test"][f"{t} recall"])} for t in PHEE_ENTS]
        for t in PHEE_RELS:
            for k in ("f1", "recall"):
                rows.append({"measure": f"{t} {'F1' if k == 'f1' else 'recall'}",
                             "train+dev (seen)": _f(p["tune"][t][k]),
                             "test (held-out)": _f(p["test"][t][k])})
        out.append(f"\nPHEE ({p['tune']['sentences']} train+dev sentences, "
                   f"{p['test']['sentences']} test)")
        out.append(pd.DataFrame(rows).set_index("measure").to_string())
    rows = [{"corpus": c, "": k, **res[c][h]["relation_errors"]}
            for c, halves in (("maccrobat", (("tune", "tune (seen)"), ("heldout", "held-out"))),
                              ("phee", (("tune", "train+dev (seen)"), ("test", "test (held-out)"))))
            if res.get(c) for h, k in halves if "relation_errors" in res[c][h]]
    if rows:
        out.append("\nRelation misses by class, corpora without records (records.classify_relations)")
        out.append(pd.DataFrame(rows).set_index(["corpus", ""]).to_string())
    return "\n".join(out)


def command(args) -> int:
    sets = tuple(s.strip() for s in (args.sets or ",".join(SETS)).split(",") if s.strip())
    bad = [s for s in sets if s not in SETS]
    if bad:
        print(f"doseline: unknown set(s) {', '.join(bad)} (choose from {', '.join(SETS)})",
              file=sys.stderr)
        return 2
    res = heldout_table(sets, progress=sys.stderr.isatty())
    print(tables(res))
    if args.json:
        from ..datasets.export import write_atomic
        write_atomic(args.json, json.dumps(res, ensure_ascii=False, indent=1) + "\n")
    return 0
