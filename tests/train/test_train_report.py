"""`write_report` / `clsforge report`: Table 2 from run folders, best per column marked."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from train.report import write_report

CLSFORGE = str(Path(sys.executable).parent / "clsforge")


def make_run(root: Path, name: str, method: str, size: int, scores: tuple[float, float, float], pair=("vi", "zh"),
             loss="tflcls", r=2.0) -> Path:
    run = root / name
    run.mkdir()
    metrics = {"method": method, "train_size": size, "loss": None if method == "mbart-cls" else loss,
               "r": None if method == "mbart-cls" else r,
               "source_lang": pair[0], "target_lang": pair[1],
               "test": dict(zip(("rouge1", "rouge2", "rougeL"), scores), n=3)}
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return run


@pytest.fixture
def runs(tmp_path):
    return [
        make_run(tmp_path, "a", "mbart-cls", 1000, (30.0, 9.664, 25.0)),
        make_run(tmp_path, "b", "tflcls", 1000, (29.0, 11.489, 26.0)),
        make_run(tmp_path, "c", "tflcls", 3000, (33.0, 12.0, 27.0)),
        make_run(tmp_path, "d", "tflcls", 1000, (31.0, 10.0, 24.0), loss="sum"),
        make_run(tmp_path, "e", "mbart-cls", 5000, (20.0, 5.631, 18.0), pair=("zh", "en")),
    ]


def test_table2_layout_and_best_marks(runs, tmp_path):
    paths = write_report(runs, tmp_path / "report")
    markdown = Path(paths["markdown"]).read_text(encoding="utf-8")
    lines = markdown.splitlines()
    assert lines[0] == "## vi2zh: test ROUGE F x 100 (best per column in bold)"
    assert lines[2] == "| Method | 1000 R-1 | 1000 R-2 | 1000 R-L | 3000 R-1 | 3000 R-2 | 3000 R-L |"
    assert lines[4] == "| mBART-CLS (w/o TraMul) | 30.000 | 9.664 | 25.000 | - | - | - |"
    assert lines[5] == "| TFLCLS | 29.000 | **11.489** | **26.000** | **33.000** | **12.000** | **27.000** |"
    assert lines[6] == "| TFLCLS (loss sum) | **31.000** | 10.000 | 24.000 | - | - | - |"
    assert "## zh2en" in markdown and "| mBART-CLS (w/o TraMul) | **20.000** | **5.631** | **18.000** |" in markdown
    rows = list(csv.reader(Path(paths["csv"]).open(encoding="utf-8")))
    assert rows[0] == ["pair", "Method", "1000 R-1", "1000 R-2", "1000 R-L", "3000 R-1", "3000 R-2", "3000 R-L"]
    assert rows[2] == ["vi2zh", "TFLCLS", "29.000", "11.489*", "26.000*", "33.000*", "12.000*", "27.000*"]
    assert len(rows) == 4 + 2  # vi2zh: header + 3 rows; zh2en: header + 1 row


def test_mean_over_seeds(tmp_path):
    first = make_run(tmp_path, "s0", "tflcls", 1000, (30.0, 10.0, 20.0))
    second = make_run(tmp_path, "s1", "tflcls", 1000, (32.0, 12.0, 22.0))
    paths = write_report([first, second], tmp_path)
    assert "| TFLCLS | **31.000** | **11.000** | **21.000** |" in Path(paths["markdown"]).read_text(encoding="utf-8")


def test_runs_with_another_r_get_their_own_row(tmp_path):
    default = make_run(tmp_path, "r2", "tflcls", 1000, (30.0, 10.0, 20.0))
    other = make_run(tmp_path, "r1", "tflcls", 1000, (32.0, 12.0, 22.0), r=1.5)
    lines = Path(write_report([default, other], tmp_path)["markdown"]).read_text(encoding="utf-8").splitlines()
    assert lines[4:6] == [
        "| TFLCLS | 30.000 | 10.000 | 20.000 |",
        "| TFLCLS (r 1.5) | **32.000** | **12.000** | **22.000** |",
    ]


def test_cli_report_and_one_line_errors(runs, tmp_path):
    done = subprocess.run([CLSFORGE, "report", *map(str, runs), "--out", str(tmp_path / "r")], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r" / "table2.md").is_file() and "**11.489**" in done.stdout
    missing = subprocess.run([CLSFORGE, "report", str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"clsforge: error: no metrics.json in {tmp_path / 'nope'} (is the run finished?)"
    bad = subprocess.run([CLSFORGE, "train", "--method", "mbart", "--data", str(tmp_path), "--train-size", "5",
                          "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "clsforge: error: unknown method 'mbart'; choose one of tflcls, mbart-cls, no-stage1, no-mono"
    )
