"""The `roundtrip_rouge` step: minimums, then the best K by a key, ties by id (moved from curate.select's tests)."""

from __future__ import annotations

import pytest

from curate.filters.base import FilterContext
from curate.filters.chain import run_filters
from curate.filters.registry import parse_step
from curate.io import read_jsonl, write_jsonl

CONTEXT = FilterContext("vi", "zh", "summary_zh")


def scored(id, r1, r2, rl):
    return {"id": id, "summary": f"tóm tắt {id}", "text": f"nội dung bài {id}", "rt_rouge1": r1, "rt_rouge2": r2,
            "rt_rougeL": rl}


POOL = [
    scored("e", 60, 30, 60),  # mean 50
    scored("a", 90, 60, 90),  # mean 80
    scored("d", 50, 40, 60),  # mean 50, ties with e: id order puts d first
    scored("b", 70, 10, 70),  # mean 50, but rouge2 10 is below the minimum of the threshold test
    {"id": "x", "summary": "chưa chấm", "text": "chưa chấm điểm"},  # no scores
    scored("c", 20, 10, 30),  # mean 20
]


def select(tmp_path, records, **params):
    """(kept ids in pool order, the step's result) of one roundtrip_rouge step over `records`."""
    write_jsonl(tmp_path / "pool.jsonl", records)
    result = run_filters(tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", [{"step": "roundtrip_rouge", **params}],
                         CONTEXT, tmp_path / "dropped.jsonl", tmp_path)
    return [r["id"] for r in read_jsonl(tmp_path / "kept.jsonl")], result.steps[0]


def test_the_best_k_by_mean_with_ties_broken_by_id(tmp_path):
    kept, step = select(tmp_path, POOL, k=3)
    # a (80), then the best two of the 50s by id: b and d (e loses the tie); kept in pool order
    assert kept == ["a", "d", "b"]
    assert (step.input, step.kept, step.cutoff) == (6, 3, 50.0)
    assert step.dropped == {"below_top_k": 2, "unscored": 1}
    assert (tmp_path / step.plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_selection_does_not_depend_on_the_pool_order(tmp_path):
    pool = POOL + [scored("q", 70, 70, 70), scored("p", 70, 70, 70), scored("s", 65, 65, 65)]
    forward, step = select(tmp_path, pool, k=5)
    backward, reversed_step = select(tmp_path, pool[::-1], k=5)
    assert forward == ["a", "b", "q", "p", "s"] and backward == forward[::-1]
    assert step.dropped == reversed_step.dropped == {"below_top_k": 3, "unscored": 1}


def test_thresholds_and_key_choice(tmp_path):
    kept, step = select(tmp_path, POOL, k=10, key="rouge2", min_scores={"rt_rouge2": 25})
    assert kept == ["e", "a", "d"]
    assert (step.kept, step.cutoff) == (3, 30)
    assert step.dropped == {"below_min_rt_rouge2": 2, "unscored": 1}
    kept, step = select(tmp_path, POOL, key="rouge2", min_scores={"rouge2": 30})  # no k: all over the minimums
    assert (kept, step.cutoff) == (["e", "a", "d"], 30)


@pytest.mark.parametrize(("entry", "message"), [
    ({"key": "bleu"}, "^filter step roundtrip_rouge: key: Input should be 'mean', 'rouge1', 'rouge2' or 'rougeL'$"),
    ({"k": 0}, "^filter step roundtrip_rouge: k: Input should be greater than or equal to 1$"),
    ({"min_scores": {"bleu": 1}}, "^filter step roundtrip_rouge: Value error, unknown score key 'bleu'; use one of: "
                                  "mean, rouge1, rouge2, rougeL$"),
])
def test_bad_key_k_and_minimum_are_one_line_errors(entry, message):
    with pytest.raises(ValueError, match=message):
        parse_step({"step": "roundtrip_rouge", **entry})


@pytest.mark.parametrize(("entry", "message"), [
    ({"min_scores": {"rouge2": float("nan")}}, "min_scores.rouge2: Input should be a finite number"),
    ({"min_scores": {"rouge2": float("inf")}}, "min_scores.rouge2: Input should be a finite number"),
    ({"min_scores": {"rouge2": 500}}, "min_scores: rouge2 500.0 is outside 0..100 .ROUGE F x 100."),
    ({"min_scores": {"rouge2": -1}}, "min_scores: rouge2 -1.0 is outside 0..100 .ROUGE F x 100."),
    ({"k": True}, "k: Input should be a valid integer"),
    ({"k": "5"}, "k: Input should be a valid integer"),
])
def test_nan_out_of_range_and_lax_values_are_refused(entry, message):
    with pytest.raises(ValueError, match=message):
        parse_step({"step": "roundtrip_rouge", **entry})


def test_other_steps_refuse_nan_thresholds_and_strings():
    for entry in ({"step": "language_id", "min_confidence": float("nan")},
                  {"step": "near_duplicates", "threshold": float("nan")},
                  {"step": "length_ratio", "max_ratio": float("inf")},
                  {"step": "near_duplicates", "ngram": "5"}):
        with pytest.raises(ValueError, match=r"^filter step \w+: \w+: Input should be"):
            parse_step(entry)


def test_nan_and_non_numeric_scores_are_unscored_wherever_they_sit(tmp_path):
    # A NaN score is no score: it neither takes a top-K place nor loses one by where it lies in the pool.
    bad = [{**scored("n", 90, 90, 90), "rt_rouge2": float("nan")}, {**scored("s", 90, 90, 90), "rt_rouge1": "95"}]
    for pool in (bad + POOL, POOL[:3] + bad + POOL[3:], POOL + bad):
        kept, step = select(tmp_path, pool, k=3)
        assert sorted(kept) == ["a", "b", "d"]
        assert step.dropped == {"below_top_k": 2, "unscored": 3}
        assert step.input == step.kept + step.dropped.total
