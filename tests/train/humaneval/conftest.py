"""Fixtures of the human-evaluation tests: tiny run folders (predictions.jsonl, metrics.json) over one tiny dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

# Test articles of the tiny dataset: id -> (Vietnamese source text, Chinese reference).
ARTICLES = {
    "a1": ("Hà Nội mưa lớn, nhiều tuyến phố ngập sâu và giao thông ùn tắc.", "河内大雨，多条街道严重积水。"),
    "a2": ("Giá xăng dầu trong nước giảm nhẹ từ chiều nay.", "国内汽油价格从今天下午起小幅下调。"),
    "a3": ("Đội tuyển Việt Nam thắng Thái Lan 2-0 ở chung kết.", "越南队在决赛中以二比零战胜泰国队。"),
}
# Run folder -> method in metrics.json; the systems are then named by their Table-2 labels.
METHODS = {"run-t": "tflcls", "run-m": "mbart-cls", "run-w": "no-mono"}
LABELS = {"tflcls": "TFLCLS", "mbart-cls": "mBART-CLS (w/o TraMul)", "no-mono": "TFLCLS w/o Mul"}


# What each fixture run 'writes': distinct per method, in the scripts the page must show (zh, vi, en).
STYLE = {"tflcls": "河内大雨，街道积水", "mbart-cls": "Hà Nội mưa lớn, phố ngập", "no-mono": "heavy rain in Hanoi"}


def prediction(article: str, method: str) -> str:
    """The summary a fixture run 'wrote' for an article: distinct per (article, method)."""
    return f"{STYLE[method]} ({article})"


def write_run(folder: Path, method: str, dataset: Path, ids: list[str] | None = None) -> Path:
    """A finished run folder: metrics.json naming the dataset, predictions.jsonl over `ids` (default: all)."""
    folder.mkdir(parents=True)
    metrics = {"method": method, "loss": "tflcls", "r": 2.0, "data": str(dataset), "source_lang": "vi", "target_lang": "zh"}
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    rows = [{"id": i, "prediction": prediction(i, method), "reference": ARTICLES[i][1]} for i in ids or ARTICLES]
    (folder / "predictions.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A dataset folder holding only data/test.parquet (id, source_text, target_summary)."""
    folder = tmp_path / "dataset"
    (folder / "data").mkdir(parents=True)
    frame = pd.DataFrame(
        {"id": list(ARTICLES), "source_text": [s for s, _ in ARTICLES.values()], "target_summary": [r for _, r in ARTICLES.values()]}
    )
    frame.to_parquet(folder / "data" / "test.parquet")
    return folder


@pytest.fixture
def runs(tmp_path: Path, dataset: Path) -> list[Path]:
    """Three finished runs (TFLCLS, mBART-CLS, TFLCLS w/o Mul) over the same three test articles."""
    return [write_run(tmp_path / "runs" / name, method, dataset) for name, method in METHODS.items()]
