"""The translation benchmark still runs, at a tiny size, and its figures hold together."""

from __future__ import annotations

import math

from bench.translate_bench import main, make_summaries


def test_summaries_are_distinct_and_realistic_in_length():
    summaries = make_summaries(200)
    assert len(set(summaries)) == 200
    assert 150 <= sum(map(len, summaries)) / 200 <= 400


def test_benchmark_runs_at_a_tiny_size(capsys):
    figures = main(["--size", "1500", "--latency", "0.01", "--baseline-sample", "3"])
    assert figures["minimum_requests"] == math.ceil(figures["code_points"] / 30_000)
    assert figures["minimum_requests"] <= figures["requests"] <= math.ceil(1.05 * figures["minimum_requests"]) + 1
    assert (figures["rerun_requests"], figures["rerun_cache_hits"]) == (0, 1500)
    assert figures["baseline_extrapolated_from"] == 3
    assert "ratio:" in capsys.readouterr().out
