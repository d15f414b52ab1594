"""The walking skeleton's contracts: CLI, document JSON, offset map, evaluator numbers."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.document import Document
from pipeline.evaluate.score import evaluate, char_error
from pipeline.datasets.export import to_dict, validate

from .conftest import ROOT


def run_cli(*args, input=None):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], input=input,
                          capture_output=True, text=True, cwd=ROOT)


def test_version_and_help():
    r = run_cli("--version")
    assert r.returncode == 0 and "doseline" in r.stdout
    for cmd in ("extract", "evaluate", "batch", "export", "bench"):
        r = run_cli(cmd, "--help")
        assert r.returncode == 0, cmd
        assert "usage" in r.stdout


def test_splice_keeps_provenance():
    d = Document(raw="ab  cd\nef")
    d.replace([(2, 4, " ", "space"), (6, 7, " ", "reflow")])
    assert d.text == "ab cd ef"
    assert [d.raw[i] for i in d.offsets if i >= 0][:2] == ["a", "b"]
    assert d.source_span(3, 5) == (4, 6)  # "cd"
    assert len(d.repairs) == 2 and d.repairs[0]["before"] == "  "
    # a move: the tail block before the head block
    d.splice([(6, 8), " ", (0, 5)])
    assert d.text == "ef ab cd"
    assert d.source_span(0, 2) == (7, 9)


def test_extract_stdin_validates():
    r = run_cli("extract", "-", input="The patient received cyclophosphamide 500 mg/kg on day 0.\n")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    validate(obj)
    assert obj["source"]["format"] == "text"


@pytest.mark.parametrize("content,needle", [
    (b"", "empty"),
    (b"hello, not a pdf", "not a PDF"),
    (b"%PDF-1.4\n%%garbage", "corrupt"),
])
def test_bad_inputs_one_line_error(tmp_path, content, needle):
    f = tmp_path / "x.pdf"
    f.write_bytes(content)
    r = run_cli("extract", str(f), "-o", str(tmp_path / "x.json"))
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert not (tmp_path / "x.json").exists()


def _doc(text, ents, recs=()):
    return {"text": text, "entities": [dict(id=f"T{i+1}", type=t, start=s, end=e, text=text[s:e], norm=n)
                                        for i, (t, s, e, n) in enumerate(ents)],
            "records": list(recs)}


GOLD_TEXT = "Gave cyclophosphamide 500 mg/kg on day 0 and tocilizumab 4 mg/kg."
GOLD = _doc(GOLD_TEXT, [("DRUG", 5, 21, "cyclophosphamide"), ("DOSE", 22, 25, 500.0),
                        ("UNIT", 26, 31, "mg/kg"), ("DAY", 35, 40, [0]),
                        ("DRUG", 45, 56, "tocilizumab"), ("DOSE", 57, 58, 4.0), ("UNIT", 59, 64, "mg/kg")],
            [dict(id="R1", drug="T1", dose="T2", unit="T3", frequency=None, route=None, days=["T4"],
                  dates=[], regimen=None, case="1"),
             dict(id="R2", drug="T5", dose="T6", unit="T7", frequency=None, route=None, days=[],
                  dates=[], regimen=None, case="1")])


def test_self_evaluation_is_perfect():
    r = evaluate(GOLD, GOLD)
    assert r["entities"]["strict"]["micro"]["f1"] == 1.0
    assert r["relations"]["micro"]["f1"] == 1.0
    assert r["records"]["f1"] == 1.0
    assert r["text"]["cer"] == 0.0


def test_missed_wrong_span_wrong_type():
    pred = json.loads(json.dumps(GOLD))
    pred["entities"] = [e for e in pred["entities"] if e["id"] != "T4"]  # missed DAY
    pred["entities"][1]["end"] = 24  # wrong span: "50"
    pred["entities"][0]["type"] = "REGIMEN"  # wrong type
    pred["records"] = [pred["records"][1]]
    r = evaluate(pred, GOLD)
    s, l = r["entities"]["strict"]["micro"], r["entities"]["lenient"]["micro"]
    assert (s["tp"], s["fp"], s["fn"]) == (4, 2, 3)
    assert (l["tp"], l["fp"], l["fn"]) == (5, 1, 2)
    assert r["entities"]["strict"]["DOSE"]["f1"] == pytest.approx(0.5)
    assert r["records"] == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3,
                                          "tp": 1, "fp": 0, "fn": 1})
    rel = r["relations"]
    assert rel["DRUG->DOSE"]["tp"] == 1 and rel["DRUG->DOSE"]["fn"] == 1
    assert rel["DRUG->DAY"]["fn"] == 1


def test_text_differs_by_cleanup():
    pred_text = "Gave cyclo phosphamide  500 mg/kg on day 0 and tocilizumab 4 mg/kg."
    pred = _doc(pred_text, [("DRUG", 5, 22, "cyclophosphamide"), ("DOSE", 24, 27, 500.0),
                            ("UNIT", 28, 33, "mg/kg"), ("DAY", 37, 42, [0]),
                            ("DRUG", 47, 58, "tocilizumab"), ("DOSE", 59, 60, 4.0),
                            ("UNIT", 61, 66, "mg/kg")], GOLD["records"])
    r = evaluate(pred, GOLD)
    assert r["text"]["edits"] == 2
    assert r["text"]["cer"] == pytest.approx(2 / len(GOLD_TEXT))
    assert r["entities"]["strict"]["micro"]["f1"] == 1.0
    assert r["records"]["f1"] == 1.0


def test_extra_block_reported_apart():
    ref = "Intro paragraph here.\n\nResults paragraph."
    pred = "Intro paragraph here.\n\n" + "Brought to you by a publisher stamp that is long enough.\n\n" + "Results paragraph."
    rep = char_error(pred, ref)
    assert rep["extra_blocks"] == 1
    assert rep["extra_text_chars"] >= 40
    assert rep["cer_within_blocks"] < rep["cer"]


def test_moved_block_keeps_its_entities_and_is_reported_apart():
    cap = "FIGURE 3\n\nConditioning regimens. Ara-C, cytarabine; Bu, busulfan; CTX, cyclophosphamide."
    p1 = "First paragraph of the case history."
    p2 = ("Second paragraph about later events, long enough that moving the caption "
          "is the cheaper alignment than moving this paragraph.")
    gold_text = f"{p1}\n\n{cap}\n\n{p2}"
    pred_text = f"{p1} {p2}\n\n{cap}"
    def ents(text):
        out = []
        for w, n in (("Ara-C", "cytarabine"), ("busulfan", "busulfan"), ("cyclophosphamide", "cyclophosphamide")):
            i = text.index(w)
            out.append(("DRUG", i, i + len(w), n))
        return out
    r = evaluate(_doc(pred_text, ents(pred_text)), _doc(gold_text, ents(gold_text)))
    assert r["entities"]["strict"]["micro"]["f1"] == 1.0
    t = r["text"]
    assert t["moved_blocks"] == 1 and t["moved_chars"] == len(cap)
    assert t["cer"] > 0.5
    # without the caption: " " against "\n\n\n\n" (4 edits) and the trailing "\n\n" (2)
    assert t["cer_reading_order_free"] == pytest.approx(6 / len(gold_text))


def test_visualize_renders_entities_and_records(tmp_path):
    doc = dict(GOLD, metadata={"title": "t"})
    src = tmp_path / "d.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "d.html"
    r = run_cli("visualize", str(src), "-o", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count("<mark") == len(GOLD["entities"])
    assert html.count("<tr>") == 1 + len(GOLD["records"])  # header + one row per record


def test_stdin_obeys_the_size_limit():
    import io
    from pipeline.ingest import read as ingest
    from pipeline.errors import InputError
    text = "The patient received cyclophosphamide 500 mg/kg on day 0.\n"
    limit = ingest.MAX_BYTES
    try:
        ingest.MAX_BYTES = len(text.encode()) - 1
        with pytest.raises(InputError, match="too large"):
            ingest.read_stream(io.StringIO(text))
        ingest.MAX_BYTES = len(text.encode())
        assert ingest.read_stream(io.StringIO(text)).raw == text
    finally:
        ingest.MAX_BYTES = limit


@pytest.mark.parametrize("content,needle", [
    (None, "cannot read"),
    ("not json", "not a document JSON"),
    ('{"a": 1}', "not a document JSON"),
    ("[1]", "not a document JSON"),
])
def test_unreadable_document_json_one_line_error(tmp_path, content, needle):
    f = tmp_path / "doc.json"
    if content is not None:
        f.write_text(content)
    for args in (("evaluate", str(f), str(f)), ("visualize", str(f), "-o", str(tmp_path / "v.html"))):
        r = run_cli(*args)
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2 and len(lines) == 1 and needle in lines[0], (args, r.stderr)


def test_unwritable_output_one_line_error(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("The patient received cyclophosphamide 500 mg/kg on day 0.\n")
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = run_cli("extract", str(src), "-o", str(blocker / "sub" / "a.json"))
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and lines[0].startswith("doseline: "), r.stderr
