"""`AnswerStore`: one commit per tuple, resume, idempotent repeats, refusals logged and nothing overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from train.humaneval.plan import load_plan, prepare_plan
from train.humaneval.store import AnswerRefused, AnswerStore, clean_name


@pytest.fixture
def store(runs: list[Path], tmp_path: Path) -> AnswerStore:
    prepare_plan(runs, tmp_path / "plan", articles=2, tuple_size=3, include_reference=True)
    plan, _ = load_plan(tmp_path / "plan")
    return AnswerStore(tmp_path / "plan" / "answers.sqlite", plan)


def answer_first_last(tuple_: dict) -> dict:
    first, last = tuple_["candidates"][0], tuple_["candidates"][-1]
    return {c: {"best": first, "worst": last} for c in ("IF", "CC", "FL")}


def test_answers_resume_where_the_annotator_stopped(store: AnswerStore) -> None:
    first, answered, total = store.next_tuple("Lan")
    assert (answered, total) == (0, 8)
    assert store.save("Lan", first["id"], answer_first_last(first)) is True
    second, answered, _ = store.next_tuple("Lan")
    assert answered == 1 and second["id"] != first["id"]
    reopened = AnswerStore(store.path, store.plan)  # a new server on the same folder
    assert reopened.next_tuple("Lan")[0]["id"] == second["id"]
    assert reopened.next_tuple("Minh")[1] == 0  # annotators are independent
    assert sorted(store.order("Lan")) == sorted(store.tuples) and store.order("Lan") == reopened.order("Lan")
    assert store.order("Lan") != store.order("Minh")  # each annotator gets their own order
    assert [(r["annotator"], r["tuple_id"], r["criterion"]) for r in store.rows()] == [
        ("Lan", first["id"], c) for c in ("IF", "CC", "FL")
    ]


def test_a_tuple_posted_twice_is_idempotent_and_a_changed_answer_is_refused(store: AnswerStore) -> None:
    tuple_ = store.next_tuple("Lan")[0]
    answer = answer_first_last(tuple_)
    assert store.save("Lan", tuple_["id"], answer) is True
    assert store.save(" Lan ", tuple_["id"], answer) is False  # a double click: accepted, nothing changes
    changed = answer | {"FL": {"best": answer["FL"]["worst"], "worst": answer["FL"]["best"]}}
    with pytest.raises(AnswerRefused, match=f"tuple {tuple_['id']} is already answered by Lan; answers are final") as info:
        store.save("Lan", tuple_["id"], changed)
    assert info.value.status == 409
    assert [(r["criterion"], r["best"], r["worst"]) for r in store.rows()] == [
        (c, a["best"], a["worst"]) for c, a in answer.items()
    ]
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT annotator, tuple_id, reason FROM refused").fetchall() == [
            ("Lan", tuple_["id"], "a different answer to a tuple already answered")
        ]


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"CC": {"best": "S1", "worst": "S1"}}, 422, "CC: the best and the worst summary must differ"),
        ({"FL": {"best": "S9", "worst": "S1"}}, 400, "FL: 'S9' is not a summary of tuple"),
        ({"IF": {"best": "S1"}}, 400, "IF: choose a best and a worst summary"),
        ({"XX": {"best": "S1", "worst": "S2"}}, 400, "unknown criteria: XX"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(store: AnswerStore, change: dict, status: int, message: str) -> None:
    tuple_ = next(t for t in store.plan["tuples"] if {"S1", "S2"} <= set(t["candidates"]))
    with pytest.raises(AnswerRefused, match=message) as info:
        store.save("Lan", tuple_["id"], {c: {"best": "S1", "worst": "S2"} for c in ("IF", "CC", "FL")} | change)
    assert info.value.status == status and store.rows() == []


def test_unknown_tuples_and_bad_names_are_refused(store: AnswerStore) -> None:
    with pytest.raises(AnswerRefused, match="unknown tuple 't9999'"):
        store.save("Lan", "t9999", {})
    assert clean_name("  Nguyễn   Văn A ") == "Nguyễn Văn A"
    for bad in ("", "   ", "x" * 41, "a\x00b"):
        with pytest.raises(AnswerRefused, match="an annotator name is 1 to 40 printable characters"):
            clean_name(bad)


def test_a_name_in_other_case_is_the_same_annotator(store: AnswerStore) -> None:
    first = store.next_tuple("Lan")[0]
    store.save("Lan", first["id"], answer_first_last(first))
    again, answered, _ = store.next_tuple("LAN ")  # the same person, typing the name another way
    assert answered == 1 and again["id"] != first["id"]
    assert store.save("lan", first["id"], answer_first_last(first)) is False  # already stored: idempotent
    store.save("lan", again["id"], answer_first_last(again))
    assert {r["annotator"] for r in store.rows()} == {"Lan"}  # stored under the first spelling
