"""`prepare_plan`: articles common to every run, anonymised candidates, balanced tuples; bad runs refused."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.train.humaneval.conftest import ARTICLES, LABELS, METHODS, prediction, write_run
from train.humaneval.plan import load_plan, prepare_plan


def test_plan_holds_anonymous_balanced_tuples(runs: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "plan"
    summary = prepare_plan(runs, out, articles=2, tuple_size=3, seed=0, include_reference=True)
    assert summary == {"articles": 2, "candidates": 4, "tuple_size": 3, "tuples": 8,
                       "appearances_per_candidate": 3, "pair_counts": [2, 2], "articles_with_identical_summaries": 0}
    plan, key = load_plan(out)
    assert key["systems"] == ["TFLCLS", "mBART-CLS (w/o TraMul)", "TFLCLS w/o Mul", "reference"]
    assert key["runs"] == [str(run.resolve()) for run in runs]
    assert list(plan["criteria"]) == ["IF", "CC", "FL"]
    assert len(plan["articles"]) == 2 and set(key["articles"]) == {a["id"] for a in plan["articles"]} < set(ARTICLES)
    text = (out / "plan.json").read_text(encoding="utf-8")
    for name in ("TFLCLS", "mBART", "reference", "tflcls", "mbart-cls", "no-mono", "run-"):
        assert name not in text  # what the page gets names no system and no run
    for article in plan["articles"]:
        labels = key["articles"][article["id"]]
        assert sorted(labels) == ["S1", "S2", "S3", "S4"] and sorted(labels.values()) == sorted(key["systems"])
        assert article["source"] == ARTICLES[article["id"]][0]
        for label, system in labels.items():
            expected = ARTICLES[article["id"]][1] if system == "reference" else prediction(article["id"], _method(system))
            assert article["candidates"][label] == expected
        mine = [t for t in plan["tuples"] if t["article"] == article["id"]]
        assert len(mine) == 4 and Counter(c for t in mine for c in t["candidates"]) == {f"S{i}": 3 for i in range(1, 5)}
    assert [t["id"] for t in plan["tuples"]] == [f"t{i:04d}" for i in range(1, 9)]


def test_same_seed_same_plan_other_seed_other_order(runs: list[Path], tmp_path: Path) -> None:
    prepare_plan(runs, tmp_path / "p1", articles=2, tuple_size=3, seed=7)
    prepare_plan(runs, tmp_path / "p2", articles=2, tuple_size=3, seed=7)
    prepare_plan(runs, tmp_path / "p3", articles=2, tuple_size=3, seed=8)
    read = lambda name: (tmp_path / name / "plan.json").read_text().replace(str(tmp_path / name), "")  # noqa: E731
    assert read("p1") == read("p2") != read("p3")


def test_runs_whose_test_sets_differ_are_refused(dataset: Path, runs: list[Path], tmp_path: Path) -> None:
    other = write_run(tmp_path / "other", "tflcls", dataset, ids=["a1", "a2"])
    with pytest.raises(ValueError, match=r"the runs' test sets differ: .*other lacks 1 ids of .*run-m and has 0 others \(e\.g\. a3\)"):
        prepare_plan([runs[1], runs[2], other], tmp_path / "plan", articles=1, tuple_size=3)
    assert not (tmp_path / "plan").exists()


def test_runs_with_other_references_are_refused(runs: list[Path], tmp_path: Path) -> None:
    path = runs[1] / "predictions.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("河内大雨", "河内小雨"), encoding="utf-8")
    with pytest.raises(ValueError, match="run-m has another reference for 1 ids \\(e.g. a1\\)"):
        prepare_plan(runs, tmp_path / "plan", articles=1, tuple_size=3)


def test_a_run_without_predictions_is_refused(runs: list[Path], tmp_path: Path) -> None:
    (runs[2] / "predictions.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match="no predictions.jsonl in .*run-w \\(is the run finished\\?\\)"):
        prepare_plan(runs, tmp_path / "plan", articles=1, tuple_size=3)


def test_a_run_whose_every_prediction_is_empty_is_refused(runs: list[Path], tmp_path: Path) -> None:
    path = runs[1] / "predictions.jsonl"
    rows = [{**json.loads(line), "prediction": " "} for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError, match="predictions.jsonl: every prediction is empty .a model that generated nothing.: nothing to judge"):
        prepare_plan(runs, tmp_path / "plan", articles=1, tuple_size=3)
    assert not (tmp_path / "plan").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"articles": 4, "tuple_size": 3}, "--articles 4: the test set has 3 articles"),
        ({"tuple_size": 4}, "--tuple-size 4 needs 2 <= size <= 3"),
        ({"tuple_size": 5, "include_reference": True}, "--tuple-size 5 needs 2 <= size <= 4"),
    ],
)
def test_sizes_the_runs_cannot_fill_are_refused(runs: list[Path], tmp_path: Path, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        prepare_plan(runs, tmp_path / "plan", **options)


def test_a_run_given_twice_and_an_existing_plan_are_refused(runs: list[Path], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a run is given twice"):
        prepare_plan([runs[0], runs[0]], tmp_path / "plan", articles=1, tuple_size=3)
    prepare_plan(runs, tmp_path / "plan", articles=1, tuple_size=3)
    before = (tmp_path / "plan" / "plan.json").read_bytes()
    with pytest.raises(ValueError, match="already holds a plan"):
        prepare_plan(runs, tmp_path / "plan", articles=2, tuple_size=2)
    assert (tmp_path / "plan" / "plan.json").read_bytes() == before


def test_source_texts_come_from_the_predictions_or_data(runs: list[Path], dataset: Path, tmp_path: Path) -> None:
    (dataset / "data" / "test.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="no source texts: .*pass --data DATASET_DIR"):
        prepare_plan(runs, tmp_path / "plan", articles=1, tuple_size=3)
    for run in runs:  # a run that stores its sources in predictions.jsonl needs no dataset
        path = run / "predictions.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        path.write_text("".join(json.dumps(r | {"source": f"nguồn {r['id']}"}) + "\n" for r in rows), encoding="utf-8")
    prepare_plan(runs, tmp_path / "plan", articles=3, tuple_size=3)
    plan, _ = load_plan(tmp_path / "plan")
    assert sorted(a["source"] for a in plan["articles"]) == ["nguồn a1", "nguồn a2", "nguồn a3"]


def _method(label: str) -> str:
    return {v: k for k, v in LABELS.items()}[label]


assert set(METHODS.values()) == set(LABELS)


def test_identical_summaries_are_counted(runs: list[Path], tmp_path: Path) -> None:
    # Two methods that wrote the same summaries (tiny models often do): annotators can only guess between them.
    (runs[1] / "predictions.jsonl").write_bytes((runs[0] / "predictions.jsonl").read_bytes())
    summary = prepare_plan(runs, tmp_path / "plan", articles=3, tuple_size=3)
    assert summary["articles_with_identical_summaries"] == 3
