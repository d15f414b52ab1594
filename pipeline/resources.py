"""Where the rules and lexicons live: ``patterns/`` at the project root (data, not code).

A checkout (editable install) reads the root's ``patterns/``; a wheel installs the same files as
data files under ``<prefix>/share/doseline/patterns`` (pyproject ``data-files``), found through
:mod:`sysconfig` like any installed data. ``DOSELINE_PATTERNS`` overrides both."""
from __future__ import annotations

import csv
import json
import os
import re
import site
import sys
import sysconfig
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _installed_patterns() -> list[Path]:
    """Where an installed wheel put ``share/doseline/patterns``: the scheme's data path (a venv or
    the system prefix), the user base (``pip install --user``), ``sys.prefix``."""
    bases = [sysconfig.get_path("data"), getattr(site, "USER_BASE", None), sys.prefix]
    return [Path(b) / "share" / "doseline" / "patterns" for b in bases if b]


def shared_dir() -> Path:
    """``$DOSELINE_SHARED`` or the ``shared`` folder beside the repository (``../shared``): the
    third-party PDFs and corpora used for development and measurement, never shipped."""
    return Path(os.environ.get("DOSELINE_SHARED", ROOT.parent / "shared"))


def portable(path: str | Path) -> str:
    """A path as recorded in files the project ships (training records): relative to the
    repository (``gold/...``) or to ``../shared`` (``../shared/corpora/...``), never absolute."""
    p = Path(path).resolve()
    for base, prefix in ((ROOT, ""), (shared_dir().resolve(), "../shared/")):
        if p.is_relative_to(base):
            return prefix + p.relative_to(base).as_posix()
    return str(path)


def patterns_dir() -> Path:
    if os.environ.get("DOSELINE_PATTERNS"):
        return Path(os.environ["DOSELINE_PATTERNS"])
    for p in [ROOT / "patterns", *_installed_patterns()]:
        if p.is_dir():
            return p
    return ROOT / "patterns"


def pattern_path(name: str) -> Path:
    p = patterns_dir() / name
    if not p.exists():
        raise FileNotFoundError(f"pattern file missing: {p}")
    return p


@lru_cache(maxsize=None)
def load_jsonl(name: str) -> tuple:
    """Rows of a JSONL pattern file; lines starting with // are comments."""
    rows = []
    with open(pattern_path(name), encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("//"):
                rows.append(json.loads(line))
    return tuple(rows)


def alternation(phrases, flexible_spaces: bool = False) -> str:
    """A regex alternation of literal phrases, longest first (so "mg/kg/d" wins over "mg"); with
    ``flexible_spaces`` the words of a phrase may be separated by any run of white space."""
    esc = (lambda p: r"\s+".join(re.escape(w) for w in p.split())) if flexible_spaces else re.escape
    return "|".join(esc(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


@lru_cache(maxsize=None)
def load_csv(name: str) -> tuple:
    with open(pattern_path(name), encoding="utf-8", newline="") as fh:
        return tuple(dict(r) for r in csv.DictReader(r for r in fh if not r.startswith("#")))
