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


def test_peak_memory_counts_one_worker_peak_per_worker(monkeypatch):
    monkeypatch.setattr("bench.rouge_bench.peak_memory_mib", lambda: (70.0, 50.0))
    monkeypatch.setattr("bench.rouge_bench.os.cpu_count", lambda: 2)
    assert main(["--pairs", "300"])["peak_memory_mib"] == 70.0  # below the threshold: no workers
    monkeypatch.setattr("bench.rouge_bench.PARALLEL_THRESHOLD", 100)
    monkeypatch.setattr("curate.rouge.PARALLEL_THRESHOLD", 100)
    figures = main(["--pairs", "300", "--baseline-pairs", "10"])
    assert (figures["peak_memory_parent_mib"], figures["peak_memory_worker_mib"]) == (70.0, 50.0)
    assert figures["peak_memory_mib"] == 170.0
