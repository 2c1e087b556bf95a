"""The curate benchmark stays runnable (tiny size; no timing asserted)."""

import subprocess
import sys


def test_curate_bench_runs_at_a_tiny_size():
    run = subprocess.run(
        [sys.executable, "-m", "bench.curate_bench", "--size", "300", "--body-words", "40", "--workers", "1",
         "--similarity-size", "20"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("300 synthetic records")
    assert lines[2].startswith("clsforge") and lines[3].startswith("naive") and lines[4].startswith("similarity")
    assert '"scored": 300, "kept": 23' in lines[2] and '"scored": 300, "kept": 23' in lines[3]
    # 1% of the synthetic records repeat an earlier one; the filter list drops them as duplicates
    assert '"dropped": {"near_duplicates/duplicate_summary": 2, "roundtrip_rouge/below_top_k": 275}' in lines[2]
    assert '"records": 20' in lines[4]
    assert lines[-1].startswith("speed-up x")
