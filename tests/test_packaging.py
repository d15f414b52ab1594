"""The wheel carries patterns/: every file of patterns/ is matched by a pyproject data-files glob,
and pipeline.resources finds an installed copy when no checkout is around (a non-editable install)."""
from __future__ import annotations

import glob
import tomllib
from pathlib import Path

import pipeline.resources as resources

ROOT = Path(__file__).resolve().parents[1]


def test_every_pattern_file_ships_in_the_wheel():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {}
    for target, globs in cfg.items():
        for g in globs:
            for f in glob.glob(str(ROOT / g)):
                rel = Path(f).relative_to(ROOT / "patterns")
                shipped[rel.as_posix()] = target
                # installed beside its folder: share/doseline/patterns/<folder>
                assert target == "/".join(["share/doseline/patterns", *rel.parent.parts]), (g, target)
    files = {p.relative_to(ROOT / "patterns").as_posix() for p in (ROOT / "patterns").rglob("*") if p.is_file()}
    assert files and files == set(shipped)


def test_installed_patterns_are_found_without_a_checkout(tmp_path, monkeypatch):
    resources.load_jsonl.cache_clear()
    installed = tmp_path / "prefix" / "share" / "doseline" / "patterns"
    (installed / "text").mkdir(parents=True)
    (installed / "text" / "x.jsonl").write_text('// a comment\n{"a": 1}\n')
    monkeypatch.delenv("DOSELINE_PATTERNS", raising=False)
    monkeypatch.setattr(resources, "ROOT", tmp_path / "no-checkout")
    monkeypatch.setattr(resources, "_installed_patterns", lambda: [tmp_path / "elsewhere", installed])
    try:
        assert resources.patterns_dir() == installed
        assert resources.load_jsonl("text/x.jsonl") == ({"a": 1},)
        # the environment variable wins over both
        monkeypatch.setenv("DOSELINE_PATTERNS", str(tmp_path / "mine"))
        assert resources.patterns_dir() == tmp_path / "mine"
    finally:
        resources.load_jsonl.cache_clear()


def test_a_checkout_reads_its_own_patterns(monkeypatch):
    monkeypatch.delenv("DOSELINE_PATTERNS", raising=False)
    assert resources.patterns_dir() == ROOT / "patterns"
    assert any(p.name.endswith("share/doseline/patterns") or "share" in p.parts
               for p in resources._installed_patterns())
