"""One training phase (Stage 1, plain CLS, or Stage 2) on Seq2SeqTrainer, resumable and selected by val ROUGE-2.

A phase trains in `OUT/<phase>/` (Trainer checkpoints `checkpoint-N`, the best and the last kept),
evaluates the validation set once per epoch (and at the end) by generating and scoring ROUGE,
reloads the checkpoint with the best validation ROUGE-2, and saves it as a standard mBART model
with its tokenizer in `OUT/<phase>/best/`. `best/phase.json`, written last, marks the phase done:
a rerun skips a finished phase and resumes an unfinished one from its last checkpoint.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from curate.io import write_text_atomic
from curate.languages import get_language
from train.config import PHASE_KIND, TrainConfig, trainer_options
from train.data import DualCollator, Splits, tokenize_split
from train.metrics import ROUGE_KEYS, RougeMetric

PHASE_DONE = "phase.json"


@dataclass
class PhaseResult:
    """What a finished phase leaves: its best model folder, validation scores, steps, time, logs."""

    best_dir: str
    validation: dict[str, float]
    best_checkpoint: str | None
    steps: int
    time_s: float
    log_history: list[dict[str, Any]]
    backbone: str | None = None  # the weights fingerprint of the backbone the run began on (None: unknown)


def load_tokenizer(path: str | Path, splits: Splits) -> Any:
    """The model's mBART tokenizer set to the run's language pair; fails clearly on a missing code."""
    from transformers import AutoTokenizer

    src, tgt = get_language(splits.source_lang).mbart, get_language(splits.target_lang).mbart
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, src_lang=src, tgt_lang=tgt)
    except (OSError, ValueError) as exc:  # transformers' messages run over several lines: keep the first
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"cannot load a tokenizer from {path}: {first}") from exc
    for code in (src, tgt):
        if tokenizer.convert_tokens_to_ids(code) in (None, tokenizer.unk_token_id):
            raise ValueError(f"the tokenizer of {path} has no language code {code}")
    return tokenizer


def configure_generation(model: Any, tokenizer: Any, config: TrainConfig) -> None:
    """Decoding as in the paper, starting from the target language code once (no forced BOS).

    Language codes other than that start token are suppressed: a summary never contains one, and
    this guarantees the reference code's doubled `<tgt_lang> <tgt_lang>` prefix cannot happen.
    """
    start = tokenizer.convert_tokens_to_ids(tokenizer.tgt_lang)
    generation = model.generation_config
    generation.decoder_start_token_id = start
    generation.forced_bos_token_id = None
    generation.bos_token_id, generation.eos_token_id = tokenizer.bos_token_id, tokenizer.eos_token_id
    generation.pad_token_id = tokenizer.pad_token_id
    generation.num_beams = config.num_beams
    generation.max_length = config.generation_max_length
    generation.max_new_tokens = None
    generation.no_repeat_ngram_size = config.no_repeat_ngram_size
    generation.early_stopping = config.num_beams > 1  # only meaningful (and only valid) for beam search
    generation.suppress_tokens = sorted(getattr(tokenizer, "lang_code_to_id", {}).values())
    model.config.decoder_start_token_id = start


def load_phase_model(phase: str, config: TrainConfig, init: str | Path) -> Any:
    """Stage 1 / CLS: the whole mBART from `init`; Stage 2: `init` + the pretrained decoder as ml_decoder."""
    from transformers import AutoModelForSeq2SeqLM
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the ml_decoder is "missing" from every checkpoint by design
    try:
        if PHASE_KIND[phase] == "dual":
            from train.dual_decoder import build_stage2_model

            return build_stage2_model(init, config.model, config.loss, config.r, attn_implementation="sdpa")
        return AutoModelForSeq2SeqLM.from_pretrained(init, attn_implementation="sdpa")
    finally:
        hf_logging.set_verbosity(verbosity)


def steps_per_epoch(n_examples: int, batch_size: int, grad_accum: int, processes: int = 1) -> int:
    """Optimiser steps in one epoch (the last partial accumulation counts as a step)."""
    return max(1, math.ceil(math.ceil(n_examples / (batch_size * processes)) / grad_accum))


def training_arguments(config: TrainConfig, phase: str, output_dir: Path, n_train: int) -> Any:
    """Seq2SeqTrainingArguments of a phase: evaluate and checkpoint once per epoch, keep the best by ROUGE-2."""
    from transformers import Seq2SeqTrainingArguments

    from train.processes import on_cpu, process_state

    settings = config.phase_settings(phase)
    processes = process_state(config.device).num_processes
    per_epoch = steps_per_epoch(n_train, settings.batch_size, settings.grad_accum, processes)
    interval = config.eval_steps or per_epoch
    interval = min(interval, config.max_steps) if config.max_steps else interval
    return Seq2SeqTrainingArguments(
        output_dir=str(output_dir),
        **trainer_options(config),  # the options passed unchanged (declared with `trainer=` in TrainConfig)
        max_steps=config.max_steps or -1,
        per_device_train_batch_size=settings.batch_size,
        gradient_accumulation_steps=settings.grad_accum,
        learning_rate=settings.lr,
        weight_decay=0.0,
        eval_strategy="steps",
        eval_steps=interval,
        save_strategy="steps",
        save_steps=interval,
        load_best_model_at_end=True,
        metric_for_best_model="rouge2",
        greater_is_better=True,
        predict_with_generate=True,
        logging_first_step=True,
        logging_nan_inf_filter=False,  # a NaN/inf loss is logged as such, and StopOnNonFiniteLoss stops the run
        train_sampling_strategy="group_by_length",  # training batches only: evaluation keeps dataset order
        use_cpu=on_cpu(config.device),  # also for `auto` without CUDA: torchrun's CPU processes then train together
        report_to="none",
        dataloader_num_workers=0,
        # torchrun: every parameter is used at every step (tests/train/test_train_ddp.py), so DDP skips the
        # per-step search for unused ones, and a parameter left unused would be an error, not an untrained weight.
        ddp_find_unused_parameters=False,
    )


def make_trainer(
    config: TrainConfig, phase: str, model: Any, tokenizer: Any, train_ds: Any, eval_ds: Any, metric: RougeMetric,
    output_dir: Path, callbacks: list | None = None,
) -> Any:
    """A TflclsTrainer for a phase (train_ds may be None for evaluation only)."""
    from train.trainer import TflclsTrainer

    from train.divergence import StopOnNonFiniteLoss
    from train.progress import log_to_stderr

    n_train = len(train_ds) if train_ds is not None else 1
    trainer = TflclsTrainer(
        model=model,
        args=training_arguments(config, phase, output_dir, n_train),
        train_dataset=train_ds,
        eval_dataset=eval_ds,
        data_collator=DualCollator(tokenizer, pad_to_multiple_of=8 if (config.bf16 or config.fp16) else None),
        processing_class=tokenizer,
        compute_metrics=metric,
        callbacks=callbacks,
        lr_decay=config.lr_decay,
        loss_weight_lr=config.c_lr,
    )
    log_to_stderr(trainer, phase)  # stdout is for results; the Trainer's log lines go beside its bars
    trainer.add_callback(StopOnNonFiniteLoss(phase))  # after the log line, so the NaN step is shown first
    return trainer


def eval_kind(phase: str) -> str:
    """Stage 1 is validated on translation; every other phase on summarization (source text -> summary)."""
    return "translate" if PHASE_KIND[phase] == "translate" else "cls"


def save_best(model: Any, tokenizer: Any, best_dir: Path) -> None:
    """Save a standard mBART model (Stage 2: encoder + cl_decoder only) and the tokenizer, atomically."""
    from train.dual_decoder import MBartWithMonolingualDecoder, export_cls_model

    if isinstance(model, MBartWithMonolingualDecoder):
        model = export_cls_model(model)
    tmp = best_dir.with_name(best_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    shutil.rmtree(best_dir, ignore_errors=True)
    tmp.rename(best_dir)


def best_validation(log_history: list[dict[str, Any]], best_checkpoint: str | None) -> dict[str, float]:
    """Validation ROUGE of the best checkpoint, read from the evaluation logged at its step."""
    evals = [entry for entry in log_history if "eval_rouge2" in entry]
    if best_checkpoint:
        step = int(Path(best_checkpoint).name.rsplit("-", 1)[-1])
        evals = [entry for entry in evals if entry["step"] == step] or evals
    best = max(evals, key=lambda entry: entry["eval_rouge2"])
    return {key: best[f"eval_{key}"] for key in ROUGE_KEYS}


def run_phase(
    phase: str, config: TrainConfig, splits: Splits, init: str | Path, callbacks: list | None = None,
    backbone: str | None = None,
) -> PhaseResult:
    """Train one phase from `init` (or resume it, or skip it when finished); return its result.

    `backbone`: the fingerprint of the backbone weights the run began on, written into phase.json so
    that a finished phase says what it was trained from (train.run refuses to build on it otherwise).
    """
    from transformers.trainer_utils import get_last_checkpoint

    phase_dir = config.out / phase
    best_dir = phase_dir / "best"
    if (best_dir / PHASE_DONE).is_file():
        done = json.loads((best_dir / PHASE_DONE).read_text(encoding="utf-8"))
        return PhaseResult(**{**done, "best_dir": str(best_dir)})  # the run folder may have moved
    phase_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(init, splits)
    model = load_phase_model(phase, config, init)
    configure_generation(model, tokenizer, config)
    validation = splits.validation
    if config.max_eval_samples:
        validation = validation.select(range(min(config.max_eval_samples, len(validation))))
    lengths = (config.max_source_length, config.max_target_length)
    train_ds = tokenize_split(splits.train, tokenizer, PHASE_KIND[phase], *lengths)
    eval_ds = tokenize_split(validation, tokenizer, eval_kind(phase), *lengths)
    metric = RougeMetric(validation["target_summary"], splits.target_lang, tokenizer, eval_ds["labels"])
    trainer = make_trainer(config, phase, model, tokenizer, train_ds, eval_ds, metric, phase_dir, callbacks)
    started = time.time()
    trainer.train(resume_from_checkpoint=get_last_checkpoint(str(phase_dir)))
    state = trainer.state
    result = PhaseResult(
        best_dir=str(best_dir),
        validation=best_validation(state.log_history, state.best_model_checkpoint),
        best_checkpoint=state.best_model_checkpoint,
        steps=state.global_step,
        time_s=round(time.time() - started, 3),
        log_history=state.log_history,
        backbone=backbone,
    )
    if trainer.is_world_process_zero():  # under torchrun, one process writes
        save_best(trainer.model, tokenizer, best_dir)
        write_text_atomic(best_dir / PHASE_DONE, json.dumps(asdict(result), indent=1))
    trainer.accelerator.wait_for_everyone()
    return result
