"""Seeded, reproducible test / validation / nested train splits of a selected pool.

The pool (JSONL crawl records with their translation and round-trip scores) is sorted by id and
shuffled with the seed, so the same records and seed give the same splits whatever the pool's
order. Test takes the first records, validation the next, train the next `max(train_sizes)`; each
smaller train subset is a prefix of the largest, so they are nested.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.dataset import optional_columns, overlap_keys, write_dataset
from curate.drops import Drops, plain
from curate.io import read_jsonl
from curate.languages import get_language

DEFAULT_TRAIN_SIZES = (1000, 3000, 5000)


class PoolTooSmallError(ValueError):
    """The pool holds fewer records than the requested splits need."""


@dataclass(frozen=True)
class SplitResult:
    """What `write_splits` did: records in the pool, usable ones, the others by reason, split sizes, seed.

    The counts add up: `pool == usable + skipped.total`.
    """

    pool: int
    usable: int
    skipped: Drops
    splits: dict[str, int]
    seed: int

    def as_dict(self) -> dict[str, Any]:
        """`{"pool", "usable", "skipped": {reason: count}, "splits": {name: count}, "seed"}` (JSON-able)."""
        return plain(self)


def write_splits(
    pool: Path,
    out_dir: Path,
    source_lang: str,
    target_lang: str,
    train_sizes: Sequence[int] = DEFAULT_TRAIN_SIZES,
    validation: int = 3000,
    test: int = 3000,
    seed: int = 0,
    target_field: str | None = None,
) -> SplitResult:
    """Write `out_dir/data/{test,validation,train_<N>}.parquet` from a pool of crawl records.

    Args:
        pool: JSONL records with `id`, `text`, `summary`, the translation `target_field` (default
            `summary_<target_lang>`) and optionally `url` and `rt_rouge1/2/L`.
        out_dir: the dataset directory.
        source_lang, target_lang: language codes stored in every record.
        train_sizes: nested train subset sizes.
        validation, test: eval split sizes.
        seed: shuffling seed; the same seed and pool give byte-identical files.
        target_field: the record field holding the target-language summary.

    Records with an empty text, summary or translation, and repeats (same id, or same normalized
    source text or summary, crawl.normalize.dedup_key) are left out and counted; of repeats, the
    one with the smallest id stays, whatever the pool's line order. A pool too small for
    the requested sizes raises PoolTooSmallError with the numbers.
    Returns a SplitResult (skip reasons: `empty_id`, `empty_text`, `empty_summary`,
    `empty_<target_field>`, `duplicate`).
    """
    get_language(source_lang), get_language(target_lang)
    sizes = sorted(set(train_sizes))
    if not sizes or min(sizes) < 1 or validation < 1 or test < 1:
        raise ValueError(
            f"split sizes must be positive: train {list(train_sizes)}, validation {validation}, test {test}"
        )
    target_field = target_field or f"summary_{target_lang}"
    records, skipped, total = _dataset_records(read_jsonl(pool), source_lang, target_lang, target_field)
    need = test + validation + sizes[-1]
    if len(records) < need:
        raise PoolTooSmallError(
            f"{pool} has {len(records)} usable records (of {total}) but the splits need {need}: "
            f"test {test} + validation {validation} + train {sizes[-1]}"
        )
    records.sort(key=lambda r: r["id"])
    random.Random(seed).shuffle(records)
    columns = [c for c in optional_columns() if any(r.get(c) is not None for r in records)]
    counts = write_dataset(
        out_dir,
        {"test": records[:test], "validation": records[test : test + validation]},
        records[test + validation : need],
        sizes,
        columns,
    )
    return SplitResult(pool=total, usable=len(records), skipped=skipped, splits=counts, seed=seed)


def _dataset_records(
    pool: Iterable[dict[str, Any]], source_lang: str, target_lang: str, target_field: str
) -> tuple[list[dict[str, Any]], Drops, int]:
    candidates: list[dict[str, Any]] = []
    skipped = Drops()
    total = 0
    optional = optional_columns()
    for raw in pool:
        total += 1
        record = {
            "id": str(raw.get("id") or ""),
            "source_lang": source_lang,
            "target_lang": target_lang,
            "source_text": raw.get("text") or "",
            "source_summary": raw.get("summary") or "",
            "target_summary": raw.get(target_field) or "",
            **{c: raw.get(c) for c in optional},
        }
        reason = _empty_reason(record, target_field)
        if reason:
            skipped.add(reason)
        else:
            candidates.append(record)
    # Of repeats, the record first by id (then by its whole content) stays, whatever the pool's order.
    candidates.sort(key=lambda r: (r["id"], json.dumps(r, ensure_ascii=False, sort_keys=True)))
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for record in candidates:
        keys = overlap_keys(record)
        if any(key in seen for key in keys):
            skipped.add("duplicate")
        else:
            seen.update(keys)
            records.append(record)
    return records, skipped, total


def _empty_reason(record: dict[str, Any], target_field: str) -> str:
    fields = {"id": "id", "source_text": "text", "source_summary": "summary", "target_summary": target_field}
    for field, name in fields.items():
        if not str(record[field]).strip():
            return f"empty_{name}"
    return ""
