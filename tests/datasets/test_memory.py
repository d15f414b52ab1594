"""Worker memory in the manifest and the bench: RSS beside PSS and USS (issue 14)."""
from __future__ import annotations

import sys

import pytest

from pipeline.datasets.bench import worker_memory
from pipeline.datasets.worker import proportional_mb, resident_mb


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/smaps_rollup is Linux only")
def test_pss_and_uss_are_read_and_ordered():
    m = proportional_mb()
    rss = resident_mb()
    assert 0 < m["uss_mb"] <= m["pss_mb"] <= rss + 1


def test_worker_memory_peak_and_growth():
    rows = [{"rss_mb": 500 + i, "pss_mb": 200 + i, "uss_mb": 100 + i} for i in range(20)]
    rows.append({"rss_mb": None, "pss_mb": None, "uss_mb": None})  # a platform without /proc
    m = worker_memory(rows)
    assert (m["worker_rss_peak_mb"], m["worker_pss_peak_mb"], m["worker_uss_peak_mb"]) == (519, 219, 119)
    assert m["worker_pss_growth_mb"] == 18.0  # mean of the last 2 minus mean of the first 2
    assert worker_memory([])["worker_pss_peak_mb"] is None
