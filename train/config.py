"""The options of one training run (the `clsforge train` flags), with the paper's defaults."""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from train.registry import LOSSES, METHODS, check_loss, check_method, phases_of

DEVICES = ("auto", "cpu", "cuda")
NO_MONO_SETTINGS = ("stage2", "stage1")  # the w/o-Mul CLS phase: the paper's reading, the authors' code

PHASE_KIND = {"stage1": "translate", "cls": "cls", "stage2": "dual"}
# Numeric options that must be > 0 (0 would divide by zero, stop generation, or silently mean "the default").
POSITIVE = (
    "train_size", "epochs", "r", "stage1_batch_size", "stage1_grad_accum", "stage1_lr", "stage2_batch_size",
    "stage2_grad_accum", "stage2_lr", "lr_decay", "eval_batch_size", "max_source_length", "max_target_length",
    "num_beams", "generation_max_length", "logging_steps",
)
OPTIONAL_POSITIVE = ("max_steps", "batch_size", "grad_accum", "lr", "c_lr", "eval_steps", "max_eval_samples")


@dataclass(frozen=True)
class PhaseSettings:
    """Optimiser settings of one phase."""

    batch_size: int
    grad_accum: int
    lr: float


def option(default: Any = MISSING, help: str = "", trainer: str | tuple[str, ...] | None = None) -> Any:
    """A TrainConfig field: its default, its help text (with units), and the Seq2SeqTrainingArguments
    field(s) it is passed to unchanged (`trainer`), if any. The CLI, the recipe and the Trainer read these."""
    metadata = {"help": help, "trainer": (trainer,) if isinstance(trainer, str) else trainer}
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
    train_size: int = option(help="Which nested train subset, in examples: 1000, 3000, 5000.")
    out: Path = option(help="Run folder: metrics.json, predictions.jsonl, model/.")
    model: str = option("facebook/mbart-large-cc25", "Backbone: a Hub name or a local folder.")
    loss: str = option("tflcls", "Stage-2 loss weighting: " + ", ".join(LOSSES) + " (tflcls: eq. 3.5; train.registry.LOSSES).")
    r: float = option(2.0, "Fixed ratio r of eq. 3.5 (no unit).")
    c_lr: float | None = option(None, "Learning rate of c (or HU/RHU's s_i), per step; default: the phase's lr.")
    epochs: float = option(10.0, "Epochs per phase.", trainer="num_train_epochs")
    max_steps: int | None = option(None, "Cap on optimizer steps per phase (smoke runs).")
    batch_size: int | None = option(None, "Examples per device and forward pass, all phases (overrides stage*_).")
    grad_accum: int | None = option(None, "Gradient accumulation, in forward passes per step, all phases.")
    lr: float | None = option(None, "Learning rate, all phases (overrides stage*_lr).")
    stage1_batch_size: int = option(4, "Stage-1 / CLS examples per device and forward pass.")
    stage1_grad_accum: int = option(4, "Stage-1 / CLS forward passes per optimizer step.")
    stage1_lr: float = option(5e-5, "Stage-1 and plain CLS learning rate.")
    stage2_batch_size: int = option(2, "Stage-2 examples per device and forward pass.")
    stage2_grad_accum: int = option(8, "Stage-2 forward passes per optimizer step.")
    stage2_lr: float = option(2.5e-5, "Stage-2 (two decoders) learning rate.")
    no_mono_settings: str = option(
        "stage2", "no-mono (w/o Mul) CLS phase at stage2 settings (the paper's reading: only the monolingual "
        "decoder differs from TFLCLS) or stage1 settings (the authors' code).")
    lr_decay: float = option(0.95, "lr factor applied at each epoch start.")
    max_grad_norm: float = option(1.0, "Gradient clipping, L2 norm.", trainer="max_grad_norm")
    seed: int = option(0, "Seed of weights init, dropout and data order.", trainer=("seed", "data_seed"))
    device: str = option("auto", "auto, cpu or cuda.")
    bf16: bool = option(False, "bf16 mixed precision (CUDA GPU only; refused on the CPU).", trainer="bf16")
    fp16: bool = option(False, "fp16 mixed precision (CUDA GPU only; refused on the CPU).", trainer="fp16")
    gradient_checkpointing: bool = option(False, "Recompute activations to save memory.",
                                          trainer="activation_checkpointing")
    max_source_length: int = option(768, "Source truncation, in tokens.")
    max_target_length: int = option(128, "Summary (label) truncation, in tokens.")
    num_beams: int = option(4, "Beam size of generation.", trainer="generation_num_beams")
    generation_max_length: int = option(128, "Longest generated summary, in tokens.",
                                        trainer="generation_max_length")
    no_repeat_ngram_size: int = option(3, "Generation never repeats an n-gram of this size (0: off).")
    eval_batch_size: int = option(8, "Examples per device when generating.", trainer="per_device_eval_batch_size")
    eval_steps: int | None = option(None, "Validate and checkpoint every N optimizer steps (default: once an epoch).")
    max_eval_samples: int | None = option(
        None, "Validation examples used for checkpoint selection (default all; the test set is always whole).")
    logging_steps: int = option(10, "Log the training loss every N optimizer steps.", trainer="logging_steps")
    save_total_limit: int = option(2, "Checkpoints kept per phase (the best and the last).",
                                   trainer="save_total_limit")
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
        for name in POSITIVE + OPTIONAL_POSITIVE:  # an optional one is None for "the default"
            if getattr(self, name) is not None and getattr(self, name) <= 0:
                raise ValueError(f"{name.replace('_', '-')} must be positive")

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
