"""The recognizer as spaCy components: every component declares what it assigns and requires,
spaCy's analyze_pipes finds no problem, extensions are declared once."""
from __future__ import annotations

from spacy.tokens import Span

from pipeline.recognize.entities import COMPONENTS
from pipeline.recognize.pipeline import recognizer_nlp


def test_analyze_pipes_has_no_problems():
    nlp = recognizer_nlp()
    assert [n for n in nlp.pipe_names if n.startswith("doseline_")] == list(COMPONENTS)
    analysis = nlp.analyze_pipes(pretty=False)
    assert all(not v for v in analysis["problems"].values()), analysis["problems"]
    assert {"span._.norm", "span._.ids", "doc.ents"} <= set(analysis["attrs"])


def test_extensions_declared():
    import pipeline.recognize.extensions  # noqa: F401
    assert Span.has_extension("norm") and Span.has_extension("ids")


def test_no_nlp_recognize_cycle():
    import ast
    from pathlib import Path
    import pipeline
    root = Path(pipeline.__file__).parent
    tree = ast.parse((root / "nlp.py").read_text())
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("recognize" in m for m in imported)
    tree = ast.parse((root / "recognize" / "abbreviation.py").read_text())
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "nlp" not in {m.strip(".") for m in imported}


def test_modules_under_500_lines():
    from pathlib import Path
    import pipeline
    for f in (Path(pipeline.__file__).parent / "recognize").glob("*.py"):
        assert len(f.read_text().splitlines()) < 500, f.name
