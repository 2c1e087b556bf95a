"""Round-trip scoring: ROUGE between each source summary and its back-translation.

Scores are written into the records (`rt_rouge1`, `rt_rouge2`, `rt_rougeL`) and no record is
dropped here: the `roundtrip_rouge` filter step decides later, so a threshold or ranking can change
without rescoring. The input is processed in shards, so memory stays bounded whatever its size.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from tqdm import tqdm

from curate.dataset import SCORE_COLUMNS
from curate.drops import plain
from curate.io import atomic_path, read_jsonl
from curate.languages import get_language
from curate.rouge import score_pairs

SHARD_SIZE = 20_000


@dataclass(frozen=True)
class RoundtripResult:
    """What `score_roundtrip` did: records scored, shards, records with an empty back-translation
    (scored 0, not dropped) and the mean of each score (`{"rt_rouge1": x, ...}`, F x 100)."""

    records: int
    shards: int
    empty_back: int
    mean: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        """`{"records", "shards", "empty_back", "mean"}` (JSON-able)."""
        return plain(self)


def score_roundtrip(
    input: Path,
    output: Path,
    lang: str,
    field: str = "summary",
    back_field: str | None = None,
    shard_size: int = SHARD_SIZE,
    workers: int | None = None,
) -> RoundtripResult:
    """Add `rt_rouge1/2/L` (F x 100, language `lang`) of `field` vs its back-translation to each record.

    Args:
        input: JSONL records carrying `field` and `back_field`.
        output: JSONL written atomically, same records and order, with the three scores added.
        lang: language of `field` (and of the back-translation), for the ROUGE tokenizer.
        field: the original source-language text.
        back_field: its back-translation; default `f"{field}_back"`.
        shard_size: records scored at once (bounds memory).
        workers: scoring processes (default: every core).

    Returns a RoundtripResult, its `mean` being the mean of each score.
    A record without `field` or `back_field` raises ValueError naming its line.
    """
    get_language(lang)
    back_field = back_field or f"{field}_back"
    totals = dict.fromkeys(SCORE_COLUMNS, 0.0)
    records = shards = empty_back = 0
    with atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as out, tqdm(
        desc="round-trip ROUGE", unit="rec", disable=None
    ) as progress:
        for shard in _shards(read_jsonl(input), shard_size):
            originals = [_text(record, field, records + i, input) for i, record in enumerate(shard)]
            backs = [_text(record, back_field, records + i, input) for i, record in enumerate(shard)]
            empty_back += sum(1 for text in backs if not text.strip())
            for record, scores in zip(shard, score_pairs(backs, originals, lang, workers=workers)):
                for name, value in zip(SCORE_COLUMNS, scores):
                    record[name] = round(value, 4)
                    totals[name] += record[name]
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            records += len(shard)
            shards += 1
            progress.update(len(shard))
    mean = {name: (total / records if records else 0.0) for name, total in totals.items()}
    return RoundtripResult(records=records, shards=shards, empty_back=empty_back, mean=mean)


def _shards(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    records = iter(records)
    while shard := list(islice(records, size)):
        yield shard


def _text(record: dict[str, Any], field: str, index: int, path: Path) -> str:
    value = record.get(field)
    if not isinstance(value, str):
        raise ValueError(f"{path}: record {index + 1} (id {record.get('id')!r}) has no text field {field!r}")
    return value
