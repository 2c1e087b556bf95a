"""Dataset directory layout: Parquet writing, reading and validation (curate.dataset)."""

from pathlib import Path

import pytest

from curate.dataset import (
    InvalidDatasetError,
    find_splits,
    normalized_text,
    read_split,
    split_path,
    validate_dataset,
    write_dataset,
    write_split,
)


def record(i: int, text: str | None = None) -> dict:
    return {
        "id": f"r{i}",
        "source_lang": "vi",
        "target_lang": "zh",
        "source_text": text or f"Bài báo số {i} về thời tiết",
        "source_summary": f"Tóm tắt {i}",
        "target_summary": f"摘要{i}",
        "rt_rouge1": 50.0 + i,
    }


def make_dataset(directory: Path, test=(0, 1), validation=(2, 3), train=(4, 5, 6, 7), sizes=(2, 4)) -> None:
    write_dataset(
        directory,
        {"test": [record(i) for i in test], "validation": [record(i) for i in validation]},
        [record(i) for i in train],
        sizes,
        columns=["rt_rouge1"],
    )


def test_normalized_text_ignores_case_punctuation_and_spacing():
    assert normalized_text("Hà Nội,  HÔM NAY!") == "hà nội hôm nay"
    assert normalized_text("ＡＢＣ—123") == normalized_text("abc 123")
    assert normalized_text("Hà Nội") != normalized_text("Ha Noi")


def test_write_split_is_byte_identical_and_keeps_only_declared_columns(tmp_path):
    records = [record(1), record(2)]
    write_split(tmp_path / "a.parquet", records, ["rt_rouge1"])
    write_split(tmp_path / "b.parquet", records, ["rt_rouge1"])
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    rows = read_split(tmp_path / "a.parquet")
    assert rows[1] == record(2)
    assert list(rows[0]) == ["id", "source_lang", "target_lang", "source_text", "source_summary", "target_summary", "rt_rouge1"]


def test_write_dataset_nests_train_prefixes_and_removes_stale_sizes(tmp_path):
    make_dataset(tmp_path, sizes=(1, 3))
    make_dataset(tmp_path, sizes=(2, 4))
    assert list(find_splits(tmp_path)) == ["train_2", "train_4", "validation", "test"]
    assert [r["id"] for r in read_split(split_path(tmp_path, "train_2"))] == ["r4", "r5"]
    assert validate_dataset(tmp_path) == {"train_2": 2, "train_4": 4, "validation": 2, "test": 2}


def test_validation_reports_a_missing_split(tmp_path):
    make_dataset(tmp_path)
    split_path(tmp_path, "test").unlink()
    with pytest.raises(InvalidDatasetError, match="missing split test"):
        validate_dataset(tmp_path)


def test_validation_reports_overlap_by_id_and_by_normalized_text(tmp_path):
    make_dataset(tmp_path, test=(0, 4))
    with pytest.raises(InvalidDatasetError, match="test and train_4 share 1 ids and 1 source texts"):
        validate_dataset(tmp_path)
    other = tmp_path / "other"
    make_dataset(other)
    write_split(split_path(other, "validation"), [record(8, text="BÀI BÁO SỐ 0 về thời tiết!")], [])
    with pytest.raises(InvalidDatasetError, match="test and validation share 0 ids and 1 source texts"):
        validate_dataset(other)


def test_validation_reports_wrong_schema_and_broken_nesting(tmp_path):
    make_dataset(tmp_path)
    bad = [{**record(4), "rt_rouge1": "high"}]
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(bad), split_path(tmp_path, "train_2"))
    with pytest.raises(InvalidDatasetError, match="train_2: column rt_rouge1 is string, expected double"):
        validate_dataset(tmp_path)
    write_split(split_path(tmp_path, "train_2"), [record(9), record(4)], ["rt_rouge1"])
    with pytest.raises(InvalidDatasetError, match="train_2 is not a subset of train_4"):
        validate_dataset(tmp_path)


def test_validation_of_a_missing_directory_is_a_file_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        validate_dataset(tmp_path / "absent")


def test_validation_reports_a_wrong_train_size_an_empty_split_and_missing_values(tmp_path):
    make_dataset(tmp_path)
    # train_2 named for 2 records holds 1 (still nested in train_4); the n2 config would be mislabelled
    write_split(split_path(tmp_path, "train_2"), [record(4)], ["rt_rouge1"])
    write_split(split_path(tmp_path, "validation"), [], ["rt_rouge1"])
    write_split(split_path(tmp_path, "test"), [record(0), {**record(1), "target_summary": None}], ["rt_rouge1"])
    with pytest.raises(InvalidDatasetError) as error:
        validate_dataset(tmp_path)
    assert str(error.value) == (
        f"{tmp_path} is not a valid dataset: train_2 holds 1 records, not 2; validation: no records; "
        "test: 1 missing values in column target_summary"
    )
