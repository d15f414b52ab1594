"""The fixed splits: the data follows the rule (sorted ids, even = tune, odd = held-out), is the
same on every call, and keeps the reserved documents out of every run."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate.splits import halves, load_splits, reserved, select

from ..conftest import SHARED


def test_rule_on_a_small_list():
    assert halves(["30", "10", "20", "40", "50"]) == {"tune": ["10", "30", "50"],
                                                       "heldout": ["20", "40"]}


def test_split_data_is_consistent():
    sp = load_splits()["maccrobat"]
    tune, held, res = sp["tune"], sp["heldout"], sp["reserved"]
    assert tune == sorted(tune) and held == sorted(held)
    assert not set(tune) & set(held) and not set(res) & set(tune) and not set(res) & set(held)
    # the halves are the rule's, less the reserved documents (which sit in either half)
    h = halves(tune + held + res)
    assert h["tune"] == sorted(tune + [r for r in res if r in h["tune"]])
    assert h["heldout"] == sorted(held + [r for r in res if r in h["heldout"]])
    assert load_splits()["phee"] == {"tune": ["train", "dev"], "heldout": ["test"]}


def test_split_data_follows_the_corpus():
    corpus = SHARED / "corpora" / "maccrobat2020-dev"
    if not corpus.is_dir():
        pytest.skip("../shared/corpora/maccrobat2020-dev is not present")
    ids = [p.stem for p in corpus.glob("*.txt")]
    h = halves(ids)
    sp = load_splits()["maccrobat"]
    assert sp["heldout"] == [i for i in h["heldout"] if i not in reserved()] and len(ids) == 100
    assert sp["tune"] == [i for i in h["tune"] if i not in reserved()]


def test_select_is_deterministic_and_skips_reserved():
    sp = load_splits()["maccrobat"]
    files = [Path(f"/x/{i}.txt") for i in sp["heldout"][:3] + sp["tune"][:3] + sp["reserved"][:2]]
    rule = halves(sp["tune"] + sp["heldout"] + sp["reserved"])
    tune, skipped = select(files, "tune")
    assert [f.stem for f in tune] == sp["tune"][:3]
    assert skipped == [r for r in sp["reserved"][:2] if r in rule["tune"]]
    held, skipped = select(files, "heldout")
    assert [f.stem for f in held] == sp["heldout"][:3]
    assert skipped == [r for r in sp["reserved"][:2] if r in rule["heldout"]]
    # reserved documents of both halves: the round-2 golds in the tune half, round 3 in the held-out
    assert {r for r in sp["reserved"] if r in rule["tune"]} and {r for r in sp["reserved"] if r in rule["heldout"]}
    every, skipped = select(list(reversed(files)), None)
    assert len(every) == 6 and sorted(skipped) == sorted(sp["reserved"][:2])
    assert select(files, "tune") == select(files, "tune")
    with pytest.raises(ValueError):
        select(files, "test")
