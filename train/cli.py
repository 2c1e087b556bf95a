"""`clsforge train` and `clsforge report`: fine-tuning runs and the Table-2 report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from train.config import TrainConfig

DEFAULTS = TrainConfig.__dataclass_fields__  # the paper's defaults, shown in --help


def _default(name: str):
    return DEFAULTS[name].default


def train(
    method: str = typer.Option(..., "--method", help="tflcls, mbart-cls, no-stage1 or no-mono."),
    data: Path = typer.Option(..., "--data", help="Dataset directory (DIR/data/train_N.parquet, validation, test)."),
    train_size: int = typer.Option(..., "--train-size", help="Which nested train subset: 1000, 3000, 5000."),
    model: str = typer.Option("facebook/mbart-large-cc25", "--model", help="Model name or path."),
    out: Path = typer.Option(..., "--out", help="Run folder: metrics.json, predictions.jsonl, model/."),
    loss: str = typer.Option(_default("loss"), "--loss", help="Stage-2 loss: tflcls (eq. 3.5), sum, hu, rhu."),
    r: float = typer.Option(_default("r"), "--r", help="Fixed ratio r of eq. 3.5."),
    c_lr: Optional[float] = typer.Option(None, "--c-lr", help="Learning rate of c / s_i (default: Stage-2 lr)."),
    epochs: float = typer.Option(_default("epochs"), "--epochs", help="Epochs per phase."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Cap on optimizer steps per phase."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", help="Per-device batch size (all phases)."),
    grad_accum: Optional[int] = typer.Option(None, "--grad-accum", help="Gradient accumulation (all phases)."),
    lr: Optional[float] = typer.Option(None, "--lr", help="Learning rate (all phases)."),
    stage1_batch_size: int = typer.Option(_default("stage1_batch_size"), "--stage1-batch-size"),
    stage1_grad_accum: int = typer.Option(_default("stage1_grad_accum"), "--stage1-grad-accum"),
    stage1_lr: float = typer.Option(_default("stage1_lr"), "--stage1-lr", help="Stage 1 and plain CLS lr."),
    stage2_batch_size: int = typer.Option(_default("stage2_batch_size"), "--stage2-batch-size"),
    stage2_grad_accum: int = typer.Option(_default("stage2_grad_accum"), "--stage2-grad-accum"),
    stage2_lr: float = typer.Option(_default("stage2_lr"), "--stage2-lr", help="Stage-2 (two decoders) lr."),
    lr_decay: float = typer.Option(_default("lr_decay"), "--lr-decay", help="lr factor at each epoch start."),
    seed: int = typer.Option(_default("seed"), "--seed"),
    device: str = typer.Option(_default("device"), "--device", help="auto, cpu or cuda."),
    bf16: bool = typer.Option(False, "--bf16", help="bf16 mixed precision (GPU)."),
    fp16: bool = typer.Option(False, "--fp16", help="fp16 mixed precision (GPU)."),
    gradient_checkpointing: bool = typer.Option(False, "--gradient-checkpointing"),
    max_source_length: int = typer.Option(_default("max_source_length"), "--max-source-length"),
    max_target_length: int = typer.Option(_default("max_target_length"), "--max-target-length"),
    num_beams: int = typer.Option(_default("num_beams"), "--num-beams"),
    eval_batch_size: int = typer.Option(_default("eval_batch_size"), "--eval-batch-size"),
    eval_steps: Optional[int] = typer.Option(
        None, "--eval-steps", help="Validate and checkpoint every N steps (default: once per epoch)."
    ),
    max_eval_samples: Optional[int] = typer.Option(
        None, "--max-eval-samples", help="Validation subset used for checkpoint selection (test is always whole)."
    ),
    logging_steps: int = typer.Option(_default("logging_steps"), "--logging-steps"),
    overwrite: bool = typer.Option(False, "--overwrite", help="Start over in an OUT that holds another run."),
) -> None:
    """Fine-tune and evaluate one method (TFLCLS two-stage, mBART-CLS, or an ablation)."""
    config = TrainConfig(**locals())
    from train.run import run_training

    metrics = run_training(config)
    print(json.dumps({k: metrics[k] for k in ("method", "train_size", "validation", "test")}, ensure_ascii=False))


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
