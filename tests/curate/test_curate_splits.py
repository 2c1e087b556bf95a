"""Seeded, nested, non-overlapping splits of a selected pool (curate.splits)."""

import pytest

from curate.dataset import read_split, split_path, validate_dataset
from curate.io import write_jsonl
from curate.splits import PoolTooSmallError, write_splits


def pool_record(i: int) -> dict:
    return {
        "id": f"id{i:03d}",
        "url": f"https://example.vn/{i}.html",
        "site": "vnexpress",
        "text": f"Nội dung bài báo số {i}.",
        "summary": f"Tóm tắt số {i}.",
        "summary_zh": f"第{i}号摘要。",
        "summary_back": f"Tóm tắt thứ {i}.",
        "rt_rouge1": 80.0,
        "rt_rouge2": 60.0,
        "rt_rougeL": 70.0 + i / 100,
    }


SIZES = {"train_sizes": (5, 10, 15), "validation": 5, "test": 5}


def ids(directory, split):
    return [r["id"] for r in read_split(split_path(directory, split), ["id"])]


def test_splits_have_the_dataset_record_fields_and_sizes(tmp_path):
    write_jsonl(tmp_path / "pool.jsonl", [pool_record(i) for i in range(30)])
    result = write_splits(tmp_path / "pool.jsonl", tmp_path / "ds", "vi", "zh", **SIZES)
    assert result.splits == {"test": 5, "validation": 5, "train_5": 5, "train_10": 10, "train_15": 15}
    assert result.pool == result.usable == 30 and result.skipped == {}
    record = read_split(split_path(tmp_path / "ds", "test"))[0]
    i = int(record["id"][2:])
    assert record == {
        "id": f"id{i:03d}",
        "source_lang": "vi",
        "target_lang": "zh",
        "source_text": f"Nội dung bài báo số {i}.",
        "source_summary": f"Tóm tắt số {i}.",
        "target_summary": f"第{i}号摘要。",
        "url": f"https://example.vn/{i}.html",
        "rt_rouge1": 80.0,
        "rt_rouge2": 60.0,
        "rt_rougeL": 70.0 + i / 100,
    }
    assert validate_dataset(tmp_path / "ds")["train_15"] == 15


def test_splits_are_nested_disjoint_and_byte_identical_for_a_seed(tmp_path):
    records = [pool_record(i) for i in range(40)]
    write_jsonl(tmp_path / "pool.jsonl", records)
    write_jsonl(tmp_path / "reversed.jsonl", records[::-1])
    write_splits(tmp_path / "pool.jsonl", tmp_path / "a", "vi", "zh", seed=7, **SIZES)
    write_splits(tmp_path / "reversed.jsonl", tmp_path / "b", "vi", "zh", seed=7, **SIZES)
    write_splits(tmp_path / "pool.jsonl", tmp_path / "c", "vi", "zh", seed=8, **SIZES)
    for split in ("test", "validation", "train_5", "train_10", "train_15"):
        assert split_path(tmp_path / "a", split).read_bytes() == split_path(tmp_path / "b", split).read_bytes()
    assert ids(tmp_path / "a", "train_15")[:5] == ids(tmp_path / "a", "train_5")
    assert ids(tmp_path / "a", "train_15")[:10] == ids(tmp_path / "a", "train_10")
    used = ids(tmp_path / "a", "test") + ids(tmp_path / "a", "validation") + ids(tmp_path / "a", "train_15")
    assert len(set(used)) == 25
    assert ids(tmp_path / "a", "test") != ids(tmp_path / "c", "test")


def test_empty_and_repeated_records_are_skipped_and_counted(tmp_path):
    records = [pool_record(i) for i in range(28)]
    records[3]["summary_zh"] = " "
    records[4]["text"] = records[5]["text"].upper()  # the same body, shouting
    records[6]["id"] = records[7]["id"]
    write_jsonl(tmp_path / "pool.jsonl", records)
    result = write_splits(tmp_path / "pool.jsonl", tmp_path / "ds", "vi", "zh", **SIZES)
    assert result.skipped == {"empty_summary_zh": 1, "duplicate": 2}
    assert result.usable == 25
    assert validate_dataset(tmp_path / "ds")["test"] == 5


