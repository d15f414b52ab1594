"""The recognizer as spaCy components: every component declares what it assigns and requires,
spaCy's analyze_pipes finds no problem, extensions are declared once."""
from __future__ import annotations

from spacy.tokens import Span

from pipeline.recognize.entities import COMPONENTS
from pipeline.recognize.pipeline import recognizer_nlp


def test_analyze_pipes_has_no_problems():
    nlp = recognizer_nlp()
    assert nlp.pipe_names == ["doseline_sentences", *COMPONENTS]  # the one sentence rule first
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


def test_factories_expose_settings_with_packaged_defaults():
    cfg = recognizer_nlp().config["components"]
    assert cfg["doseline_quantities"]["window_before"] == 160
    assert cfg["doseline_administration"]["route_patterns"] == "recognize/routes.jsonl"
    assert cfg["doseline_regimens"]["patterns"] == "recognize/regimens.jsonl"
    assert cfg["doseline_timeline"]["assay_patterns"] == "recognize/assay_context.csv"


def test_quantity_window_setting_changes_what_is_a_dose():
    import spacy
    from pipeline.nlp import base_nlp

    def doses(window_before):
        base = base_nlp()
        nlp = spacy.blank("en", vocab=base.vocab)
        nlp.tokenizer = base.tokenizer
        nlp.add_pipe("sentencizer")
        for name in COMPONENTS:
            config = {"window_before": window_before} if name == "doseline_quantities" else {}
            nlp.add_pipe(name, config=config)
        doc = nlp.make_doc("Cisplatin was given to the patient on the ward at 75 mg.")
        doc.user_data["doseline"] = {"candidates": [], "blocks": [], "known": []}
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        return [sp.text for sp in doc.ents if sp.label_ == "DOSE"]

    assert doses(160) == ["75"]
    assert doses(10) == []
