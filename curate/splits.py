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
    eval_ids: dict[str, Sequence[str]] | None = None,
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
        eval_ids: `{"test": [id, ...], "validation": [id, ...]}` (from shared_eval_split): these
            records, in this order, are the test and validation splits instead of a seeded draw, and
            train is drawn from the rest. Several pools split with the same eval_ids are evaluated on
            the same records (the filter ablation). A pool lacking one of them raises ValueError.

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
    held_out = [i for name in ("test", "validation") for i in (eval_ids or {}).get(name, ())]
    records, skipped, total = _dataset_records(read_jsonl(pool), source_lang, target_lang, target_field, set(held_out))
    if eval_ids is not None:
        if len(eval_ids["test"]) != test or len(eval_ids["validation"]) != validation:
            raise ValueError(
                f"the shared split holds test {len(eval_ids['test'])} and validation {len(eval_ids['validation'])} "
                f"records, the splits ask for test {test} and validation {validation}"
            )
        evals, records = _take(records, eval_ids, pool)
    need = (0 if eval_ids is not None else test + validation) + sizes[-1]
    if len(records) < need:
        raise PoolTooSmallError(
            f"{pool} has {len(records)} usable records (of {total}) but the splits need {need}: "
            + (f"train {sizes[-1]} besides the shared test and validation records" if eval_ids is not None
               else f"test {test} + validation {validation} + train {sizes[-1]}")
        )
    records.sort(key=lambda r: r["id"])
    random.Random(seed).shuffle(records)
    if eval_ids is None:
        evals = {"test": records[:test], "validation": records[test : test + validation]}
        records = records[test + validation :]
    columns = [c for c in optional_columns() if any(r.get(c) is not None for r in records + evals["test"] + evals["validation"])]
    counts = write_dataset(out_dir, evals, records[: sizes[-1]], sizes, columns)
    usable = len(records) + sum(len(v) for v in evals.values())
    return SplitResult(pool=total, usable=usable, skipped=skipped, splits=counts, seed=seed)


def shared_eval_split(
    pools: Sequence[Path], source_lang: str, target_lang: str, validation: int, test: int, seed: int = 0,
    target_field: str | None = None,
) -> dict[str, Any]:
    """Draw one test and one validation set from the records that every pool holds (by id).

    The filter ablation filters one scored pool several ways; scoring each variant on its own test
    split would compare models on different records (a strict filter also keeps the easy test
    records), so every variant is evaluated on records all of them kept, drawn once here and passed to
    write_splits(eval_ids=...). The draw is the one write_splits makes (usable, de-duplicated records
    sorted by id, shuffled with `seed`), so it does not depend on the pools' order.

    Returns `{"test": [id, ...], "validation": [id, ...], "common": usable records in every pool, "seed"}`.
    Raises PoolTooSmallError when fewer than test + validation records are common to all pools.
    """
    if not pools:
        raise ValueError("shared_eval_split needs at least one pool")
    target_field = target_field or f"summary_{target_lang}"
    common = set.intersection(*({str(r.get("id") or "") for r in read_jsonl(path)} for path in pools))
    first = (r for r in read_jsonl(pools[0]) if str(r.get("id") or "") in common)
    records, _, _ = _dataset_records(first, source_lang, target_lang, target_field)
    if len(records) < test + validation:
        raise PoolTooSmallError(
            f"only {len(records)} records are kept by every variant ({len(pools)} pools) but the shared "
            f"evaluation sets need {test + validation}: test {test} + validation {validation}"
        )
    records.sort(key=lambda r: r["id"])
    random.Random(seed).shuffle(records)
    ids = [r["id"] for r in records]
    return {"test": ids[:test], "validation": ids[test : test + validation], "common": len(records), "seed": seed}


def _take(
    records: list[dict[str, Any]], eval_ids: dict[str, Sequence[str]], pool: Path
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The records named by eval_ids (per split, in its order) and the rest; ValueError when some are missing."""
    by_id = {r["id"]: r for r in records}
    wanted = [i for name in ("test", "validation") for i in eval_ids[name]]
    missing = [i for i in wanted if i not in by_id]
    if missing:
        raise ValueError(
            f"{pool} lacks {len(missing)} of the {len(wanted)} shared test and validation records "
            f"(first: {missing[0]}): it was not filtered from the pool they were drawn from"
        )
    taken = set(wanted)
    return {name: [by_id[i] for i in eval_ids[name]] for name in ("test", "validation")}, [
        r for r in records if r["id"] not in taken
    ]


def _dataset_records(
    pool: Iterable[dict[str, Any]], source_lang: str, target_lang: str, target_field: str, first: set[str] = frozenset()
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
    # Of repeats, the record first by id (then by its whole content) stays, whatever the pool's order;
    # records in `first` (shared test and validation records) stay before any other.
    candidates.sort(key=lambda r: (r["id"] not in first, r["id"], json.dumps(r, ensure_ascii=False, sort_keys=True)))
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
