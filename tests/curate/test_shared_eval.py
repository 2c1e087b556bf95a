"""One test and validation set shared by several pools (the filter ablation compares variants on it)."""

import json

import pytest

from curate.dataset import read_split, split_path
from curate.io import write_jsonl
from curate.splits import PoolTooSmallError, shared_eval_split, write_splits

SIZES = {"train_sizes": (5, 10), "validation": 4, "test": 6}


def record(i: int) -> dict:
    return {
        "id": f"id{i:03d}",
        "text": f"Nội dung bài báo số {i}.",
        "summary": f"Tóm tắt số {i}.",
        "summary_zh": f"第{i}号摘要。",
    }


def ids(directory, split):
    return [r["id"] for r in read_split(split_path(directory, split), ["id"])]


def test_every_pool_gets_the_same_test_set_from_records_all_pools_kept(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(0, 40)])  # a loose filter
    write_jsonl(tmp_path / "b.jsonl", [record(i) for i in range(20, 44)])  # a strict one: 20 records in common
    shared = shared_eval_split([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], "vi", "zh", validation=4, test=6, seed=3)
    assert shared["common"] == 20
    assert len(shared["test"]) == 6 and len(shared["validation"]) == 4
    assert all(20 <= int(i[2:]) < 40 for i in shared["test"] + shared["validation"])
    assert shared_eval_split([tmp_path / "b.jsonl", tmp_path / "a.jsonl"], "vi", "zh", validation=4, test=6, seed=3) == shared

    a = write_splits(tmp_path / "a.jsonl", tmp_path / "A", "vi", "zh", seed=3, eval_ids=shared, **SIZES)
    b = write_splits(tmp_path / "b.jsonl", tmp_path / "B", "vi", "zh", seed=3, eval_ids=shared, **SIZES)
    assert ids(tmp_path / "A", "test") == ids(tmp_path / "B", "test") == shared["test"]
    assert ids(tmp_path / "A", "validation") == ids(tmp_path / "B", "validation") == shared["validation"]
    held_out = set(shared["test"] + shared["validation"])
    for folder in ("A", "B"):
        assert not held_out & set(ids(tmp_path / folder, "train_10"))
    # Train comes from each pool's own records: B's train holds its records 40..43 no other pool has.
    assert {"id040", "id041", "id042", "id043"} <= set(ids(tmp_path / "B", "train_10"))
    assert a.splits == b.splits == {"test": 6, "validation": 4, "train_5": 5, "train_10": 10}


def test_a_train_record_repeating_a_shared_test_record_is_left_out(tmp_path):
    records = [record(i) for i in range(30)]
    write_jsonl(tmp_path / "a.jsonl", records)
    shared = shared_eval_split([tmp_path / "a.jsonl"], "vi", "zh", validation=4, test=6, seed=0)
    first = int(shared["test"][0][2:])
    # `copy` sorts before every id but repeats a test record (the same body, shouting): the test record stays.
    copy = {**record(999), "id": "aaa-copy", "text": records[first]["text"].upper()}
    write_jsonl(tmp_path / "b.jsonl", [copy] + records)
    result = write_splits(tmp_path / "b.jsonl", tmp_path / "B", "vi", "zh", seed=0, eval_ids=shared, **SIZES)
    assert ids(tmp_path / "B", "test") == shared["test"]
    assert result.skipped == {"duplicate": 1}
    assert result.pool == result.usable + 1


def test_too_few_common_records_and_a_missing_test_record_are_one_line_errors(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(0, 30)])
    write_jsonl(tmp_path / "b.jsonl", [record(i) for i in range(21, 50)])
    with pytest.raises(PoolTooSmallError, match=r"only 9 records are kept by every variant .* need 10: test 6 \+ validation 4"):
        shared_eval_split([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], "vi", "zh", validation=4, test=6, seed=0)
    shared = shared_eval_split([tmp_path / "a.jsonl"], "vi", "zh", validation=4, test=6, seed=0)
    write_jsonl(tmp_path / "c.jsonl", [record(i) for i in range(30, 60)])
    with pytest.raises(ValueError, match=r"c.jsonl lacks 10 of the 10 shared test and validation records \(first: id0"):
        write_splits(tmp_path / "c.jsonl", tmp_path / "C", "vi", "zh", eval_ids=shared, **SIZES)


def test_the_shared_split_is_json(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(12)])
    shared = shared_eval_split([tmp_path / "a.jsonl"], "vi", "zh", validation=4, test=6, seed=0)
    assert json.loads(json.dumps(shared)) == shared
    assert set(shared) == {"test", "validation", "common", "seed"}