def test_a_pool_too_small_says_how_many_records_it_has(tmp_path):
    write_jsonl(tmp_path / "pool.jsonl", [pool_record(i) for i in range(20)])
    with pytest.raises(PoolTooSmallError, match="has 20 usable records .of 20. but the splits need 25: test 5"):
        write_splits(tmp_path / "pool.jsonl", tmp_path / "ds", "vi", "zh", **SIZES)
    assert not (tmp_path / "ds").exists()


def test_target_field_and_bad_sizes(tmp_path):
    records = [{**pool_record(i), "zh_lead": f"导语{i}"} for i in range(30)]
    write_jsonl(tmp_path / "pool.jsonl", records)
    write_splits(tmp_path / "pool.jsonl", tmp_path / "ds", "vi", "zh", target_field="zh_lead", **SIZES)
    assert read_split(split_path(tmp_path / "ds", "test"))[0]["target_summary"].startswith("导语")
    with pytest.raises(ValueError, match="split sizes must be positive"):
        write_splits(tmp_path / "pool.jsonl", tmp_path / "ds", "vi", "zh", train_sizes=(0,))


def test_repeats_resolve_the_same_way_for_a_reversed_pool(tmp_path):
    """Of two records with the same summary (spelled two ways), the smaller id stays in both orders."""
    records = [pool_record(i) for i in range(27)]
    records[2]["summary"] = "Giá xăng giảm, thuỷ lợi."
    records[20]["summary"] = "giá xăng\u200b giảm thủy lợi"
    records[9]["id"] = records[25]["id"]  # same id, different content: the content decides
    write_jsonl(tmp_path / "pool.jsonl", records)
    write_jsonl(tmp_path / "reversed.jsonl", records[::-1])
    forward = write_splits(tmp_path / "pool.jsonl", tmp_path / "a", "vi", "zh", **SIZES)
    backward = write_splits(tmp_path / "reversed.jsonl", tmp_path / "b", "vi", "zh", **SIZES)
    assert forward == backward
    assert forward.skipped == {"duplicate": 2} and forward.usable == 25
    for split in ("test", "validation", "train_5", "train_10", "train_15"):
        assert split_path(tmp_path / "a", split).read_bytes() == split_path(tmp_path / "b", split).read_bytes()
    kept = {r["id"]: r["source_text"] for s in ("test", "validation", "train_15")
            for r in read_split(split_path(tmp_path / "a", s), ["id", "source_text"])}
    assert "id002" in kept and "id020" not in kept
    assert kept["id025"] == "Nội dung bài báo số 9."  # its JSON sorts first (rt_rougeL 70.09 < 70.25)


def test_every_pool_record_is_usable_or_skipped_for_one_reason(tmp_path):
    """pool == usable + skipped.total, with each skip reason once or twice."""
    records = [pool_record(i) for i in range(30)]
    records[0]["id"] = ""
    records[1]["text"] = ""
    records[2]["summary"] = "  "
    records[3].pop("summary_zh")
    records[4]["id"] = records[5]["id"]  # a repeated id
    records[6]["summary"] = records[7]["summary"]  # a repeated summary
    write_jsonl(tmp_path / "pool.jsonl", records)
    result = write_splits(tmp_path / "pool.jsonl", tmp_path / "ds", "vi", "zh", train_sizes=(4, 14), validation=5, test=5)
    assert result.skipped == {"duplicate": 2, "empty_id": 1, "empty_summary": 1, "empty_summary_zh": 1, "empty_text": 1}
    assert (result.pool, result.usable, result.skipped.total) == (30, 24, 6)
    assert result.pool == result.usable + result.skipped.total
    assert result.as_dict() == {
        "pool": 30,
        "usable": 24,
        "skipped": {"duplicate": 2, "empty_id": 1, "empty_summary": 1, "empty_summary_zh": 1, "empty_text": 1},
        "splits": {"test": 5, "validation": 5, "train_4": 4, "train_14": 14},
        "seed": 0,
    }
    assert list(result.as_dict()["skipped"]) == sorted(result.as_dict()["skipped"])  # reasons sorted, whatever the pool order
