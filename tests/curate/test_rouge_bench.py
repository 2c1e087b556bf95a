"""The ROUGE benchmark stays runnable (its figures are recorded in docs/benchmarks.md, never asserted)."""

from bench.rouge_bench import main, make_pairs


def test_pairs_are_realistic_and_deterministic():
    hyps, refs = make_pairs(50)
    assert (hyps, refs) == make_pairs(50)
    assert all(40 <= len(ref.split()) <= 50 for ref in refs)
    assert hyps != refs


def test_bench_runs_at_tiny_size(capsys):
    figures = main(["--pairs", "300"])
    assert figures["pairs"] == 300 and figures["baseline_extrapolated_from"] == 300
    assert "ratio:" in capsys.readouterr().out
