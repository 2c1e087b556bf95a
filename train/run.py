"""`run_training`: one method (TFLCLS, mBART-CLS, or an ablation) from dataset to scored model.

The run folder `OUT/` ends up holding `metrics.json`, `predictions.jsonl` (test set: id, prediction,
reference), `model/` (a standard mBART checkpoint + tokenizer, the best validation checkpoint of the
last phase), `curves.png`, and one folder per phase with its checkpoints (see train.phase). A
killed run, started again with the same options, skips finished phases and resumes the rest.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from curate.io import write_jsonl, write_text_atomic
from train.config import TrainConfig
from train.curves import plot_curves
from train.data import Splits, load_splits, tokenize_split
from train.metrics import ROUGE_KEYS, RougeMetric
from train.phase import PhaseResult, load_phase_model, load_tokenizer, make_trainer, run_phase

# Options that define what a run folder holds: a rerun into the same folder must not change them.
IDENTITY = ("method", "data", "train_size", "model", "loss", "r", "seed")


def check_inputs(config: TrainConfig) -> None:
    """Fail before anything is written on a device torch cannot see or a local model path that is not there.

    A `--model` that starts with `/`, `.` or `~`, or has more than one `/`, cannot be a Hub id
    (`name` or `org/name`): it must be an existing local folder.
    """
    import torch

    if config.device == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda asked for, but torch sees no CUDA device")
    model = config.model
    local = model.startswith(("/", ".", "~")) or model.count("/") > 1 or Path(model).exists()
    if local and not Path(model).expanduser().is_dir():
        raise FileNotFoundError(f"model path {model} does not exist (or is not a folder)")


def check_run_folder(config: TrainConfig) -> None:
    """Record the run's identity in OUT/config.json, or refuse a folder that holds a different run."""
    path = config.out / "config.json"
    current = {**config.to_json(), "data": str(config.data.resolve())}  # the same folder however it is spelt
    if path.is_file():
        previous = json.loads(path.read_text(encoding="utf-8"))
        previous["data"] = str(Path(previous.get("data", "")).resolve())
        changed = [k for k in IDENTITY if previous.get(k) != current[k]]
        if changed:
            raise ValueError(f"{config.out} holds another run ({', '.join(changed)} differ); use a new --out")
    write_text_atomic(path, json.dumps(current, indent=1))


def evaluate_test(config: TrainConfig, model_dir: Path, splits: Splits) -> tuple[dict[str, float], list[str]]:
    """Generate for the whole test set with the model in `model_dir`: its ROUGE and the predictions."""
    tokenizer = load_tokenizer(model_dir, splits)
    model = load_phase_model("cls", config, model_dir)  # a saved best model is always a plain mBART
    test_ds = tokenize_split(splits.test, tokenizer, "cls", config.max_source_length, config.max_target_length)
    metric = RougeMetric(splits.test["target_summary"], splits.target_lang, tokenizer)
    scratch = config.out / ".test"
    trainer = make_trainer(config, "cls", model, tokenizer, None, test_ds, metric, scratch)
    output = trainer.predict(test_ds, metric_key_prefix="test")
    shutil.rmtree(scratch, ignore_errors=True)
    return {key: output.metrics[f"test_{key}"] for key in ROUGE_KEYS}, metric.predictions


def publish_model(best_dir: Path, model_dir: Path) -> None:
    """Copy the final best model folder to OUT/model/ (through a temporary folder and a rename)."""
    tmp = model_dir.with_name(model_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(best_dir, tmp, ignore=shutil.ignore_patterns("phase.json"))
    shutil.rmtree(model_dir, ignore_errors=True)
    tmp.rename(model_dir)


def run_training(config: TrainConfig | None = None, *, callbacks: list | None = None, **options: Any) -> dict:
    """Train and evaluate one method; return (and write to OUT/metrics.json) its metrics.

    Pass a `TrainConfig`, or its fields as keyword arguments (the `clsforge train` options).
    `callbacks` are extra `transformers.TrainerCallback`s for every phase.
    """
    from transformers import set_seed

    from train.processes import process_state

    config = config or TrainConfig(**options)
    started = time.time()
    splits = load_splits(config.data, config.train_size)
    check_inputs(config)
    main_process = process_state(config.device).is_main_process  # under torchrun, every process trains, one writes
    config.out.mkdir(parents=True, exist_ok=True)
    if main_process:
        check_run_folder(config)
    set_seed(config.seed)
    phases: dict[str, PhaseResult] = {}
    init: str | Path = config.model
    for phase in config.phases:
        phases[phase] = run_phase(phase, config, splits, init, callbacks)
        init = phases[phase].best_dir
    final = phases[config.phases[-1]]
    test_scores, predictions = evaluate_test(config, Path(final.best_dir), splits)
    metrics = run_metrics(config, splits, phases, test_scores, len(predictions), started)
    if not main_process:
        return metrics
    write_jsonl(
        config.out / "predictions.jsonl",
        (
            {"id": i, "prediction": p, "reference": r}
            for i, p, r in zip(splits.test["id"], predictions, splits.test["target_summary"])
        ),
    )
    publish_model(Path(final.best_dir), config.out / "model")
    plot_curves({name: result.log_history for name, result in phases.items()}, config.out / "curves.png")
    write_text_atomic(config.out / "metrics.json", json.dumps(metrics, ensure_ascii=False, indent=1))
    return metrics


def run_metrics(
    config: TrainConfig, splits: Splits, phases: dict[str, PhaseResult], test: dict[str, float], n: int, started: float
) -> dict[str, Any]:
    """The content of metrics.json."""
    metrics = {
        "method": config.method,
        "loss": config.loss if "stage2" in config.phases else None,
        "r": config.r if "stage2" in config.phases else None,
        "train_size": config.train_size,
        "model": config.model,
        "data": str(config.data),
        "source_lang": splits.source_lang,
        "target_lang": splits.target_lang,
        "seed": config.seed,
        "validation": phases[config.phases[-1]].validation,
        "test": {**test, "n": n},
        "steps": {name: result.steps for name, result in phases.items()},
        "phases": {
            name: {
                "validation": r.validation, "steps": r.steps, "time_s": r.time_s, "best_checkpoint": r.best_checkpoint
            }
            for name, r in phases.items()
        },
        "time_s": round(time.time() - started, 3),
    }
    weights = final_loss_weights(phases.get("stage2"))
    if weights:
        metrics["loss_weights"] = weights
    return metrics


def final_loss_weights(result: PhaseResult | None) -> dict[str, float]:
    """The last logged c (or s_cls / s_mls) of Stage 2, for metrics.json."""
    if result is None:
        return {}
    logged = [e for e in result.log_history if any(k in e for k in ("c", "s_cls"))]
    return {k: logged[-1][k] for k in ("c", "s_cls", "s_mls") if logged and k in logged[-1]}
