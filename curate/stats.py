"""Table-1 statistics of a dataset directory: per split, record count and mean text lengths.

Lengths use each language's unit from the registry (`Language.count_units`): words for Vietnamese
and English, characters for Chinese, as in the paper's Table 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from curate.dataset import find_splits, parquet_errors, read_split
from curate.io import write_text_atomic
from curate.languages import get_language

TEXT_FIELDS = ("source_text", "source_summary", "target_summary")


def compute_stats(directory: Path) -> dict[str, Any]:
    """Compute the statistics of every split in `directory`, write `directory/stats.json`, return them.

    The result: `{"source_lang", "target_lang", "splits": {split: {"records": n, "<field>":
    {"unit": "words"|"chars", "mean": x}}}}` for source_text, source_summary and target_summary.
    """
    splits = find_splits(directory)
    if not splits:
        raise FileNotFoundError(f"no data/*.parquet split files in {directory}")
    langs = read_split(next(iter(splits.values())), ["source_lang", "target_lang"])[:1]
    if not langs:
        raise ValueError(f"{next(iter(splits.values()))} holds no records")
    source, target = get_language(langs[0]["source_lang"]), get_language(langs[0]["target_lang"])
    field_lang = {"source_text": source, "source_summary": source, "target_summary": target}
    result: dict[str, Any] = {"source_lang": source.code, "target_lang": target.code, "splits": {}}
    for name, path in splits.items():
        totals = dict.fromkeys(TEXT_FIELDS, 0)
        records = 0
        with parquet_errors(path):
            for batch in pq.ParquetFile(path).iter_batches(batch_size=2000, columns=list(TEXT_FIELDS)):
                columns = batch.to_pydict()
                records += batch.num_rows
                for field in TEXT_FIELDS:
                    totals[field] += sum(field_lang[field].count_units(text or "") for text in columns[field])
        result["splits"][name] = {
            "records": records,
            **{
                field: {"unit": field_lang[field].unit, "mean": round(totals[field] / records, 2) if records else 0.0}
                for field in TEXT_FIELDS
            },
        }
    write_text_atomic(Path(directory) / "stats.json", json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return result


def stats_rows(stats: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the Table-1 table (one row per split) for printing or for the card."""
    source, target = stats["source_lang"], stats["target_lang"]
    langs = {"source_text": source, "source_summary": source, "target_summary": target}
    splits = stats["splits"]
    first = next(iter(splits.values()), {})
    header = ["split", "records"] + [
        f"{field.replace('_', ' ')} ({langs[field]}, {first.get(field, {}).get('unit', '')})" for field in TEXT_FIELDS
    ]
    rows = [
        [name, str(split["records"])] + [f"{split[field]['mean']:.1f}" for field in TEXT_FIELDS]
        for name, split in splits.items()
    ]
    return header, rows


def stats_markdown(stats: dict[str, Any]) -> str:
    """The Table-1 statistics as a Markdown table."""
    header, rows = stats_rows(stats)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
