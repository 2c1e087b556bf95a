"""The options of one training run (the `clsforge train` flags), with the paper's defaults."""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from train.registry import LOSSES, METHODS, check_loss, check_method, phases_of

DEVICES = ("auto", "cpu", "cuda")
NO_MONO_SETTINGS = ("stage2", "stage1")  # the w/o-Mul CLS phase: the paper's reading, the authors' code

PHASE_KIND = {"stage1": "translate", "cls": "cls", "stage2": "dual"}


@dataclass(frozen=True)
class Bounds:
    """The values a numeric option takes: finite, above `low` (or equal to it when `low_ok`), at most `high`.

    NaN compares False with everything, so `value <= 0` lets it through: `holds` asks for finiteness first.
    """

    low: float = 0
    low_ok: bool = False
    high: float | None = None
    what: str = ""  # the meaning of the bound itself when it is allowed ("0: off")

    def holds(self, value: float) -> bool:
        """True when `value` is a finite number inside the bounds (bools are not numbers here)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return False
        above = value >= self.low if self.low_ok else value > self.low
        return above and (self.high is None or value <= self.high)

    def describe(self, whole: bool) -> str:
        """The range in words, for the error message: "a finite positive number", "an integer >= 0"."""
        kind = "an integer" if whole else "a finite number"
        if self.low == 0 and not self.low_ok and self.high is None:
            return "a positive integer" if whole else "a finite positive number"
        low = f"{'>=' if self.low_ok else '>'} {_number(self.low)}"
        text = f"{kind} {low}" if self.high is None else f"{kind} {low} and <= {_number(self.high)}"
        return f"{text} ({self.what})" if self.what else text


def _number(value: float) -> str:
    """A bound as written in a message: 4294967295, not 4.29497e+09; 0.5 as 0.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


POSITIVE = Bounds()  # 0 would divide by zero, stop generation, or silently mean "the default"
FACTOR = Bounds(high=1)  # a decay factor: 1 keeps the lr, above 1 would grow it
CLIPPING = Bounds(low_ok=True, what="0: no clipping")  # Hugging Face skips clipping at 0; below 0 it did so silently
SEED = Bounds(low_ok=True, high=2**32 - 1)  # numpy's seed range (transformers.set_seed seeds numpy too)
OFF_AT_ZERO = Bounds(low_ok=True, what="0: off")


@dataclass(frozen=True)
class PhaseSettings:
    """Optimiser settings of one phase."""

    batch_size: int
    grad_accum: int
    lr: float


def option(
    default: Any = MISSING, help: str = "", trainer: str | tuple[str, ...] | None = None, bounds: Bounds | None = None
) -> Any:
    """A TrainConfig field: its default, its help text (with units), the Seq2SeqTrainingArguments field(s)
    it is passed to unchanged (`trainer`), if any, and for a number the values it takes (`bounds`; every
    int and float option has them). The CLI, the recipe and the Trainer read these."""
    metadata = {"help": help, "trainer": (trainer,) if isinstance(trainer, str) else trainer, "bounds": bounds}
    return field(metadata=metadata) if default is MISSING else field(default=default, metadata=metadata)


