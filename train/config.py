"""The options of one training run (the `clsforge train` flags), with the paper's defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

METHODS = ("tflcls", "mbart-cls", "no-stage1", "no-mono")
DEVICES = ("auto", "cpu", "cuda")
LOSS_SCHEMES = ("tflcls", "sum", "hu", "rhu")  # see train.losses

# Which phases each method runs, in order. `translate` = Stage 1; `dual` = Stage 2 (two decoders,
# adaptive loss); `cls` = plain CLS fine-tuning (mBART-CLS, and the w/o-Mul ablation's second stage).
PHASES = {
    "tflcls": ("stage1", "stage2"),
    "mbart-cls": ("cls",),
    "no-stage1": ("stage2",),
    "no-mono": ("stage1", "cls"),
}
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


@dataclass
class TrainConfig:
    """Everything `run_training` needs. Defaults follow the paper and the reference code.

    Stage 1 (translation) and plain CLS fine-tuning use the `stage1_*` settings (batch 4 x 4, lr
    5e-5), as the reference code runs its CLS baseline; Stage 2 (two decoders) uses `stage2_*`
    (batch 2 x 8, lr 2.5e-5). `batch_size`, `grad_accum` and `lr`, when given, override every phase.
    """

    method: str
    data: Path
    train_size: int
    out: Path
    model: str = "facebook/mbart-large-cc25"
    loss: str = "tflcls"
    r: float = 2.0
    c_lr: float | None = None  # learning rate of c (or HU/RHU's s_i); None = the phase's lr (the paper's)
    epochs: float = 10
    max_steps: int | None = None  # caps each phase (smoke runs)
    batch_size: int | None = None
    grad_accum: int | None = None
    lr: float | None = None
    stage1_batch_size: int = 4
    stage1_grad_accum: int = 4
    stage1_lr: float = 5e-5
    stage2_batch_size: int = 2
    stage2_grad_accum: int = 8
    stage2_lr: float = 2.5e-5
    lr_decay: float = 0.95
    max_grad_norm: float = 1.0
    seed: int = 0
    device: str = "auto"
    bf16: bool = False
    fp16: bool = False
    gradient_checkpointing: bool = False
    max_source_length: int = 768
    max_target_length: int = 128
    num_beams: int = 4
    generation_max_length: int = 128
    no_repeat_ngram_size: int = 3
    eval_batch_size: int = 8
    eval_steps: int | None = None  # validate (and checkpoint) every N optimizer steps; None = once per epoch
    max_eval_samples: int | None = None  # validation subset for checkpoint selection (the test set is always whole)
    logging_steps: int = 10
    save_total_limit: int = 2
    overwrite: bool = False  # start over in an OUT that holds a run with other options

    def __post_init__(self) -> None:
        self.data, self.out = Path(self.data), Path(self.out)
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}")
        if self.loss not in LOSS_SCHEMES:
            raise ValueError(f"unknown loss {self.loss!r}; choose one of {', '.join(LOSS_SCHEMES)}")
        if self.device not in DEVICES:
            raise ValueError(f"unknown device {self.device!r}; choose one of {', '.join(DEVICES)}")
        if self.bf16 and self.fp16:
            raise ValueError("choose at most one of --bf16 and --fp16")
        for name in POSITIVE + OPTIONAL_POSITIVE:  # an optional one is None for "the default"
            if getattr(self, name) is not None and getattr(self, name) <= 0:
                raise ValueError(f"{name.replace('_', '-')} must be positive")

    @property
    def phases(self) -> tuple[str, ...]:
        """The method's phases, in order."""
        return PHASES[self.method]

    def phase_settings(self, phase: str) -> PhaseSettings:
        """Batch size, accumulation and lr of a phase, after the global overrides."""
        prefix = "stage2" if PHASE_KIND[phase] == "dual" else "stage1"
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
