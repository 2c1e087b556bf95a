"""`clsforge demo` itself, as CI runs it: the whole lifecycle offline, every method, one step each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

METHOD_ROWS = ("| TFLCLS |", "| TFLCLS w/o Tra |", "| TFLCLS w/o Mul |", "| mBART-CLS (w/o TraMul) |")


def test_demo_runs_the_whole_lifecycle(demo_site: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "demo"
    command = [str(Path(sys.executable).parent / "clsforge"), "demo", "--workdir", str(workdir), "--max-steps", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=540, env=os.environ, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for row in METHOD_ROWS:
        assert row in out
    assert "records:  crawled 40, scored 40, selected 32, usable for splits 32" in out
    assert "publish:  would push 10 files to clsforge/DemoVi2Zh" in out  # + 3 filter plots, leakage.json
    assert f"report:   {workdir / 'report' / 'table2.md'}" in out

    dataset = workdir / "dataset"
    assert sorted(p.name for p in (dataset / "data").iterdir()) == [
        "test.parquet", "train_24.parquet", "train_8.parquet", "validation.parquet"
    ]
    assert json.loads((dataset / "stats.json").read_text())["splits"]["train_24"]["records"] == 24
    runs = sorted(p.name for p in (workdir / "runs").iterdir())
    assert runs == ["mbart-cls-tflcls-n24", "no-mono-tflcls-n24", "no-stage1-tflcls-n24", "tflcls-tflcls-n24"]
    for run in runs:
        metrics = json.loads((workdir / "runs" / run / "metrics.json").read_text())
        assert (metrics["train_size"], metrics["test"]["n"]) == (24, 4)
        assert (workdir / "runs" / run / "model" / "config.json").exists()
    assert (workdir / "tiny-model").is_dir()
