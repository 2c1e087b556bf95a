"""Small pools for the filter-step tests: real Vietnamese summaries and their Chinese translations
from the demo's translation memory, with source texts made of other summaries (distinct per record)."""

from __future__ import annotations

import json
from pathlib import Path

MEMORY = Path(__file__).resolve().parents[3] / "datasets" / "demo" / "translations.jsonl"


def pairs() -> list[tuple[str, str]]:
    """The 40 (Vietnamese summary, Chinese translation) pairs of the demo, in file order."""
    rows = [json.loads(line) for line in MEMORY.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], r["translation"]) for r in rows if r["src_lang"] == "vi"]


def pool(n: int = 10) -> list[dict]:
    """`n` records `r00`..: summary, summary_zh, a text of two other summaries (no two records share one), round-trip scores
    100, 95, 90, ... (record i scores 100 - 5 i on every ROUGE)."""
    data = pairs()
    records = []
    for i in range(n):
        summary, zh = data[i]
        text = " ".join(data[(14 + 2 * i + k) % len(data)][0] for k in (0, 1))
        score = 100.0 - 5 * i
        records.append(
            {"id": f"r{i:02d}", "summary": summary, "summary_zh": zh, "text": text, "summary_back": summary,
             "rt_rouge1": score, "rt_rouge2": score, "rt_rougeL": score}
        )
    return records
