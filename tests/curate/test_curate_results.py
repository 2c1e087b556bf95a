"""Typed stage results: attributes in code, `as_dict()` with the keys JSON files, artifacts and cards use,
and they survive pickling (Prefect's task cache stores results pickled)."""

import json
import pickle
from pathlib import Path

from curate.io import write_jsonl
from curate.ncls import NclsResult, build_ncls_low
from curate.roundtrip import RoundtripResult, score_roundtrip
from curate.splits import SplitResult, write_splits

RELEASE = Path(__file__).parent / "fixtures" / "ncls"


def test_roundtrip_result_keys_and_pickle(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "summary": "Giá xăng giảm mạnh", "summary_back": "Giá xăng giảm mạnh"},
        {"id": "b", "summary": "Mưa lớn ở Hà Nội", "summary_back": ""},
    ])
    result = score_roundtrip(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "vi", workers=1)
    assert isinstance(result, RoundtripResult)
    assert result.as_dict() == {
        "records": 2, "shards": 1, "empty_back": 1, "mean": {"rt_rouge1": 50.0, "rt_rouge2": 50.0, "rt_rougeL": 50.0},
    }
    assert pickle.loads(pickle.dumps(result)) == result


def test_split_result_keys_and_pickle(tmp_path):
    records = [{"id": f"r{i}", "text": f"Bài {i} .", "summary": f"Tóm tắt {i}", "summary_zh": f"摘要{i}"} for i in range(5)]
    write_jsonl(tmp_path / "pool.jsonl", records + [records[0] | {"id": "r9"}])
    result = write_splits(tmp_path / "pool.jsonl", tmp_path / "ds", "vi", "zh", train_sizes=(3,), validation=1, test=1)
    assert isinstance(result, SplitResult)
    assert json.dumps(result.as_dict()) == (
        '{"pool": 6, "usable": 5, "skipped": {"duplicate": 1}, '
        '"splits": {"test": 1, "validation": 1, "train_3": 3}, "seed": 0}'
    )
    assert pickle.loads(pickle.dumps(result)) == result


def test_ncls_result_keys_and_pickle(tmp_path):
    result = build_ncls_low(RELEASE, "en2zh", tmp_path, train_sizes=(2,))
    assert isinstance(result, NclsResult)
    plain = result.as_dict()
    assert list(plain) == ["direction", "splits", "skipped", "format_problems", "train_candidates", "lcsts_resolved", "stats"]
    assert plain["skipped"] == {"train": {"no_zh_summary": 1, "overlaps_validation_or_test": 1}}
    assert plain["stats"] == json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(plain)) == plain
    assert pickle.loads(pickle.dumps(result)) == result
