"""`doseline train` end to end on a tiny corpus the tests write: a loadable model, and the same
data and seed give the same model (fixed seed, CPU)."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.learn import corpus as lc
from pipeline.learn import model as lm
from pipeline.errors import InputError

SAMPLE = ["The patient received zorbelumab 200 mg intravenously once daily.",
          "On day 3 she was given oral miltrazole 50 mg.",
          "The blood pressure was stable and the fever resolved."]


@pytest.fixture(scope="module")
def trained(tiny_corpus, tmp_path_factory):
    out = []
    for k in range(2):
        d = tmp_path_factory.mktemp(f"model{k}") / "m"
        rc = main(["train", *map(str, tiny_corpus), "-o", str(d), "--seed", "7",
                   "--max-steps", "30"])
        assert rc == 0
        out.append(d)
    return out


def test_train_writes_a_loadable_model(trained):
    d = trained[0]
    assert (d / "meta.json").exists() and (d / "training.json").exists()
    rec = json.loads((d / "training.json").read_text())
    assert rec["seed"] == 7 and rec["counts"]["documents"] == 7
    spans = lm.predict(SAMPLE, str(d))
    assert len(spans) == len(SAMPLE)
    assert all(0 <= s < e <= len(t) for t, sp in zip(SAMPLE, spans) for s, e in sp)


def test_same_data_and_seed_give_the_same_model(trained):
    a, b = trained
    assert lm.predict(SAMPLE, str(a)) == lm.predict(SAMPLE, str(b))
    for part in ("tok2vec/model", "ner/model"):
        assert (a / part).read_bytes() == (b / part).read_bytes()


def test_sentences_carry_the_drug_spans(tiny_corpus):
    srcs = lc.load_sources(tiny_corpus)
    docs = [d for s in srcs for d in lc.sentence_docs(s)]
    ents = [e.text for d in docs for e in d.ents]
    assert "zorbelumab" in ents and "pexatrimab" in ents
    assert not any(d.ents for d in docs if d.text.startswith("The blood pressure"))


def test_held_out_sets_are_never_read(tmp_path):
    heldout = tmp_path / "phee" / "brat" / "test"
    heldout.mkdir(parents=True)
    (heldout / "a.txt").write_text("x")
    (heldout / "a.ann").write_text("")
    with pytest.raises(InputError):
        lc.load_sources([heldout])
    # MACCROBAT held-out and reserved ids (patterns/mappings/splits.json) are skipped anywhere
    from tests.learn.conftest import write_brat
    mac = write_brat(tmp_path / "corpus", n_docs=3)
    for src, dst in (("doc00", "15939911"), ("doc01", "16778410"), ("doc02", "25572898")):
        for ext in (".txt", ".ann"):
            (mac / (src + ext)).rename(mac / (dst + ext))
    names = [s.name.split("/")[1] for s in lc.load_sources([mac])]
    assert names == ["15939911"]  # tune; 16778410 is held out, 25572898 reserved


def test_class_words_are_not_training_drugs(tmp_path):
    d = tmp_path / "c"
    d.mkdir()
    text = "He received antibiotics and vancomycin."
    (d / "a.txt").write_text(text)
    (d / "a.ann").write_text("T1\tMedication 12 23\tantibiotics\nT2\tMedication 28 38\tvancomycin\n")
    src = lc.load_sources([d])[0]
    assert [text[s:e] for s, e, _ in src.spans] == ["vancomycin"]


def test_bad_corpus_is_one_error(tmp_path, capsys):
    assert main(["train", str(tmp_path / "nothing"), "-o", str(tmp_path / "m")]) == 2
    assert "not a brat folder" in capsys.readouterr().err


def test_training_record_paths_are_portable(tmp_path, monkeypatch):
    from pipeline.resources import ROOT, portable
    monkeypatch.setenv("DOSELINE_SHARED", str(tmp_path / "shared"))
    assert portable(ROOT / "gold" / "x" / "gold.json") == "gold/x/gold.json"
    assert portable(tmp_path / "shared" / "corpora" / "phee") == "../shared/corpora/phee"
    assert portable(tmp_path / "mine") == str(tmp_path / "mine")  # outside both: as given
    shipped = json.loads((ROOT / "pipeline/learn/model/drug_ner/training.json").read_text())
    assert not any(c.startswith("/") for c in shipped["corpora"])
