"""Review pages for a batch folder (batch --review) and the index page (export --format review)."""
import json

from pipeline.cli import main

TEXT_A = ("Case presentation\nA 40-year-old man received cyclophosphamide 500 mg/m2 intravenously on days -3 to -2. "
          "CAR T cells were infused on May 27 2021 (day 0).\n")
TEXT_B = "Case presentation\nA woman was given oral prednisone 40 mg daily.\n"


def test_batch_review_writes_a_page_per_document_and_export_an_index(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (src / "sub" / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (src / "bad.pdf").write_bytes(b"not a pdf")
    out = tmp_path / "out"
    rc = main(["batch", str(src), "-o", str(out), "--review", "--workers", "1", "--no-progress"])
    assert rc == 1  # bad.pdf failed, the others went through
    assert (out / "a.html").exists() and (out / "sub" / "b.html").exists() and not (out / "bad.html").exists()
    page = (out / "a.html").read_text(encoding="utf-8")
    assert "cyclophosphamide" in page and "<svg" in page and "2021-05-25" in page  # day -2 dated
    assert main(["export", str(out), "--format", "review"]) == 0
    index = (out / "export" / "index.html").read_text(encoding="utf-8")
    assert "href='../a.html'" in index and "href='../sub/b.html'" in index
    assert "not processed" in index and "bad.pdf" in index
    a = json.loads((out / "a.json").read_text(encoding="utf-8"))
    row = index[index.index("href='../a.html'"):].split("</tr>")[0]
    assert f"<td>{len(a['entities'])}</td>" in row and f"<td>{len(a['records'])}</td>" in row


def test_export_review_writes_missing_pages(tmp_path, capsys):
    from pipeline.datasets.export import to_dict, dumps
    from pipeline.run import run_text
    (tmp_path / "d.json").write_text(dumps(to_dict(run_text(TEXT_B, "d.txt"))), encoding="utf-8")
    assert main(["export", str(tmp_path), "--format", "review,csv", "-o", str(tmp_path / "x")]) == 0
    assert (tmp_path / "d.html").exists() and (tmp_path / "x" / "index.html").exists()
    assert (tmp_path / "x" / "records.csv").exists()
    assert "review" in capsys.readouterr().err


def test_review_command(tmp_path, capsys):
    from pipeline.datasets.export import to_dict, dumps
    from pipeline.run import run_text
    doc = tmp_path / "d.json"
    doc.write_text(dumps(to_dict(run_text(TEXT_A, "d.txt"))), encoding="utf-8")
    assert main(["review", str(doc), "--gold", str(doc), "-o", str(tmp_path / "p.html")]) == 0
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "entities strict" in page and "1.000" in page
    assert "KiB" in capsys.readouterr().err
    assert main(["review", str(tmp_path / "missing.json")]) == 2
