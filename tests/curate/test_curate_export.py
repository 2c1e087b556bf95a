"""Export to the reference TFLCLS CSV layout (curate.export)."""

import csv
from pathlib import Path

import pytest

from curate.dataset import InvalidDatasetError, read_split, split_path
from curate.export import export_tflcls_csv, tflcls_names
from curate.ncls import build_ncls_low

RELEASE = Path(__file__).parent / "fixtures" / "ncls"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def en2zh(tmp_path) -> Path:
    build_ncls_low(RELEASE, "en2zh", tmp_path / "ds", train_sizes=(2, 4))
    return tmp_path / "ds"


def test_export_writes_the_three_tflcls_modes_per_split(en2zh, tmp_path):
    result = export_tflcls_csv(en2zh, tmp_path / "csv")
    assert result["train_size"] == 4
    assert result["files"] == {
        "train_en2zh_tra_dataset.csv": 4,
        "train_en2zh_cls_dataset.csv": 4,
        "train_en2zhen_sum_dataset.csv": 4,
        "val_en2zh_tra_dataset.csv": 3,
        "val_en2zh_cls_dataset.csv": 3,
        "val_en2zhen_sum_dataset.csv": 3,
        "test_en2zh_tra_dataset.csv": 3,
        "test_en2zh_cls_dataset.csv": 3,
        "test_en2zhen_sum_dataset.csv": 3,
    }
    record = read_split(split_path(en2zh, "test"))[0]
    assert rows(tmp_path / "csv" / "test_en2zh_tra_dataset.csv")[0] == {
        "src": record["source_summary"],
        "tgt": record["target_summary"],
    }
    assert rows(tmp_path / "csv" / "test_en2zh_cls_dataset.csv")[0]["src"] == record["source_text"]
    # En2Zh Stage-2 target: cross-lingual (Chinese) first, then the English summary
    assert rows(tmp_path / "csv" / "test_en2zhen_sum_dataset.csv")[0]["tgt"] == (
        record["target_summary"] + "O.o" + record["source_summary"]
    )
    # TFLCLS takes the first N train rows: they are exactly our nested train_2
    first_two = [r["src"] for r in rows(tmp_path / "csv" / "train_en2zh_tra_dataset.csv")[:2]]
    assert first_two == [r["source_summary"] for r in read_split(split_path(en2zh, "train_2"))]


def test_export_of_a_chosen_train_size_and_unknown_size(en2zh, tmp_path):
    assert export_tflcls_csv(en2zh, tmp_path / "csv", train_size=2)["files"]["train_en2zh_cls_dataset.csv"] == 2
    with pytest.raises(ValueError, match=r"no train_3 split \(train sizes: \[2, 4\]\)"):
        export_tflcls_csv(en2zh, tmp_path / "csv", train_size=3)


def test_pair_names_follow_the_reference_code():
    assert tflcls_names("vi", "zh").joint == "vi2vizh_sum" and tflcls_names("vi", "zh").monolingual_first
    assert tflcls_names("zh", "en").cls == "zh2en_sum"
    assert tflcls_names("th", "zh") == tflcls_names("th", "zh").__class__("th2zh_tra", "th2zh_cls", "th2zhth_sum", False)


def test_a_corrupted_split_names_the_file_and_leaves_no_partial_export(en2zh, tmp_path):
    # train and validation are read fine; the broken test file must stop the export before any CSV is written
    split_path(en2zh, "test").write_bytes(b"not parquet")
    with pytest.raises(InvalidDatasetError, match=r"data/test\.parquet is not a readable Parquet file"):
        export_tflcls_csv(en2zh, tmp_path / "csv")
    assert not (tmp_path / "csv").exists()


def test_a_missing_split_is_a_validation_error_naming_it(en2zh, tmp_path):
    split_path(en2zh, "validation").unlink()
    with pytest.raises(InvalidDatasetError, match=r"missing split validation \(.*data/validation\.parquet\)"):
        export_tflcls_csv(en2zh, tmp_path / "csv")
    assert not (tmp_path / "csv").exists()
    with pytest.raises(FileNotFoundError, match="no dataset directory at"):
        export_tflcls_csv(tmp_path / "absent", tmp_path / "csv")
