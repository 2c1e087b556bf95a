"""The dataset record and directory layout: Parquet schema, writing, reading and validation.

A dataset directory (DESIGN.md) holds `data/test.parquet`, `data/validation.parquet` and nested
`data/train_<N>.parquet` files, plus `stats.json` and the card `README.md`. `build`, `ncls`,
`stats`, `publish` and `train` all go through this module, so the layout lives in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawl.normalize import dedup_key
from curate.io import atomic_path

REQUIRED_COLUMNS = ("id", "source_lang", "target_lang", "source_text", "source_summary", "target_summary")
SCORE_COLUMNS = ("rt_rouge1", "rt_rouge2", "rt_rougeL")
OPTIONAL_COLUMNS = ("url", *SCORE_COLUMNS)
FIELD_TYPES: dict[str, pa.DataType] = {
    **{name: pa.string() for name in (*REQUIRED_COLUMNS, "url")},
    **{name: pa.float64() for name in SCORE_COLUMNS},
}
EVAL_SPLITS = ("test", "validation")
_TRAIN_FILE = re.compile(r"train_(\d+)\.parquet")


class InvalidDatasetError(ValueError):
    """A dataset directory that breaks the layout contract (missing split, overlap, wrong schema)."""


def optional_columns() -> tuple[str, ...]:
    """`url`, the round-trip scores, then the score columns of every registered filter step (float64)."""
    from curate.filters.registry import step_columns  # imported here: the registry's steps import this module

    return (*OPTIONAL_COLUMNS, *(name for name in step_columns() if name not in OPTIONAL_COLUMNS))


def field_type(name: str) -> pa.DataType | None:
    """The Arrow type of a dataset column (None for a column the layout does not know)."""
    return FIELD_TYPES.get(name) or (pa.float64() if name in optional_columns() else None)


def dataset_schema(columns: Iterable[str]) -> pa.Schema:
    """Arrow schema of dataset records: the required columns, then the given optional ones, in order."""
    extra = [name for name in optional_columns() if name in set(columns)]
    return pa.schema([pa.field(name, field_type(name)) for name in (*REQUIRED_COLUMNS, *extra)])


def train_split(size: int) -> str:
    """Split name of the nested train subset of `size` records (`train_1000`)."""
    return f"train_{size}"


def split_path(directory: Path, split: str) -> Path:
    """Parquet file of one split inside a dataset directory."""
    return Path(directory) / "data" / f"{split}.parquet"


def normalized_text(text: str) -> str:
    """Text reduced for duplicate detection: crawl.normalize.dedup_key (its tokens joined by spaces).

    Two texts that differ only in case, punctuation, whitespace, invisible characters, full-width
    forms or Vietnamese tone-mark placement ("near-exact" duplicates) get the same key.
    """
    return dedup_key(text)


def overlap_keys(record: dict[str, Any]) -> list[str]:
    """Keys under which two dataset records count as the same record, so that no split repeats one
    and no record lies in two splits: the id, the normalized source summary and (when there is
    one) the normalized source text."""
    keys = [f"id:{record['id']}", f"sum:{normalized_text(record['source_summary'])}"]
    if record["source_text"]:
        keys.append(f"text:{normalized_text(record['source_text'])}")
    return keys


def write_split(path: Path, records: Sequence[dict[str, Any]], columns: Iterable[str]) -> int:
    """Write dataset records to one Parquet file atomically; return the record count.

    The file holds exactly `dataset_schema(columns)` and no writer-specific metadata, so the same
    records give byte-identical files.
    """
    schema = dataset_schema(columns)
    table = pa.Table.from_pylist([{name: r.get(name) for name in schema.names} for r in records], schema=schema)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", store_schema=False)
    return len(records)


def write_dataset(
    directory: Path,
    splits: dict[str, Sequence[dict[str, Any]]],
    train: Sequence[dict[str, Any]],
    train_sizes: Sequence[int],
    columns: Iterable[str],
) -> dict[str, int]:
    """Write eval splits and nested train subsets (`train[:n]` for each n) into `directory/data/`.

    Returns the record count of each written split. Earlier train files of other sizes are removed,
    so the directory always describes one build.
    """
    columns = list(columns)
    counts = {name: write_split(split_path(directory, name), records, columns) for name, records in splits.items()}
    wanted = {train_split(n) for n in train_sizes}
    for stale in find_splits(directory):
        if stale.startswith("train_") and stale not in wanted:
            split_path(directory, stale).unlink()
    for size in sorted(train_sizes):
        counts[train_split(size)] = write_split(split_path(directory, train_split(size)), train[:size], columns)
    return counts


def find_splits(directory: Path) -> dict[str, Path]:
    """Splits present in a dataset directory: name -> Parquet path (train subsets by size)."""
    data = Path(directory) / "data"
    found = {p.stem: p for p in data.glob("*.parquet")} if data.is_dir() else {}
    trains = sorted((int(m.group(1)), m.group(0)) for p in found.values() if (m := _TRAIN_FILE.fullmatch(p.name)))
    ordered = {Path(name).stem: found[Path(name).stem] for _, name in trains}
    ordered.update({name: found[name] for name in ("validation", "test") if name in found})
    return ordered


def train_sizes_of(directory: Path) -> list[int]:
    """Sizes of the train subsets present in a dataset directory, ascending."""
    return [int(name.split("_")[1]) for name in find_splits(directory) if name.startswith("train_")]


@contextmanager
def parquet_errors(path: Path) -> Iterator[None]:
    """Turn Arrow's error on an unreadable (corrupted, truncated, not Parquet) split file into an
    InvalidDatasetError that names the file; Arrow's own message does not always name it."""
    try:
        yield
    except pa.ArrowException as exc:
        raise InvalidDatasetError(f"{path} is not a readable Parquet file: {exc}") from exc