@dataclass
class TrainConfig:
    """Every option of one training run, declared once. Defaults follow the paper and the reference code.

    `clsforge train` (train.cli), the recipe's `training:` section (flows.recipe.TrainingSpec) and
    the Trainer's arguments (train.phase.training_arguments) are all derived from these fields.
    Stage 1 (translation) and plain CLS fine-tuning use the `stage1_*` settings (batch 4 x 4, lr
    5e-5), as the reference code runs its CLS baseline; Stage 2 (two decoders) uses `stage2_*`
    (batch 2 x 8, lr 2.5e-5); the w/o-Mul ablation's CLS phase uses `no_mono_settings`.
    `batch_size`, `grad_accum` and `lr`, when given, override every phase.
    """

    method: str = option(help="Training method: " + ", ".join(METHODS) + ".")
    data: Path = option(help="Dataset directory (DIR/data/train_N.parquet, validation, test).")
    train_size: int = option(help="Which nested train subset, in examples: 1000, 3000, 5000.", bounds=POSITIVE)
    out: Path = option(help="Run folder: metrics.json, predictions.jsonl, model/.")
    model: str = option("facebook/mbart-large-cc25", "Backbone: a Hub name or a local folder.")
    loss: str = option("tflcls", "Stage-2 loss weighting: " + ", ".join(LOSSES) + " (tflcls: eq. 3.5; train.registry.LOSSES).")
    r: float = option(2.0, "Fixed ratio r of eq. 3.5 (no unit).", bounds=POSITIVE)
    c_lr: float | None = option(None, "Learning rate of c (or HU/RHU's s_i), per step; default: the phase's lr.", bounds=POSITIVE)
    epochs: float = option(10.0, "Epochs per phase.", trainer="num_train_epochs", bounds=POSITIVE)
    max_steps: int | None = option(None, "Cap on optimizer steps per phase (smoke runs).", bounds=POSITIVE)
    batch_size: int | None = option(None, "Examples per device and forward pass, all phases (overrides stage*_).", bounds=POSITIVE)
    grad_accum: int | None = option(None, "Gradient accumulation, in forward passes per step, all phases.", bounds=POSITIVE)
    lr: float | None = option(None, "Learning rate, all phases (overrides stage*_lr).", bounds=POSITIVE)
    stage1_batch_size: int = option(4, "Stage-1 / CLS examples per device and forward pass.", bounds=POSITIVE)
    stage1_grad_accum: int = option(4, "Stage-1 / CLS forward passes per optimizer step.", bounds=POSITIVE)
    stage1_lr: float = option(5e-5, "Stage-1 and plain CLS learning rate.", bounds=POSITIVE)
    stage2_batch_size: int = option(2, "Stage-2 examples per device and forward pass.", bounds=POSITIVE)
    stage2_grad_accum: int = option(8, "Stage-2 forward passes per optimizer step.", bounds=POSITIVE)
    stage2_lr: float = option(2.5e-5, "Stage-2 (two decoders) learning rate.", bounds=POSITIVE)
    no_mono_settings: str = option(
        "stage2", "no-mono (w/o Mul) CLS phase at stage2 settings (the paper's reading: only the monolingual "
        "decoder differs from TFLCLS) or stage1 settings (the authors' code).")
    lr_decay: float = option(0.95, "lr factor applied at each epoch start, in (0, 1].", bounds=FACTOR)
    max_grad_norm: float = option(1.0, "Gradient clipping, L2 norm (0: no clipping).", trainer="max_grad_norm", bounds=CLIPPING)
    seed: int = option(0, "Seed of weights init, dropout and data order.", trainer=("seed", "data_seed"), bounds=SEED)
    device: str = option("auto", "auto, cpu or cuda.")
    bf16: bool = option(False, "bf16 mixed precision (CUDA GPU only; refused on the CPU).", trainer="bf16")
    fp16: bool = option(False, "fp16 mixed precision (CUDA GPU only; refused on the CPU).", trainer="fp16")
    gradient_checkpointing: bool = option(False, "Recompute activations to save memory.",
                                          trainer="activation_checkpointing")
    max_source_length: int = option(768, "Source truncation, in tokens.", bounds=POSITIVE)
    max_target_length: int = option(128, "Summary (label) truncation, in tokens.", bounds=POSITIVE)
    num_beams: int = option(4, "Beam size of generation.", trainer="generation_num_beams", bounds=POSITIVE)
    generation_max_length: int = option(128, "Longest generated summary, in tokens.",
                                        trainer="generation_max_length", bounds=POSITIVE)
    no_repeat_ngram_size: int = option(3, "Generation never repeats an n-gram of this size (0: off).", bounds=OFF_AT_ZERO)
    eval_batch_size: int = option(8, "Examples per device when generating.", trainer="per_device_eval_batch_size", bounds=POSITIVE)
    eval_steps: int | None = option(None, "Validate and checkpoint every N optimizer steps (default: once an epoch).", bounds=POSITIVE)
    max_eval_samples: int | None = option(
        None, "Validation examples used for checkpoint selection (default all; the test set is always whole).", bounds=POSITIVE)
    logging_steps: int = option(10, "Log the training loss every N optimizer steps.", trainer="logging_steps", bounds=POSITIVE)
    save_total_limit: int = option(2, "Checkpoints kept per phase (the best and the last).",
                                   trainer="save_total_limit", bounds=POSITIVE)
    overwrite: bool = option(False, "Start over in an OUT that holds a run with other options.")

    def __post_init__(self) -> None:
        self.data, self.out = Path(self.data), Path(self.out)
        check_method(self.method)
        check_loss(self.loss)
        if self.device not in DEVICES:
            raise ValueError(f"unknown device {self.device!r}; choose one of {', '.join(DEVICES)}")
        if self.no_mono_settings not in NO_MONO_SETTINGS:
            raise ValueError(f"unknown no-mono-settings {self.no_mono_settings!r}; choose stage2 or stage1")
        if self.bf16 and self.fp16:
            raise ValueError("choose at most one of --bf16 and --fp16")
        for option_field in fields(self):
            bounds, value = option_field.metadata.get("bounds"), getattr(self, option_field.name)
            if bounds is None or value is None:  # an optional one is None for "the default"
                continue
            whole = "int" in str(option_field.type)
            if not bounds.holds(value) or (whole and not float(value).is_integer()):
                flag = "--" + option_field.name.replace("_", "-")
                raise ValueError(f"{flag} must be {bounds.describe(whole)}")

    @property
    def phases(self) -> tuple[str, ...]:
        """The method's phases, in order."""
        return phases_of(self.method)

    def phase_settings(self, phase: str) -> PhaseSettings:
        """Batch size, accumulation and lr of a phase, after the global overrides."""
        at_stage2 = METHODS[self.method].takes_no_mono_settings and phase == "cls" and self.no_mono_settings == "stage2"
        prefix = "stage2" if PHASE_KIND[phase] == "dual" or at_stage2 else "stage1"
        return PhaseSettings(
            batch_size=self.batch_size or getattr(self, f"{prefix}_batch_size"),
            grad_accum=self.grad_accum or getattr(self, f"{prefix}_grad_accum"),
            lr=self.lr or getattr(self, f"{prefix}_lr"),
        )

    def to_json(self) -> dict[str, Any]:
        """The options as JSON-ready values."""
        values = asdict(self)
        values["data"], values["out"] = str(self.data), str(self.out)
        return values


# What the recipe's `training:` section does not take from TrainConfig: the grid sets these per cell.
PER_RUN = ("method", "data", "train_size", "out", "loss", "model", "overwrite")


def trainer_options(config: TrainConfig) -> dict[str, Any]:
    """The Seq2SeqTrainingArguments values that options map to unchanged (their `trainer` metadata)."""
    return {name: getattr(config, f.name) for f in fields(config) for name in f.metadata.get("trainer") or ()}
