"""Export a dataset directory as the CSV files the reference TFLCLS code reads (`src,tgt`).

TFLCLS (github Zhangkaixiongyyds/TFLCLS) loads `{train,val,test}_<name>_dataset.csv` with two
columns for three modes: `tra` (Stage 1: source summary -> target summary), `cls` (plain CLS:
source text -> target summary) and the Stage-2 file whose `tgt` joins both summaries with the
literal separator `O.o`, in the order its data module expects (monolingual first for Vi2Zh,
cross-lingual first for En2Zh and Zh2En). Its low-resource subsets take the first N train rows;
the exported train file is our largest train split in its file order, whose first N rows are
exactly our nested `train_N` split.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.dataset import read_split, split_path, train_sizes_of, validate_dataset
from curate.io import atomic_path, check_output_folder

SEPARATOR = "O.o"
SPLIT_NAMES = {"train": "train", "validation": "val", "test": "test"}


@dataclass(frozen=True)
class TflclsNames:
    """File-name stems of one language pair in TFLCLS, and the order of the Stage-2 target."""

    translate: str
    cls: str
    joint: str
    monolingual_first: bool


# The three pairs of the paper, as named by the reference code's data modules.
KNOWN_PAIRS = {
    ("vi", "zh"): TflclsNames("vi2zh_tra", "vi2zh_cls", "vi2vizh_sum", monolingual_first=True),
    ("en", "zh"): TflclsNames("en2zh_tra", "en2zh_cls", "en2zhen_sum", monolingual_first=False),
    ("zh", "en"): TflclsNames("zh2en_tra", "zh2en_sum", "zh2enzh_sum", monolingual_first=False),
}


def tflcls_names(source: str, target: str) -> TflclsNames:
    """TFLCLS file stems of a pair; other pairs follow the En2Zh pattern (`th2zh_tra`, `th2zhth_sum`)."""
    pair = f"{source}2{target}"
    return KNOWN_PAIRS.get((source, target), TflclsNames(f"{pair}_tra", f"{pair}_cls", f"{pair}{source}_sum", False))


def export_tflcls_csv(directory: Path, out: Path, train_size: int | None = None) -> dict[str, Any]:
    """Write the TFLCLS CSVs of `directory` into `out`; return `{"files": {name: rows}, "train_size"}`.

    `train_size` picks the train split to export (default: the largest). The directory is validated
    first (curate.dataset.validate_dataset), so a missing or broken split is one clear error; an
    `out` that is (or lies inside) a file is a ValueError naming that file.
    """
    directory, out = Path(directory), Path(out)
    check_output_folder(out)  # before the splits are read
    validate_dataset(directory)
    sizes = train_sizes_of(directory)
    train_size = train_size or max(sizes)
    if train_size not in sizes:
        raise ValueError(f"{directory} has no train_{train_size} split (train sizes: {sizes})")
    sources = {"train": f"train_{train_size}", "validation": "validation", "test": "test"}
    # Every split is read and every row built before the first file is written, so a corrupted
    # split or a record that cannot be exported leaves no partial export behind.
    pending: dict[str, list[tuple[str, str]]] = {}
    for split, name in sources.items():
        records = read_split(split_path(directory, name))
        if not records:
            continue
        names = tflcls_names(records[0]["source_lang"], records[0]["target_lang"])
        for stem, rows in (
            (names.translate, [(r["source_summary"], r["target_summary"]) for r in records]),
            (names.cls, [(r["source_text"], r["target_summary"]) for r in records]),
            (names.joint, [(r["source_text"], _joint_target(r, names.monolingual_first)) for r in records]),
        ):
            pending[f"{SPLIT_NAMES[split]}_{stem}_dataset.csv"] = rows
    files = {filename: _write_csv(out / filename, rows) for filename, rows in pending.items()}
    return {"files": files, "train_size": train_size}


def _joint_target(record: dict[str, Any], monolingual_first: bool) -> str:
    mono, cross = record["source_summary"], record["target_summary"]
    if SEPARATOR in mono or SEPARATOR in cross:
        raise ValueError(f"record {record['id']} contains the TFLCLS separator {SEPARATOR!r} in a summary")
    return SEPARATOR.join((mono, cross) if monolingual_first else (cross, mono))


def _write_csv(path: Path, rows: list[tuple[str, str]]) -> int:
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("src", "tgt"))
        writer.writerows(rows)
    return len(rows)
