"""`clsforge train` and `clsforge report`: fine-tuning runs and the Table-2 report."""

from __future__ import annotations

import inspect
import json
from dataclasses import MISSING, Field, fields
from pathlib import Path
from typing import Any, get_type_hints

import typer

from train.config import TrainConfig


def train(**options: Any) -> None:
    """Fine-tune and evaluate one method (TFLCLS two-stage, mBART-CLS, or an ablation)."""
    config = TrainConfig(**options)
    from train.processes import process_state
    from train.run import run_training

    metrics = run_training(config)
    if not process_state(config.device).is_main_process:  # under torchrun: one summary line, not one per process
        return
    print(json.dumps({k: metrics[k] for k in ("method", "train_size", "validation", "test")}, ensure_ascii=False))


def cli_parameter(option: Field, hints: dict[str, Any]) -> inspect.Parameter:
    """One `--flag` of `clsforge train`, from a TrainConfig field: its name, type, default and help."""
    default = ... if option.default is MISSING else option.default
    info = typer.Option(default, f"--{option.name.replace('_', '-')}", help=option.metadata["help"])
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=hints[option.name])


# Typer reads a command's options from its signature: this one is TrainConfig's fields, in their order.
_HINTS = get_type_hints(TrainConfig)
train.__signature__ = inspect.Signature([cli_parameter(f, _HINTS) for f in fields(TrainConfig)])
train.__annotations__ = {f.name: _HINTS[f.name] for f in fields(TrainConfig)} | {"return": None}


def report(
    runs: list[Path] = typer.Argument(..., help="Run folders holding metrics.json."),
    out: Path = typer.Option(Path("."), "--out", help="Folder for table2.md and table2.csv."),
) -> None:
    """Gather runs into the paper's Table-2 layout (markdown and CSV): mean ± std over seeds of one setup.

    Only runs identical in everything but the seed are averaged; unfinished folders are skipped and named.
    """
    from train.report import write_report

    written = write_report(runs, out)
    for folder in written["skipped"]:
        typer.echo(f"clsforge: skipped {folder}", err=True)
    print(Path(written["markdown"]).read_text(encoding="utf-8"))
    print(json.dumps(written))
