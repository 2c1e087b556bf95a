"""Drop counts by reason (curate.drops): one type for every stage, plain dicts for JSON, cards and caches."""

import json
import pickle
from dataclasses import dataclass

import pytest

from curate.drops import Drops, plain


def test_drops_count_by_reason_and_list_reasons_sorted():
    drops = Drops()
    for reason in ("empty_text", "duplicate", "empty_text"):
        drops.add(reason)
    drops.add("below_top_k", 5)
    drops.add("unscored", 0)
    assert drops.as_dict() == {"below_top_k": 5, "duplicate": 1, "empty_text": 2}
    assert list(drops.as_dict()) == ["below_top_k", "duplicate", "empty_text"]
    assert drops.total == 8 and drops["empty_text"] == 2 and drops["missing"] == 0
    assert list(drops.items()) == [("below_top_k", 5), ("duplicate", 1), ("empty_text", 2)]
    assert bool(drops) and not Drops() and Drops().total == 0 and Drops().as_dict() == {}


def test_merge_adds_counts_and_leaves_both_as_they_were():
    first, second = Drops(["a", "b", "b"]), Drops({"b": 1, "c": 4})
    merged = first.merge(second).merge({"a": 2})
    assert merged == {"a": 3, "b": 3, "c": 4} and merged.total == 10
    assert first == {"a": 1, "b": 2} and second == Drops({"c": 4, "b": 1})
    assert Drops({"a": 1}) != {"a": 2} and Drops({"a": 1}) == {"a": 1, "b": 0}


def test_a_drop_needs_a_reason_and_a_count():
    with pytest.raises(ValueError, match="a drop needs a reason and a count >= 0, got '' x 1"):
        Drops().add("")
    with pytest.raises(ValueError, match="got 'x' x -1"):
        Drops().add("x", -1)


@dataclass
class Stage:
    pool: int
    skipped: Drops
    per_split: dict


def test_plain_turns_every_drops_into_a_sorted_dict_and_pickles():
    stage = Stage(3, Drops(["z", "a"]), {"train": Drops({"dup": 1}), "test": Drops()})
    assert plain(stage) == {"pool": 3, "skipped": {"a": 1, "z": 1}, "per_split": {"train": {"dup": 1}, "test": {}}}
    assert json.dumps(plain(stage)) == '{"pool": 3, "skipped": {"a": 1, "z": 1}, "per_split": {"train": {"dup": 1}, "test": {}}}'
    assert pickle.loads(pickle.dumps(stage)) == stage  # Prefect stores task results pickled
