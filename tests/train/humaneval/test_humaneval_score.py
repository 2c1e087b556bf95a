"""Table-4 scores, split-half reliability and agreement against values computed by hand."""

from __future__ import annotations

import math

import pytest

from train.humaneval.score import Judgement, agreement, bws_scores, render, spearman, split_half

SHOWN = ("s1", "s2", "s3")


def j(annotator: str, tuple_id: str, best: str, worst: str, article: str = "a1", shown=SHOWN) -> Judgement:
    return Judgement(annotator, tuple_id, article, "IF", shown, best, worst)


# Two annotators, two tuples of one article. They agree on t1; on t2 A picks s1 / s2, B picks s2 / s3.
ITEMS = [j("A", "t1", "s1", "s3"), j("B", "t1", "s1", "s3"), j("A", "t2", "s1", "s2"), j("B", "t2", "s2", "s3")]


def test_scores_are_best_minus_worst_over_appearances() -> None:
    # Each system is shown in 4 judgements. s1: best 3 (A t1, B t1, A t2) -> 3/4;
    # s2: best 1 (B t2), worst 1 (A t2) -> 0; s3: worst 3 -> -3/4; s4 never shown -> None.
    table = bws_scores(ITEMS, ["s1", "s2", "s3", "s4"], ["IF"])["IF"]
    assert table == {
        "s1": {"best": 3, "worst": 0, "n": 4, "score": 0.75},
        "s2": {"best": 1, "worst": 1, "n": 4, "score": 0.0},
        "s3": {"best": 0, "worst": 3, "n": 4, "score": -0.75},
        "s4": {"best": 0, "worst": 0, "n": 0, "score": None},
    }


def test_split_half_of_two_annotators_by_hand() -> None:
    # Every split puts t1 (agreed) in both halves and A's t2 in one half, B's in the other.
    # Half with A's t2: s1 2/2 = 1, s2 -1/2, s3 -1/2; half with B's t2: s1 1/2, s2 1/2, s3 -2/2 = -1.
    # Ranks (ties averaged): [3, 1.5, 1.5] and [2.5, 2.5, 1]; centred [1, -.5, -.5] and [.5, .5, -1]:
    # r = 0.75 / sqrt(1.5 * 1.5) = 0.5, the same for every split (the correlation is symmetric).
    assert split_half(ITEMS, trials=10, seed=3) == pytest.approx(0.5)


def test_split_half_needs_tuples_judged_twice() -> None:
    assert split_half([i for i in ITEMS if i.annotator == "A"]) is None
    assert split_half([j("A", "t1", "s1", "s3"), j("B", "t1", "s1", "s3")]) == pytest.approx(1.0)
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_agreement_by_hand() -> None:
    # Units (tuple, role) with values: (t1,best) s1 s1; (t1,worst) s3 s3; (t2,best) s1 s2; (t2,worst) s2 s3.
    # n = 8 values: s1 3, s2 2, s3 3. Disagreeing pairs, both orders: 4, so D_o = 4 / 8;
    # D_e = (8^2 - (9 + 4 + 9)) / (8 * 7) = 42 / 56. alpha = 1 - 0.5 / 0.75 = 1/3. Pairwise: 2 of 4 units agree.
    assert agreement(ITEMS) == {"alpha": pytest.approx(1 / 3), "pairwise": 0.5, "units": 4}
    assert agreement(ITEMS[:1]) == {"alpha": None, "pairwise": None, "units": 0}


def test_three_annotators_pairwise_agreement() -> None:
    # (t1,best): s1 s1 s2 -> 1 agreeing pair of 3; (t1,worst): s3 s3 s3 -> 3 of 3. Mean (1/3 + 1) / 2.
    items = [j("A", "t1", "s1", "s3"), j("B", "t1", "s1", "s3"), j("C", "t1", "s2", "s3")]
    assert agreement(items)["pairwise"] == pytest.approx(2 / 3)


def test_render_markdown_and_csv() -> None:
    result = {
        "systems": ["s1", "s2"], "criteria": ["IF"], "tuples": 2, "annotators": {"A": 2, "B": 1},
        "scores": bws_scores([j("A", "t1", "s1", "s2", shown=("s1", "s2"))], ["s1", "s2"], ["IF"]),
        "reliability": {"IF": {"judgements": 1, "annotators": 1, "split_half": None, "alpha": None, "pairwise": None, "units": 0}},
    }
    markdown, table = render(result)
    assert "| s1 | 1.000 (n=1) |\n| s2 | -1.000 (n=1) |" in markdown
    assert "Tuples answered: A 2/2, B 1/2." in markdown
    assert "| IF | 1 | 1 | - | - | - | 0 |" in markdown
    assert table.splitlines() == [
        "system,criterion,best,worst,n,best_pct,worst_pct,score",
        "s1,IF,1,0,1,100.0,0.0,1.0000",
        "s2,IF,0,1,1,0.0,100.0,-1.0000",
    ]
    assert math.isclose(result["scores"]["IF"]["s2"]["score"], -1.0)
