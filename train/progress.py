"""Where the Trainer's log lines go: stderr, beside its progress bar, never stdout.

transformers' ProgressCallback writes each log dict (`{'loss': '7.63', ...}`) through `tqdm.write`,
which prints to stdout, and its PrinterCallback (used with `disable_tqdm`) prints there too. clsforge
keeps stdout for results (the demo's summary, `summarize` output, JSON a script reads), so both are
replaced by this subclass, which only changes where the line is written. The full history stays in
each checkpoint's trainer_state.json.
"""

from __future__ import annotations

import sys
from typing import Any

from transformers import PrinterCallback, ProgressCallback, TrainerCallback


def log_line(phase: str, step: int, logs: dict[str, Any]) -> str:
    """`stage1 step 10: loss 7.633, grad_norm 0.6105, ...` (floats to 4 significant digits)."""
    shown = ", ".join(
        f"{key} {value:.4g}" if isinstance(value, float) else f"{key} {value}"
        for key, value in logs.items() if key != "total_flos"
    )
    return f"{phase} step {step}: {shown}"


class StderrLogCallback(TrainerCallback):
    """Writes each Trainer log to stderr as one line (log_line); used with `disable_tqdm`."""

    def __init__(self, phase: str) -> None:
        self.phase = phase

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        if state.is_world_process_zero and logs:
            print(log_line(self.phase, state.global_step, logs), file=sys.stderr, flush=True)


class StderrProgressCallback(ProgressCallback):
    """ProgressCallback (bars on stderr) whose log lines also go to stderr, above the bar."""

    def __init__(self, phase: str) -> None:
        super().__init__()
        self.phase = phase

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        if state.is_world_process_zero and logs and self.training_bar is not None:
            self.training_bar.write(log_line(self.phase, state.global_step, logs), file=sys.stderr)


def log_to_stderr(trainer: Any, phase: str) -> None:
    """Replace the trainer's stdout-printing callbacks (ProgressCallback, PrinterCallback) by ours."""
    trainer.remove_callback(ProgressCallback)
    trainer.remove_callback(PrinterCallback)
    trainer.add_callback(StderrLogCallback(phase) if trainer.args.disable_tqdm else StderrProgressCallback(phase))
