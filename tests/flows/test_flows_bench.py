"""bench/flows_bench.py keeps working (tiny size)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_flows_bench_runs_at_a_tiny_size() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.flows_bench", "--size", "60", "--shard-size", "20"],
                          capture_output=True, text=True, timeout=300, env=os.environ)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert (figures["size"], figures["shard_size"]) == (60, 20)
    assert set(figures) == {"size", "shard_size", "direct_s", "flow_s", "rerun_s", "flow_over_direct", "rerun_over_flow"}
    assert figures["flow_over_direct"] == pytest.approx(figures["flow_s"] / figures["direct_s"], rel=0.05)
