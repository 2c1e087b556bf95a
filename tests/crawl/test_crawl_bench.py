"""The crawl benchmark stays runnable: a tiny site, both modes, every article kept by each."""

from __future__ import annotations

from bench.crawl_bench import run


def test_crawl_bench_runs_at_tiny_size() -> None:
    result = run(size=20)
    assert result["selectors"]["articles"] == result["trafilatura_only"]["articles"] == 20
    assert result["selectors"]["mode"] == "profile selectors"
    assert 0 < result["selectors"]["extract_cpu_share"] < 1
    assert result["extraction_cpu_ratio"] > 0
