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


def test_a_damaged_answers_file_is_named(runs: list[Path], tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    assert clsforge("humaneval", "prepare", *map(str, runs), "--out", str(plan), "--articles", "1").returncode == 0
    (plan / "answers.sqlite").write_bytes(b"not a database, just text" * 10)
    expected = f"clsforge: error: {plan / 'answers.sqlite'} is not an SQLite database (file is not a database)\n"
    for command in ("score", "serve"):
        result = clsforge("humaneval", command, str(plan))
        assert (result.returncode, result.stdout, result.stderr) == (2, "", expected)


def test_a_damaged_plan_file_is_named_not_called_missing(runs: list[Path], tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "plan.json").write_text("{", encoding="utf-8")
    result = clsforge("humaneval", "score", str(plan))
    assert (result.returncode, result.stderr) == (
        2, f"clsforge: error: {plan / 'plan.json'} is not valid JSON (Expecting property name enclosed in double "
           "quotes at line 1, column 2)\n")
    (plan / "plan.json").write_text("{}", encoding="utf-8")  # valid, but key.json is not there
    result = clsforge("humaneval", "score", str(plan))
    assert (result.returncode, result.stderr) == (
        2, f"clsforge: error: no key.json in {plan} (run `clsforge humaneval prepare` first)\n")


def test_missing_run_folders_are_reported_before_the_sizes(runs: list[Path], tmp_path: Path) -> None:
    missing = tmp_path / "runs" / "typo"
    for sizes in ((), ("--tuple-size", "4")):  # alone it would be 'BWS needs ...' / '--tuple-size 4 needs ...'
        result = clsforge("humaneval", "prepare", str(runs[0]), str(missing), "--out", str(tmp_path / "p"), *sizes)
        assert (result.returncode, result.stderr) == (2, f"clsforge: error: no such run folder: {missing}\n")
    assert not (tmp_path / "p").exists()


def test_the_default_tuple_size_adapts_to_two_runs_and_says_so(runs: list[Path], tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    result = clsforge("humaneval", "prepare", str(runs[0]), str(runs[1]), "--out", str(plan), "--articles", "2")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "clsforge: --tuple-size 2: the default 4 is more than the 2 candidates per article\n"
    assert json.loads(result.stdout) == {"plan": str(plan), "articles": 2, "candidates": 2, "tuple_size": 2,
                                         "tuples": 2, "appearances_per_candidate": 1, "pair_counts": [1, 1],
                                         "articles_with_identical_summaries": 0}
    result = clsforge("humaneval", "prepare", str(runs[0]), str(runs[1]), "--out", str(tmp_path / "p2"),
                      "--tuple-size", "4")  # asked for explicitly: still refused
    assert (result.returncode, result.stderr) == (
        2, "clsforge: error: --tuple-size 4 needs 2 <= size <= 2 (the candidates per article)\n")


def test_an_out_that_is_a_file_is_named(runs: list[Path], tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    result = clsforge("humaneval", "prepare", *map(str, runs), "--out", str(afile), "--articles", "1")
    assert (result.returncode, result.stderr) == (2, f"clsforge: error: the output folder is a file: {afile}\n")
    plan = tmp_path / "plan"
    assert clsforge("humaneval", "prepare", *map(str, runs), "--out", str(plan), "--articles", "1").returncode == 0
    result = clsforge("humaneval", "score", str(plan), "--out", str(afile))
    assert (result.returncode, result.stderr) == (2, f"clsforge: error: the output folder is a file: {afile}\n")
    assert afile.read_text(encoding="utf-8") == "x"
