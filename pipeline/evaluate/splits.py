"""The fixed tune / held-out splits (``patterns/mappings/splits.json``) and the rule they follow.

Everyone tunes on the same half and reports the other beside it: MACCROBAT2020-dev sorted by id,
even index = tune, odd index = held-out; PHEE train+dev = tune, test = held-out. Documents reserved
as unseen gold are never run (not even in "all") and are listed instead.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MACCROBAT_SPLITS = ("tune", "heldout", "all")


@lru_cache(maxsize=None)
def load_splits() -> dict:
    from ..resources import pattern_path
    return json.loads(pattern_path("mappings/splits.json").read_text(encoding="utf-8"))


def halves(ids: list[str]) -> dict:
    """The rule: sorted ids, even index -> "tune", odd index -> "heldout"."""
    ids = sorted(ids)
    return {"tune": ids[0::2], "heldout": ids[1::2]}


def reserved() -> set:
    return set(load_splits()["maccrobat"]["reserved"])


def select(files: list[Path], split: str | None) -> tuple[list[Path], list[str]]:
    """The corpus files of a split (None: every file) without the reserved ones, and the names
    of the reserved files that were left out."""
    sp = load_splits()["maccrobat"]
    skip = [f.stem for f in files if f.stem in reserved()]
    files = [f for f in files if f.stem not in reserved()]
    if split in (None, "all"):
        return files, skip
    if split not in MACCROBAT_SPLITS:
        raise ValueError(f"unknown split '{split}' (tune, heldout, all)")
    keep = set(sp[split])
    half = set(halves(sp["tune"] + sp["heldout"] + sp["reserved"])[split])  # the whole corpus's rule
    return [f for f in files if f.stem in keep], [s for s in skip if s in half]
