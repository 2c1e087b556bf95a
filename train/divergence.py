"""Stop a run whose training loss became NaN or infinite, with one line naming the phase and the step.

transformers has no option that stops on a non-finite loss: its `logging_nan_inf_filter` (on by
default) instead replaces such a step's loss by the running average in the log, and the run goes on
to write NaN weights and NaN metrics. clsforge turns that filter off (train.phase.training_arguments)
so the logged loss shows the NaN, and this callback stops the run at the first log that holds one.
"""

from __future__ import annotations

import math
from typing import Any

from transformers import TrainerCallback

WATCHED = ("loss",)  # the training loss; grad_norm may be inf on an fp16 step the loss scaler skips, by design


class TrainingDiverged(ValueError):
    """The training loss of a phase is NaN or infinite: the options (lr, --r, precision) make it diverge."""


class StopOnNonFiniteLoss(TrainerCallback):
    """Raises TrainingDiverged from `on_log` when a logged training loss is NaN or +-inf.

    The loss is logged every `--logging-steps` optimizer steps (and at step 1) as the mean since the
    last log, so a NaN in any step of that window shows; the step named is the logging step. Every
    process sees the same (gathered) value under torchrun, so every process stops.
    """

    def __init__(self, phase: str) -> None:
        self.phase = phase

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        for key in WATCHED:
            value = (logs or {}).get(key)
            if isinstance(value, (int, float)) and not math.isfinite(value):
                control.should_training_stop = True
                raise TrainingDiverged(
                    f"{self.phase}: the training {key} became {value} by step {state.global_step}; "
                    "no model or metrics were written (try a lower --lr, or check --r and --fp16/--bf16)"
                )
