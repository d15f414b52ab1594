"""Shared test fixtures. Tests that use ../shared (third-party PDFs and corpora) skip without it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DOSELINE_SHARED", ROOT.parent / "shared"))
GOLD = ROOT / "gold"
REPORT = "fonc-2026-cd7-cart"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "pdfs").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def report_gold_dir() -> Path:
    d = GOLD / REPORT
    if not (d / "gold.json").exists():
        pytest.skip("report gold not built yet")
    return d
