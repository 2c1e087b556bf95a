"""`clsforge humaneval` from a shell: the sub-commands, and bad input as one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import clsforge


def test_prepare_and_score_errors_are_one_line(runs: list[Path], tmp_path: Path) -> None:
    (runs[1] / "predictions.jsonl").unlink()
    result = clsforge("humaneval", "prepare", *map(str, runs), "--out", str(tmp_path / "plan"), "--tuple-size", "3")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"clsforge: error: no predictions.jsonl in {runs[1]} (is the run finished?)\n"

    result = clsforge("humaneval", "score", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert result.stderr == (
        f"clsforge: error: no plan in {tmp_path / 'nothing'} (run `clsforge humaneval prepare` first)\n"
    )


def test_prepare_then_score_without_answers(runs: list[Path], tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    result = clsforge("humaneval", "prepare", *map(str, runs), "--out", str(plan), "--articles", "3",
                      "--tuple-size", "2", "--seed", "1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"plan": str(plan), "articles": 3, "candidates": 3, "tuple_size": 2,
                                         "tuples": 9, "appearances_per_candidate": 2, "pair_counts": [1, 1],
                                         "articles_with_identical_summaries": 0}
    result = clsforge("humaneval", "score", str(plan))
    assert result.returncode == 2
    assert result.stderr == f"clsforge: error: no answers in {plan} (run `clsforge humaneval serve {plan}` first)\n"


def test_humaneval_lists_its_commands() -> None:
    result = clsforge("humaneval", "--help")
    assert result.returncode == 0
    assert all(command in result.stdout for command in ("prepare", "serve", "score"))
