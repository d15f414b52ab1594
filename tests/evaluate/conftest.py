"""Fixtures of the evaluate tests: a tiny brat corpus on disk."""
from __future__ import annotations

import pytest

from .brat_cases import ANN1, ANN2, TEXT1, TEXT2


@pytest.fixture()
def tiny_corpus(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT1, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ANN1, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT2, encoding="utf-8")
    (tmp_path / "b.ann").write_text(ANN2, encoding="utf-8")
    return tmp_path


