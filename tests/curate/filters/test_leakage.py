"""Leakage audit after splitting: near-duplicates of validation / test (or an external test split) in train."""

from __future__ import annotations

import pytest

from curate.dataset import write_dataset
from curate.filters.leakage import audit_leakage, leakage_markdown
from tests.curate.filters.helpers import pool


def dataset_records(n):
    return [
        {"id": r["id"], "source_lang": "vi", "target_lang": "zh", "source_text": r["text"], "source_summary": r["summary"],
         "target_summary": r["summary_zh"]}
        for r in pool(n)
    ]


def test_a_test_record_near_duplicated_in_train_is_found_and_named(tmp_path):
    records = dataset_records(8)
    records[7]["source_text"] = records[0]["source_text"] + " Ngoài ra, giá vé xe buýt không thay đổi."  # train ~ test r00
    write_dataset(tmp_path / "ds", {"test": records[:2], "validation": records[2:4]}, records[4:], [2, 4], [])
    result = audit_leakage(tmp_path / "ds", "vi")
    assert (result.train_split, result.checked, result.leaks, result.clean) == (
        "train_4", {"validation": 2, "test": 2}, {"validation": 0, "test": 1}, False
    )
    assert [(e["split"], e["id"], e["train_id"]) for e in result.examples] == [("test", "r00", "r07")]
    assert 0.8 <= result.examples[0]["jaccard"] < 1.0
    text = leakage_markdown(result.as_dict())
    assert text.startswith("- Leakage audit (MinHash, Jaccard >= 0.8 on source texts against train_4): FOUND; ")
    assert "validation 0 of 2, test 1 of 2" in text


def test_an_external_test_split_is_checked_against_train(tmp_path):
    records = dataset_records(10)
    write_dataset(tmp_path / "ds", {"test": records[:2], "validation": records[2:4]}, records[4:8], [4], [])
    write_dataset(tmp_path / "other", {"test": [records[5], records[8]], "validation": records[9:]}, records[8:], [1], [])
    result = audit_leakage(tmp_path / "ds", "vi", external=str(tmp_path / "other"))
    assert result.leaks == {"validation": 0, "test": 0, "external_test": 1}
    assert result.examples == [{"split": "external_test", "id": "r05", "train_id": "r05", "jaccard": 1.0}]
    with pytest.raises(ValueError, match=r"^leakage audit: cannot read the test split of '.*nowhere'"):
        audit_leakage(tmp_path / "ds", "vi", external=str(tmp_path / "nowhere"))
