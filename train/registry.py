"""The registries of training methods and Stage-2 loss schemes. The CLI, the recipe and the docs read them.

- METHODS: method name -> its phases, in order. `stage1` = translation (Stage 1); `stage2` = two
  decoders with the adaptive loss; `cls` = plain CLS fine-tuning (mBART-CLS, the w/o-Mul ablation).
- LOSSES: loss scheme name -> factory `(r: float) -> train.losses.LossWeighting` (an nn.Module whose
  parameters live in the Stage-2 model). torch is imported inside the factories, never here, so the
  recipe and the CLI load without it.

A new one is `register_method(name, phases)` or `register_loss(name, factory)`; `clsforge train`,
the recipe's `training:` section and the fine-tuning grid then all accept it.
"""

from __future__ import annotations

from typing import Any, Callable

PHASE_KINDS = ("stage1", "stage2", "cls")
METHODS: dict[str, tuple[str, ...]] = {}
LOSSES: dict[str, Callable[[float], Any]] = {}


def register_method(name: str, phases: tuple[str, ...]) -> None:
    """Add (or replace) method `name` running `phases` (each one of PHASE_KINDS) in order."""
    unknown = [p for p in phases if p not in PHASE_KINDS]
    if not phases or unknown:
        raise ValueError(f"method {name!r}: phases must be a non-empty list of {', '.join(PHASE_KINDS)}")
    METHODS[name] = tuple(phases)


def register_loss(name: str, factory: Callable[[float], Any]) -> Callable[[float], Any]:
    """Add (or replace) loss scheme `name`; `factory(r)` returns its LossWeighting module."""
    LOSSES[name] = factory
    return factory


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


def _builtin(class_name: str, takes_r: bool = False) -> Callable[[float], Any]:
    def factory(r: float = 2.0) -> Any:
        from train import losses

        cls = getattr(losses, class_name)
        return cls(r) if takes_r else cls()

    factory.__doc__ = f"train.losses.{class_name}" + ("(r)" if takes_r else "()")
    return factory


register_method("tflcls", ("stage1", "stage2"))
register_method("mbart-cls", ("cls",))
register_method("no-stage1", ("stage2",))
register_method("no-mono", ("stage1", "cls"))

register_loss("tflcls", _builtin("TflclsWeighting", takes_r=True))  # eq. 3.5
register_loss("sum", _builtin("SumWeighting"))
register_loss("hu", _builtin("HuWeighting"))  # Kendall et al. (2018)
register_loss("rhu", _builtin("RhuWeighting"))  # Liebel & Koerner (2018)
