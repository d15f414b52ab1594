"""Annotated corpora -> spaCy training Docs: one Doc per sentence, DRUG entities.

Inputs a user can give ``doseline train``: a folder of brat standoff files (``x.txt`` + ``x.ann``,
e.g. PHEE, MACCROBAT, a user's own corpus), a project ``gold.json`` (``text`` + ``entities``), or
a folder of such JSON golds. Which corpus labels are DRUG, and which documents may be read at
all, is data (``patterns/learn/labels.json``):

- a brat span of a DRUG label goes through the scoring mapping (``patterns/mappings/maccrobat.json``,
  :func:`pipeline.evaluate.corpus.gold_items`), so spans our schema leaves out (drug classes,
  "chemotherapy", blood products, procedures) are negatives, as the scorer treats them;
- the project's held-out sets are enforced here, not left to the caller (the fixed splits of
  ``patterns/mappings/splits.json``): a MACCROBAT held-out or reserved id is skipped wherever it
  is, a PHEE held-out split is refused.

Sentences come from the recognizer's own sentence bounds (sentencizer, also cut at line breaks,
:func:`pipeline.recognize.entities._sentence_bounds`) and tokens from scispacy's rule tokenizer
(:func:`pipeline.nlp.base_nlp`), so the model sees at training time exactly the units it is run
on. An entity that crosses a sentence bound is dropped; one that cuts a token takes the whole token.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import InputError


@dataclass
class Source:
    """One annotated document: text and DRUG character spans."""
    name: str
    text: str
    spans: list = field(default_factory=list)  # (start, end, label)


@lru_cache(maxsize=1)
def label_rules() -> dict:
    from ..resources import pattern_path
    return json.loads(pattern_path("learn/labels.json").read_text(encoding="utf-8"))


def _scoring_mapping() -> dict:
    """The base scoring mapping cut down to one type, DRUG, with the training labels as gold."""
    from ..evaluate.corpus import load_mapping
    rules = label_rules()
    base = load_mapping(rules["base_mapping"])
    drug = dict(base["types"]["DRUG"])
    drug["gold"] = list(rules["labels"]["DRUG"])
    return {"types": {"DRUG": drug}, "term_lists": base.get("term_lists", {}),
            "_compiled": base["_compiled"]}


def _never_train() -> set:
    """MACCROBAT ids that are held out or reserved (patterns/mappings/splits.json)."""
    from ..evaluate.splits import load_splits, reserved
    return set(load_splits()["maccrobat"]["heldout"]) | reserved()


def _check_allowed(path: Path) -> None:
    """Refuse a PHEE held-out split (a folder ``test`` or file ``test.json`` under a PHEE folder)."""
    from ..evaluate.splits import load_splits
    parts = [x.lower() for x in path.resolve().parts]
    if any("phee" in x for x in parts[:-1]):
        for split in load_splits()["phee"]["heldout"]:
            if parts[-1] in (split, f"{split}.json"):
                raise InputError(f"{path}: the PHEE held-out split ({split}); it is never trained on")


def brat_sources(folder: Path) -> list[Source]:
    from ..evaluate.corpus import gold_items, list_corpus, read_brat
    _check_allowed(folder)
    never = _never_train()
    mapping = _scoring_mapping()
    out = []
    for f in list_corpus(folder):
        if f.stem in never:
            continue
        bdoc = read_brat(f)
        ents = gold_items(bdoc, mapping)["entities"]
        out.append(Source(f"{folder.name}/{f.stem}", bdoc.text,
                          [(e["start"], e["end"], "DRUG") for e in ents]))
    return out


def gold_source(path: Path) -> Source | None:
    """A project gold JSON (``text`` + ``entities``); None for JSON that is not one."""
    _check_allowed(path)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not readable JSON ({exc})") from exc
    if not isinstance(d, dict) or "text" not in d or "entities" not in d:
        return None
    if any(r in path.name for r in _never_train()):
        return None
    labels = set(label_rules()["labels"]["DRUG"])
    spans = [(e["start"], e["end"], "DRUG") for e in d["entities"] if e.get("type") in labels]
    return Source(f"{path.parent.name}/{path.stem}", d["text"], spans)


def load_sources(paths) -> list[Source]:
    """Every document of the given corpora (brat folders, gold JSON files or folders of them)."""
    out: list[Source] = []
    for p in map(Path, paths):
        if p.is_dir() and any(p.glob("*.ann")):
            out += brat_sources(p)
        elif p.is_dir():
            for j in sorted(p.glob("*.json")):
                s = gold_source(j)
                if s is not None:
                    out.append(s)
        elif p.suffix == ".json" and p.is_file():
            s = gold_source(p)
            if s is None:
                raise InputError(f"{p}: not a gold document (needs 'text' and 'entities')")
            out.append(s)
        else:
            raise InputError(f"{p}: not a brat folder, a gold .json or a folder of gold .json")
    if not out:
        raise InputError("no training documents found")
    return out


def sentence_docs(src: Source) -> list:
    """One tokenized spaCy Doc per sentence of ``src``, its DRUG spans as ``doc.ents``."""
    from spacy.util import filter_spans
    from ..nlp import base_nlp
    from ..recognize.entities import _sentence_bounds
    nlp = base_nlp()
    full = nlp(src.text)
    docs = []
    for a, b in _sentence_bounds(full):
        seg = src.text[a:b]
        lead = len(seg) - len(seg.lstrip())
        a, b = a + lead, a + len(seg.rstrip())
        if b <= a:
            continue
        doc = nlp.make_doc(src.text[a:b])
        ents = []
        for s, e, label in src.spans:
            if a <= s and e <= b:
                sp = doc.char_span(s - a, e - a, label=label, alignment_mode="expand")
                if sp is not None:
                    ents.append(sp)
        doc.ents = filter_spans(ents)
        docs.append(doc)
    return docs


def is_dev(name: str, every: int = 10) -> bool:
    """A fixed tenth of the documents (by a hash of the name, not of the process) for evaluation
    during training."""
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % every == 0


def write_docbins(sources: list[Source], out_dir: Path) -> dict:
    """``train.spacy`` and ``dev.spacy`` under ``out_dir``; returns counts."""
    from spacy.tokens import DocBin
    out_dir.mkdir(parents=True, exist_ok=True)
    bins = {"train": DocBin(store_user_data=False), "dev": DocBin(store_user_data=False)}
    counts = {"documents": len(sources), "train_sentences": 0, "dev_sentences": 0,
              "train_drugs": 0, "dev_drugs": 0}
    dev_names = {s.name for s in sources if is_dev(s.name)}
    if len(sources) > 1 and not dev_names:
        dev_names = {sources[-1].name}
    for src in sources:
        part = "dev" if src.name in dev_names else "train"
        for doc in sentence_docs(src):
            bins[part].add(doc)
            counts[f"{part}_sentences"] += 1
            counts[f"{part}_drugs"] += len(doc.ents)
    if not counts["dev_sentences"]:  # a one-document corpus: evaluate on what it trains on
        for src in sources:
            for doc in sentence_docs(src):
                bins["dev"].add(doc)
                counts["dev_sentences"] += 1
    for part, db in bins.items():
        db.to_disk(out_dir / f"{part}.spacy")
    return counts
