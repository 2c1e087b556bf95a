"""Reading a clsforge dataset directory and turning its records into model inputs.

Three kinds of examples, one per training phase:
- `translate` (Stage 1): source-language summary -> target-language summary;
- `cls` (plain CLS fine-tuning, and every evaluation): source text -> target-language summary;
- `dual` (Stage 2): `cls` plus `mls_labels`, the source-language summary, tokenized in source mode
  (`... </s> <src_lang>`) so the ml_decoder starts from the source language code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from curate.dataset import REQUIRED_COLUMNS, split_path, train_sizes_of, train_split

Kind = Literal["translate", "cls", "dual"]


@dataclass(frozen=True)
class Splits:
    """The three splits of one run as `datasets.Dataset`s, plus the language pair (our codes)."""

    train: Any
    validation: Any
    test: Any
    source_lang: str
    target_lang: str
    # Pairs of splits holding a record in common (curate.dataset.split_overlaps): a test score on
    # records the model trained on is no test score; the run says so and records it.
    overlaps: tuple[str, ...] = ()


def split_paths(data_dir: Path, train_size: int) -> dict[str, Path]:
    """The parquet files of the dataset layout: `data/train_N.parquet`, `validation`, `test`."""
    paths = {
        "train": split_path(data_dir, train_split(train_size)),
        "validation": split_path(data_dir, "validation"),
        "test": split_path(data_dir, "test"),
    }
    if not Path(data_dir).is_dir():
        raise FileNotFoundError(f"dataset directory {data_dir} does not exist")
    for name, path in paths.items():
        if not path.is_file():
            if name == "train":
                sizes = ", ".join(map(str, train_sizes_of(data_dir)))
                raise FileNotFoundError(f"no {path} (train sizes present: {sizes or 'none'})")
            raise FileNotFoundError(f"no {name} split at {path}")
    return paths


def load_splits(data_dir: Path, train_size: int) -> Splits:
    """Load the train subset of `train_size`, validation and test; check columns and one language pair."""
    import pyarrow.parquet as pq
    from datasets import Dataset

    tables = {}
    for name, path in split_paths(data_dir, train_size).items():
        table = pq.read_table(path)
        missing = [c for c in REQUIRED_COLUMNS if c not in table.column_names]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        if table.num_rows == 0:
            raise ValueError(f"{path}: no records")
        tables[name] = table.select(list(REQUIRED_COLUMNS))
    pairs = {
        (s, t)
        for table in tables.values()
        for s, t in zip(table.column("source_lang").to_pylist(), table.column("target_lang").to_pylist())
    }
    if len(pairs) != 1:
        raise ValueError(f"{data_dir}: expected one language pair, found {sorted(pairs)}")
    (source_lang, target_lang), = pairs
    from curate.dataset import split_overlaps

    return Splits(**{name: Dataset(table) for name, table in tables.items()}, source_lang=source_lang,
                  target_lang=target_lang, overlaps=tuple(split_overlaps(tables)))


def tokenize_split(dataset: Any, tokenizer: Any, kind: Kind, max_source: int, max_target: int) -> Any:
    """Model inputs of one split for a phase `kind`; the tokenizer's src/tgt languages must be set."""
    source_field = "source_summary" if kind == "translate" else "source_text"

    def encode(batch: dict[str, list]) -> dict[str, list]:
        features = tokenizer(batch[source_field], max_length=max_source, truncation=True)
        features["labels"] = tokenizer(text_target=batch["target_summary"], max_length=max_target, truncation=True)[
            "input_ids"
        ]
        if kind == "dual":
            features["mls_labels"] = tokenizer(batch["source_summary"], max_length=max_target, truncation=True)[
                "input_ids"
            ]
        return features

    return dataset.map(encode, batched=True, remove_columns=dataset.column_names, desc=f"tokenizing ({kind})")


class DualCollator:
    """`DataCollatorForSeq2Seq` (dynamic padding, labels padded with -100) that also pads `mls_labels`."""

    def __init__(self, tokenizer: Any, pad_to_multiple_of: int | None = None):
        from transformers import DataCollatorForSeq2Seq

        self.inner = DataCollatorForSeq2Seq(tokenizer, pad_to_multiple_of=pad_to_multiple_of)

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        """Pad one batch."""
        import torch

        mls = [f["mls_labels"] for f in features] if "mls_labels" in features[0] else None
        batch = self.inner([{k: v for k, v in f.items() if k != "mls_labels"} for f in features])
        if mls is not None:
            width = max(len(ids) for ids in mls)
            batch["mls_labels"] = torch.tensor([ids + [-100] * (width - len(ids)) for ids in mls])
        return batch
