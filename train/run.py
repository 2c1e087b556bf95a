"""`run_training`: one method (TFLCLS, mBART-CLS, or an ablation) from dataset to scored model.

The run folder `OUT/` ends up holding `metrics.json`, `predictions.jsonl` (test set: id, prediction,
reference), `model/` (a standard mBART checkpoint + tokenizer, the best validation checkpoint of the
last phase), `curves.png`, and one folder per phase with its checkpoints (see train.phase). A
killed run, started again with the same options, skips finished phases and resumes the rest.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import time
from dataclasses import MISSING, asdict, fields
from pathlib import Path
from typing import Any

from curate.io import write_jsonl, write_text_atomic
from train.config import PHASE_KIND, TrainConfig
from train.curves import plot_curves
from train.data import Splits, load_splits, tokenize_split
from train.identity import backbone_record, dataset_identity, library_versions
from train.metrics import ROUGE_KEYS, RougeMetric
from train.phase import PHASE_DONE, PhaseResult, load_phase_model, load_tokenizer, make_trainer, run_phase
from train.registry import METHODS

# Options that say where and on what a run is done, not what it is: a rerun may change them.
RUN_NEUTRAL = ("out", "device", "overwrite")
# What `run_training` writes into OUT (all of it is removed by --overwrite, nothing else is).
DATASET_RECORD = "dataset.json"  # the content fingerprints of the dataset the run began on
BACKBONE_RECORD = "backbone.json"  # the weights fingerprint (and file stamps) of the backbone it began on
RUN_OUTPUTS = (
    "config.json", DATASET_RECORD, BACKBONE_RECORD, "metrics.json", "predictions.jsonl", "curves.png", "model", "model.tmp", ".test"
)


def check_inputs(config: TrainConfig) -> None:
    """Fail before anything is written on a device torch cannot see, mixed precision on the CPU, or a
    local model path that is not there.

    `--fp16` / `--bf16` are GPU settings here: on the CPU the Trainer would train in fp32 or CPU
    autocast while metrics.json records a mixed-precision run, which the report then shows as a setup
    of its own. A `--model` that starts with `/`, `.` or `~`, or has more than one `/`, cannot be a
    Hub id (`name` or `org/name`): it must be an existing local folder.

    Raises:
        ValueError: `--device cuda` without CUDA; `--fp16` or `--bf16` on the CPU.
        FileNotFoundError: a local `--model` folder that does not exist.
    """
    import torch

    from train.processes import on_cpu

    if config.device == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda asked for, but torch sees no CUDA device")
    precision = "fp16" if config.fp16 else "bf16" if config.bf16 else None
    if precision and on_cpu(config.device):
        raise ValueError(f"--{precision} needs a CUDA GPU, but this run is on the CPU (--device {config.device})")
    model = config.model
    local = model.startswith(("/", ".", "~")) or model.count("/") > 1 or Path(model).exists()
    if local and not Path(model).expanduser().is_dir():
        raise FileNotFoundError(f"model path {model} does not exist (or is not a folder)")


def holds_results(out: Path, phases: tuple[str, ...]) -> bool:
    """Whether a run folder holds anything a rerun would reuse: a checkpoint, a finished phase, or metrics."""
    names = {*phases, *PHASE_KIND}
    return (out / "metrics.json").exists() or any(
        (out / phase / "best").exists() or any((out / phase).glob("checkpoint-*")) for phase in names
    )


def clear_run_folder(out: Path) -> None:
    """Remove what a run wrote into `out` (`--overwrite`); files that are not a run's are left alone."""
    for name in (*RUN_OUTPUTS, *PHASE_KIND):
        path = out / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def differing_options(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """`--name OLD -> NEW` for every option of the run's identity that differs.

    An option missing from `previous` (a config.json written before the option existed) counts as
    its default.
    """
    defaults = {f.name: f.default for f in fields(TrainConfig) if f.default is not MISSING}
    keys = [k for k in current if k not in RUN_NEUTRAL] + [k for k in previous if k not in current]
    before = {key: previous.get(key, defaults.get(key)) for key in keys}
    return [
        f"--{key.replace('_', '-')} {before[key]} -> {current.get(key)}"
        for key in keys
        if key not in RUN_NEUTRAL and before[key] != current.get(key)
    ]


def check_run_folder(config: TrainConfig) -> dict[str, Any]:
    """Record the run's options in OUT/config.json, or refuse a folder whose run has other options;
    return the backbone record (OUT/backbone.json: `name`, weights `fingerprint`, `files` stamps).

    A folder holding results (a checkpoint, a finished phase, metrics.json) of the same options is
    resumed; of other options, on dataset files whose content changed since (OUT/dataset.json), or on
    backbone weights that changed since at the same `--model` path (OUT/backbone.json, and the
    fingerprint each finished phase's phase.json names), it is refused with a `ValueError` naming the
    difference (`overwrite` clears it first). A folder with a config.json but no results (a run that
    failed before its first checkpoint, e.g. on a model that does not load) is simply taken over:
    nothing there to protect.
    """
    path = config.out / "config.json"
    current = {**config.to_json(), "data": str(config.data.resolve())}  # the same folder however it is spelt
    dataset = dataset_identity(config.data, config.train_size)
    previous_backbone = {} if config.overwrite else read_record(config.out / BACKBONE_RECORD)
    backbone = backbone_record(config.model, previous_backbone)  # unchanged stamps: the weights are not read again
    if config.overwrite:
        clear_run_folder(config.out)
    elif path.is_file() and holds_results(config.out, config.phases):
        previous = json.loads(path.read_text(encoding="utf-8"))
        if previous.get("data"):
            previous["data"] = str(Path(previous["data"]).resolve())
        changed = differing_options(previous, current)
        if changed:
            raise ValueError(
                f"{config.out} holds a run with other options ({', '.join(changed)}): rerun with its options to "
                "resume it, add --overwrite to start over, or use a new --out"
            )
        check_same_dataset(config, dataset)
        check_same_backbone(config, previous_backbone.get("fingerprint"), backbone["fingerprint"])
        for phase in config.phases:
            done = read_record(config.out / phase / "best" / PHASE_DONE)
            check_phase_backbone(config, phase, done.get("backbone"), backbone["fingerprint"])
    if backbone["fingerprint"] is None and previous_backbone.get("fingerprint"):
        backbone = previous_backbone  # the local copy is gone for now (a Hub cache cleared): keep what is known
    write_text_atomic(path, json.dumps(current, indent=1))
    write_text_atomic(config.out / DATASET_RECORD, json.dumps(dataset, indent=1))
    write_text_atomic(config.out / BACKBONE_RECORD, json.dumps(backbone, indent=1))
    return backbone


def read_record(path: Path) -> dict[str, Any]:
    """A JSON record the run wrote (backbone.json, phase.json), or {} when there is none.

    Raises:
        ValueError: the file is not a JSON object (named, with --overwrite as the way out).
    """
    if not path.is_file():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        record = exc
    if not isinstance(record, dict):
        raise ValueError(f"{path} is damaged (not a JSON object): add --overwrite to start over, or use a new --out")
    return record


def check_same_dataset(config: TrainConfig, dataset: dict[str, Any]) -> None:
    """Refuse to resume on a dataset whose files changed since the run began (same path, new content)."""
    path = config.out / DATASET_RECORD
    if not path.is_file():
        return
    previous = json.loads(path.read_text(encoding="utf-8"))
    changed = [k for k in ("fingerprint", "train_fingerprint") if previous.get(k) != dataset[k]]
    if changed:
        raise ValueError(
            f"{config.out} holds a run on other data: the dataset files at {config.data} changed since it began "
            "(validation/test or train content differs): add --overwrite to start over, or use a new --out"
        )


def check_same_backbone(config: TrainConfig, began: str | None, now: str | None, before: str | None = None) -> None:
    """Refuse to go on when the backbone weights at `--model` (fingerprint `now`) are not those the run
    began on (`began`); `before`: the phase about to start, named in the message. An unknown side (None:
    no local copy found, e.g. a Hub model not downloaded yet) cannot be compared and passes."""
    if began and now and began != now:
        when = f" before {before}" if before else ""
        raise ValueError(
            f"{config.out} holds a run on other backbone weights: the weights at {config.model} changed since it "
            f"began (sha256 {began[:12]} -> {now[:12]}){when}: add --overwrite to start over, or use a new --out"
        )


def check_phase_backbone(config: TrainConfig, phase: str, trained_from: str | None, now: str | None) -> None:
    """Refuse to reuse (or build on) a finished phase trained from other backbone weights than `now`."""
    if trained_from and now and trained_from != now:
        raise ValueError(
            f"{config.out} holds a run on other backbone weights: {phase} was trained from the weights at "
            f"{config.model} (sha256 {trained_from[:12]}), which now differ (sha256 {now[:12]}): add --overwrite "
            "to start over, or use a new --out"
        )


def backbone_at_boundary(config: TrainConfig, phase: str, write: bool) -> str | None:
    """The backbone fingerprint, checked again before `phase` starts against OUT/backbone.json (a phase
    reads `--model`: Stage 1 its whole model, Stage 2 its monolingual decoder). Cheap: unchanged weight
    files are not read again. A fingerprint first known now (a Hub model downloaded by the previous
    phase) is recorded when `write` (the main process)."""
    previous = read_record(config.out / BACKBONE_RECORD)
    current = backbone_record(config.model, previous)
    check_same_backbone(config, previous.get("fingerprint"), current["fingerprint"], before=phase)
    if write and current["fingerprint"] and current != previous:
        write_text_atomic(config.out / BACKBONE_RECORD, json.dumps(current, indent=1))
    return current["fingerprint"] or previous.get("fingerprint")


def evaluate_test(config: TrainConfig, model_dir: Path, splits: Splits) -> tuple[dict[str, float], list[str]]:
    """Generate for the whole test set with the model in `model_dir`: its ROUGE and the predictions."""
    tokenizer = load_tokenizer(model_dir, splits)
    model = load_phase_model("cls", config, model_dir)  # a saved best model is always a plain mBART
    test_ds = tokenize_split(splits.test, tokenizer, "cls", config.max_source_length, config.max_target_length)
    metric = RougeMetric(splits.test["target_summary"], splits.target_lang, tokenizer, test_ds["labels"])
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
    process_state(config.device).wait_for_everyone()  # no process reads OUT before it is checked (or cleared)
    if splits.overlaps and main_process:  # `clsforge export` and `publish` refuse such a folder; a run says so and records it
        print(f"clsforge: warning: {config.data}: the splits overlap ({'; '.join(splits.overlaps)}): its test "
              "scores are on records the model saw; `clsforge report` leaves this run out", file=sys.stderr, flush=True)
    set_seed(config.seed)
    phases: dict[str, PhaseResult] = {}
    init: str | Path = config.model
    backbone: str | None = None
    for phase in config.phases:  # every phase boundary: the weights at --model are still those the run began on
        backbone = backbone_at_boundary(config, phase, write=main_process)
        phases[phase] = run_phase(phase, config, splits, init, callbacks, backbone=backbone)
        check_phase_backbone(config, phase, phases[phase].backbone, backbone)
        init = phases[phase].best_dir
    if backbone is None:  # a Hub model that was not on disk when the run began: downloaded by now
        backbone = backbone_at_boundary(config, "the test evaluation", write=main_process)
    final = phases[config.phases[-1]]
    test_scores, predictions = evaluate_test(config, Path(final.best_dir), splits)
    metrics = run_metrics(config, splits, phases, test_scores, len(predictions), started)
    if not main_process:
        return metrics
    metrics |= run_identity(config, backbone)  # one process hashes the dataset
    text = metrics_text(metrics, config.out / "metrics.json")  # a NaN score fails here, before any output is written
    write_jsonl(
        config.out / "predictions.jsonl",
        (
            {"id": i, "prediction": p, "reference": r}
            for i, p, r in zip(splits.test["id"], predictions, splits.test["target_summary"], strict=True)
        ),
    )
    publish_model(Path(final.best_dir), config.out / "model")
    plot_curves({name: result.log_history for name, result in phases.items()}, config.out / "curves.png")
    write_text_atomic(config.out / "metrics.json", text)
    return metrics


def non_finite_fields(value: Any, where: str = "") -> list[str]:
    """The dotted paths (`test.rouge2`, `phases.cls.validation.rouge1`) of NaN or infinite floats in `value`."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [f"{where} ({value})"]
    if isinstance(value, dict):
        return [bad for key, item in value.items() for bad in non_finite_fields(item, f"{where}.{key}" if where else str(key))]
    if isinstance(value, (list, tuple)):
        return [bad for i, item in enumerate(value) for bad in non_finite_fields(item, f"{where}.{i}")]
    return []


def metrics_text(metrics: dict[str, Any], path: Path) -> str:
    """metrics.json's text. NaN and infinity are not JSON (json.dumps would write `NaN`, which `clsforge report`
    and other readers refuse), so a non-finite value raises ValueError naming its fields instead."""
    bad = non_finite_fields(metrics)
    if bad:
        raise ValueError(f"{path} not written: {', '.join(bad)} not a finite number")
    return json.dumps(metrics, ensure_ascii=False, indent=1, allow_nan=False)


def run_identity(config: TrainConfig, backbone: str | None) -> dict[str, Any]:
    """What makes two runs the same setup (metrics.json): the full options, the phases' resolved
    settings, the backbone (name + the weights fingerprint the phases were checked against, not the
    weights found at the path now), the dataset (content fingerprints), versions."""
    return {
        "options": {**config.to_json(), "data": str(config.data.resolve())},
        "settings": {phase: asdict(config.phase_settings(phase)) for phase in config.phases},
        "backbone": {"name": config.model, "fingerprint": backbone},
        "dataset": dataset_identity(config.data, config.train_size),
        "versions": library_versions(),
    }


def run_metrics(
    config: TrainConfig, splits: Splits, phases: dict[str, PhaseResult], test: dict[str, float], n: int, started: float
) -> dict[str, Any]:
    """The scores and bookkeeping of metrics.json (`run_identity` adds what identifies the run)."""
    metrics = {
        "method": config.method,
        "loss": config.loss if "stage2" in config.phases else None,
        "r": config.r if "stage2" in config.phases else None,
        "no_mono_settings": config.no_mono_settings if METHODS[config.method].takes_no_mono_settings else None,
        "train_size": config.train_size,
        "model": config.model,
        "data": str(config.data),
        "source_lang": splits.source_lang,
        "target_lang": splits.target_lang,
        "seed": config.seed,
        "validation": phases[config.phases[-1]].validation,
        "test": {**test, "n": n},
        "split_overlaps": list(splits.overlaps),
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
