"""`load_splits`: the dataset layout of curate.dataset, read for training; bad layouts fail with a clear message."""

from __future__ import annotations

import pandas as pd
import pytest

from train.data import load_splits


def test_loads_the_train_subset_and_the_language_pair(tiny_dataset):
    splits = load_splits(tiny_dataset, 4)
    assert (len(splits.train), len(splits.validation), len(splits.test)) == (4, 3, 3)
    assert (splits.source_lang, splits.target_lang) == ("vi", "zh")
    assert splits.train.column_names == ["id", "source_lang", "target_lang", "source_text", "source_summary",
                                         "target_summary"]


def test_missing_train_size_names_the_sizes_present(make_dataset, tmp_path):
    root = make_dataset(tmp_path / "d", train_sizes=(2, 8))
    with pytest.raises(FileNotFoundError, match=r"train_5\.parquet \(train sizes present: 2, 8\)"):
        load_splits(root, 5)
    (root / "data" / "validation.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="no validation split at"):
        load_splits(root, 2)


def test_missing_column_and_two_language_pairs_are_errors(make_dataset, tmp_path):
    root = make_dataset(tmp_path / "d", train_sizes=(4,))
    test = root / "data" / "test.parquet"
    frame = pd.read_parquet(test)
    frame.drop(columns=["source_summary"]).to_parquet(test)
    with pytest.raises(ValueError, match="missing column\\(s\\) source_summary"):
        load_splits(root, 4)
    frame.assign(target_lang="en").to_parquet(test)
    with pytest.raises(ValueError, match="expected one language pair"):
        load_splits(root, 4)
