"""Which process this is under `torchrun` / `accelerate launch`, on GPUs and on CPU alike."""

from __future__ import annotations

from typing import Any


def on_cpu(device: str) -> bool:
    """True when a run with `--device` `device` (`auto`, `cpu`, `cuda`) trains on the CPU."""
    if device == "auto":
        import torch

        return not torch.cuda.is_available()
    return device == "cpu"


def process_state(device: str) -> Any:
    """accelerate's `PartialState` for a run on `device`: process count, rank, main process.

    `PartialState()` alone sees torchrun's processes only when CUDA is there: on a CPU-only machine
    it reports one process, and each of N processes then believes it is the main one (each wrote
    OUT/, racing on its files) and the Trainer, given `use_cpu=False`, trained N separate copies.
    For CPU runs the state must be asked for CPU processes (gloo backend) explicitly.
    """
    from accelerate import PartialState

    return PartialState(cpu=on_cpu(device))
