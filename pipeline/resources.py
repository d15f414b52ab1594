"""Where the rules and lexicons live: ``patterns/`` at the project root (data, not code).

``DOSELINE_PATTERNS`` overrides the folder, for installs that are not editable."""
from __future__ import annotations

import csv
import json
import os
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def patterns_dir() -> Path:
    return Path(os.environ.get("DOSELINE_PATTERNS", ROOT / "patterns"))


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
