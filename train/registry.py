"""The registries of training methods and Stage-2 loss schemes. The CLI, the recipe, the report, the
model card and the docs read them; no other file lists the names.

- METHODS: method name -> `Method` (its phases in order, its Table-2 row label and position, a
  one-sentence description for model cards, and where the paper defines it). Phases: `stage1` =
  translation (Stage 1); `stage2` = two decoders with the adaptive loss; `cls` = plain CLS
  fine-tuning (mBART-CLS, the w/o-Mul ablation).
- LOSSES: loss scheme name -> `Loss` (a factory `(r: float) -> train.losses.LossWeighting`, an
  nn.Module whose parameters live in the Stage-2 model, plus a description and a reference). torch
  is imported inside the factories, never here, so the recipe and the CLI load without it.

A new one is `register_method(name, phases, label=..., description=...)` or
`register_loss(name, factory, description=...)`; `clsforge train`, the recipe's `training:` section,
the fine-tuning grid, `clsforge report` (its Table-2 rows) and the model card then all accept it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

PHASE_KINDS = ("stage1", "stage2", "cls")
# Table-2 row of a method registered without one: after the paper's rows, in registration order.
LAST_ROW = 100


@dataclass(frozen=True)
class Method:
    """One training method.

    Attributes:
        name: the `--method` value.
        phases: phase kinds (PHASE_KINDS) run in order.
        label: its row label in `clsforge report`'s Table 2 (default: the name).
        description: what it is, one clause, for the model card (default: none).
        reference: where it is defined (a paper and section), for the card and docs (default: none).
        row: Table-2 position, smaller first; ties keep registration order (default LAST_ROW).
    """

    name: str
    phases: tuple[str, ...]
    label: str
    description: str = ""
    reference: str = ""
    row: int = LAST_ROW

    @property
    def takes_no_mono_settings(self) -> bool:
        """True when a `cls` phase follows `stage1` (the w/o-Mul shape): `--no-mono-settings` then decides
        that phase's batch, accumulation and lr; every other method ignores the option."""
        return "cls" in self.phases and "stage1" in self.phases[: self.phases.index("cls")]


@dataclass(frozen=True)
class Loss:
    """One Stage-2 loss scheme: `factory(r)` returns its LossWeighting module; description and reference as Method's."""

    name: str
    factory: Callable[[float], Any]
    description: str = ""
    reference: str = ""


METHODS: dict[str, Method] = {}
LOSSES: dict[str, Loss] = {}


def register_method(
    name: str, phases: tuple[str, ...], label: str | None = None, description: str = "", reference: str = "",
    row: int = LAST_ROW,
) -> Method:
    """Add (or replace) method `name` running `phases` (each one of PHASE_KINDS) in order; returns its entry.

    Raises ValueError (one line) for empty or unknown phases.
    """
    unknown = [p for p in phases if p not in PHASE_KINDS]
    if not phases or unknown:
        raise ValueError(f"method {name!r}: phases must be a non-empty list of {', '.join(PHASE_KINDS)}")
    METHODS[name] = Method(name, tuple(phases), label or name, description, reference, row)
    return METHODS[name]


def register_loss(name: str, factory: Callable[[float], Any], description: str = "", reference: str = "") -> Loss:
    """Add (or replace) loss scheme `name`; `factory(r)` returns its LossWeighting module; returns its entry."""
    LOSSES[name] = Loss(name, factory, description, reference)
    return LOSSES[name]


def check_method(name: str) -> str:
    """`name` if it is a registered method; ValueError (one line, listing the known names) if not."""
    if name not in METHODS:
        raise ValueError(f"unknown method {name!r}; choose one of {', '.join(METHODS)}")
    return name


def check_loss(name: str) -> str:
    """`name` if it is a registered loss scheme; ValueError (one line, listing the known names) if not."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}")
    return name


def phases_of(name: str) -> tuple[str, ...]:
    """The phases of registered method `name`, in order (ValueError for an unknown name, as check_method)."""
    return METHODS[check_method(name)].phases


def table_order() -> list[Method]:
    """The registered methods in Table-2 row order: by `row`, then registration order."""
    return sorted(METHODS.values(), key=lambda method: method.row)  # sorted() is stable


def _builtin(class_name: str, takes_r: bool = False) -> Callable[[float], Any]:
    def factory(r: float = 2.0) -> Any:
        from train import losses

        cls = getattr(losses, class_name)
        return cls(r) if takes_r else cls()

    factory.__doc__ = f"train.losses.{class_name}" + ("(r)" if takes_r else "()")
    return factory


PAPER = "Zhang et al. (2024), A two-stage fine-tuning method for low-resource cross-lingual summarization"
register_method(
    "tflcls", ("stage1", "stage2"), label="TFLCLS", row=4, reference=f"{PAPER}, section 3",
    description="the two-stage TFLCLS method of Zhang et al. (2024): Stage 1 on summary translation, Stage 2 "
                "with a second, monolingual decoder and the adaptive loss",
)
register_method(
    "mbart-cls", ("cls",), label="mBART-CLS (w/o TraMul)", row=1, reference=f"{PAPER}, Table 2",
    description="plain cross-lingual summarization fine-tuning of mBART (the paper's mBART-CLS baseline)",
)
register_method(
    "no-stage1", ("stage2",), label="TFLCLS w/o Tra", row=2, reference=f"{PAPER}, ablations",
    description="TFLCLS without its Stage 1 (the paper's w/o Tra ablation)",
)
register_method(
    "no-mono", ("stage1", "cls"), label="TFLCLS w/o Mul", row=3, reference=f"{PAPER}, ablations",
    description="TFLCLS without the monolingual decoder (the paper's w/o Mul ablation)",
)

register_loss("tflcls", _builtin("TflclsWeighting", takes_r=True), reference=f"{PAPER}, eq. 3.5",
              description="L_mls / (2 (r c)^2) + ln(1 + (r c)^2) + L_cls / (2 c^2) + ln(1 + c^2), c trainable, r fixed")
register_loss("sum", _builtin("SumWeighting"), description="L_cls + L_mls")
register_loss("hu", _builtin("HuWeighting"), reference="Kendall et al. (2018)",
              description="homoscedastic uncertainty: sum_i L_i / (2 s_i^2) + ln s_i, s_i trainable")
register_loss("rhu", _builtin("RhuWeighting"), reference="Liebel & Koerner (2018)",
              description="revised uncertainty: sum_i L_i / (2 s_i^2) + ln(1 + s_i^2), s_i trainable")
