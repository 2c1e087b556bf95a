"""The WARC benchmark stays runnable: tiny generated files, every mode, the same articles each way."""

from __future__ import annotations

import pytest

from bench.warc_bench import run


@pytest.mark.slow  # starts a Dask LocalCluster
def test_warc_bench_runs_at_tiny_size() -> None:
    result = run(size=60, files=2, baseline_records=60)
    rows = {row["mode"]: row for row in result["rows"][:1] + result["rows"][2:]}
    assert [row["mode"] for row in result["rows"]] == ["inflate", "skip", "skip", "extract", "dask", "baseline"]
    assert result["rows"][1]["records"] == 30 and rows["skip"]["records"] == rows["extract"]["records"] == 60
    assert rows["skip"]["articles"] == 0
    assert rows["extract"]["articles"] == rows["dask"]["articles"] == rows["baseline"]["articles"] > 0
    assert all(row["peak_rss_mb"] > 0 for row in result["rows"])