def read_split(path: Path, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Records of one split file (optionally only some columns)."""
    with parquet_errors(path):
        return pq.read_table(path, columns=list(columns) if columns else None).to_pylist()


def validate_dataset(directory: Path) -> dict[str, int]:
    """Check a dataset directory against the layout contract; return the record count per split.

    Raises InvalidDatasetError listing every problem: a missing validation/test/train file, an
    unreadable file, a column missing or of the wrong type, an empty split, a `train_<N>` that does
    not hold N records, a missing (null) value in a required column, train subsets that are not
    nested, or a record (by id or by normalized source text) in two of train/validation/test.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"no dataset directory at {directory}")
    splits = find_splits(directory)
    problems = [f"missing split {name} ({split_path(directory, name)})" for name in EVAL_SPLITS if name not in splits]
    sizes = train_sizes_of(directory)
    if not sizes:
        problems.append(f"no train split (data/train_<N>.parquet) in {directory}")
    counts: dict[str, int] = {}
    keys: dict[str, tuple[set[str], set[str]]] = {}
    ids_by_train: dict[int, set[str]] = {}
    for name, path in splits.items():
        with parquet_errors(path):
            schema = pq.read_schema(path)
        problems += _schema_problems(name, schema)
        if any(p.startswith(f"{name}:") for p in problems):
            continue
        with parquet_errors(path):
            table = pq.read_table(path, columns=list(REQUIRED_COLUMNS))
        problems += _content_problems(name, table)
        counts[name] = table.num_rows
        ids, texts = _split_keys(table)
        keys[name] = (ids, texts)
        if len(ids) != table.num_rows:
            problems.append(f"{name}: {table.num_rows - len(ids)} duplicate ids")
        if name.startswith("train_"):
            ids_by_train[int(name.split("_")[1])] = ids
    problems += _nesting_problems(ids_by_train)
    # Smaller train subsets are checked to lie inside the largest, so only the largest is compared.
    compared = {*EVAL_SPLITS, f"train_{max(sizes, default=0)}"}
    problems += _overlap_problems({name: k for name, k in keys.items() if name in compared})
    if problems:
        raise InvalidDatasetError(f"{directory} is not a valid dataset: " + "; ".join(problems))
    return counts


def _schema_problems(name: str, schema: pa.Schema) -> list[str]:
    problems = [f"{name}: missing column {c}" for c in REQUIRED_COLUMNS if c not in schema.names]
    for field in schema:
        expected = field_type(field.name)
        if expected is not None and not field.type.equals(expected):
            problems.append(f"{name}: column {field.name} is {field.type}, expected {expected}")
    return problems


def _content_problems(name: str, table: pa.Table) -> list[str]:
    """Empty splits, a `train_<N>` that does not hold N records, and missing values in required columns."""
    problems = [f"{name}: no records"] if table.num_rows == 0 else []
    if (match := _TRAIN_FILE.fullmatch(f"{name}.parquet")) and table.num_rows != int(match.group(1)):
        problems.append(f"{name} holds {table.num_rows} records, not {match.group(1)}")
    nulls = {column: table.column(column).null_count for column in REQUIRED_COLUMNS}
    return problems + [f"{name}: {n} missing values in column {column}" for column, n in nulls.items() if n]


def _nesting_problems(ids_by_train: dict[int, set[str]]) -> list[str]:
    sizes = sorted(ids_by_train)
    return [
        f"train_{small} is not a subset of train_{large}"
        for small, large in zip(sizes, sizes[1:])
        if not ids_by_train[small] <= ids_by_train[large]
    ]


def split_overlaps(tables: dict[str, Any]) -> list[str]:
    """`"test and train share 4 ids and 4 source texts"` for each pair of the given splits (pyarrow
    tables with `id` and `source_text`) holding a record in common, by id or by normalized source
    text; [] when they are disjoint."""
    return _overlap_problems({name: _split_keys(table) for name, table in tables.items()})


def _split_keys(table: pa.Table) -> tuple[set[str], set[str]]:
    """(ids, normalized source texts) of one split: what two splits must not share."""
    rows = table.select(["id", "source_text"]).to_pylist()
    return {r["id"] for r in rows}, {normalized_text(r["source_text"] or "") for r in rows}


def _overlap_problems(keys: dict[str, tuple[set[str], set[str]]]) -> list[str]:
    names = sorted(keys)
    problems = []
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            shared_ids = len(keys[first][0] & keys[second][0])
            shared_texts = len(keys[first][1] & keys[second][1])
            if shared_ids or shared_texts:
                problems.append(f"{first} and {second} share {shared_ids} ids and {shared_texts} source texts")
    return problems
