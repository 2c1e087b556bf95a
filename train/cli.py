"""`clsforge train` and `clsforge report`: fine-tuning runs and the Table-2 report."""

from __future__ import annotations

from pathlib import Path

import typer


def train(
    method: str = typer.Option(..., "--method", help="tflcls, mbart-cls, no-stage1 or no-mono."),
    data: Path = typer.Option(..., "--data", help="Dataset directory (DIR/data/train_N.parquet, validation, test)."),
    train_size: int = typer.Option(..., "--train-size", help="Which nested train subset: 1000, 3000, 5000."),
    model: str = typer.Option("facebook/mbart-large-cc25", "--model", help="Model name or path."),
    out: Path = typer.Option(..., "--out", help="Run folder: metrics.json, predictions.jsonl, model/."),
) -> None:
    """Fine-tune and evaluate one method (TFLCLS two-stage, mBART-CLS, or an ablation)."""
    raise NotImplementedError("`clsforge train` is not available yet")


def report(
    runs: list[Path] = typer.Argument(..., help="Run folders holding metrics.json."),
) -> None:
    """Gather runs into the paper's Table-2 layout (markdown and CSV)."""
    raise NotImplementedError("`clsforge report` is not available yet")
