"""On a tiny dataset the training loss falls by more than half; a killed Stage-2 run resumes its step count and c."""

from __future__ import annotations

import json

import pytest
from transformers import TrainerCallback

from train.run import run_training

FAST = dict(device="cpu", num_beams=1, generation_max_length=8, max_eval_samples=1, logging_steps=1,
            grad_accum=1, method="mbart-cls")


def test_training_loss_falls_by_more_than_half(tiny_dataset, tiny_model, tmp_path):
    run_training(data=tiny_dataset, train_size=4, model=str(tiny_model), out=tmp_path, max_steps=30, eval_steps=30,
                 batch_size=4, lr=1e-2, **FAST)
    history = json.loads((tmp_path / "cls" / "best" / "phase.json").read_text(encoding="utf-8"))["log_history"]
    losses = [entry["loss"] for entry in history if "loss" in entry]
    assert len(losses) == 30
    assert losses[-1] < losses[0] / 2


class KillAt(TrainerCallback):
    """Raises at the end of a given step, like a kill after the checkpoint before it."""

    def __init__(self, step: int):
        self.step = step

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            raise KeyboardInterrupt("killed")


class RecordSteps(TrainerCallback):
    """Records (global step, c) at the start of training and after every optimizer step of this session."""

    def __init__(self):
        self.steps: list[int] = []
        self.c: dict[int, float] = {}

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        self.c[state.global_step] = model.loss_weighting.c.item()

    def on_step_end(self, args, state, control, model=None, **kwargs):
        self.steps.append(state.global_step)
        self.c[state.global_step] = model.loss_weighting.c.item()


def test_stage2_resume_continues_the_step_count_and_c(tiny_dataset, tiny_model, tmp_path):
    options = dict(FAST, method="no-stage1", data=tiny_dataset, train_size=8, model=str(tiny_model), out=tmp_path,
                   max_steps=4, eval_steps=2, batch_size=2, lr=1e-2)
    killed = RecordSteps()
    with pytest.raises(KeyboardInterrupt):
        run_training(callbacks=[killed, KillAt(3)], **options)
    assert (tmp_path / "stage2" / "checkpoint-2").is_dir() and not (tmp_path / "metrics.json").exists()

    resumed = RecordSteps()
    metrics = run_training(callbacks=[resumed], **options)
    assert resumed.steps == [3, 4]
    assert killed.c[2] != 1.0 and resumed.c[2] == killed.c[2]  # c restored from checkpoint-2
    assert resumed.c[3] == pytest.approx(killed.c[3])
    assert metrics["steps"] == {"stage2": 4} and metrics["loss_weights"]["c"] == resumed.c[4]

    finished = RecordSteps()
    assert run_training(callbacks=[finished], **options)["steps"] == {"stage2": 4}
    assert finished.steps == []
