"""A run whose training loss becomes NaN or inf stops with one line naming the phase and step; no metrics."""

from __future__ import annotations

import json
import math

import pytest
from transformers import TrainerControl, TrainerState, TrainingArguments

from train.divergence import StopOnNonFiniteLoss, TrainingDiverged
from train.run import metrics_text, run_training


@pytest.mark.parametrize(("loss", "shown"), [(math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf")])
def test_a_non_finite_logged_loss_stops_the_run(tmp_path, loss, shown):
    state, control = TrainerState(global_step=7), TrainerControl()
    callback = StopOnNonFiniteLoss("stage2")
    message = (f"stage2: the training loss became {shown} by step 7; no model or metrics were written "
               "(try a lower --lr, or check --r and --fp16/--bf16)")
    with pytest.raises(TrainingDiverged, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        callback.on_log(TrainingArguments(tmp_path, report_to="none"), state, control, logs={"loss": loss})
    assert control.should_training_stop is True


def test_finite_logs_and_an_inf_grad_norm_go_on(tmp_path):
    state, control = TrainerState(global_step=3), TrainerControl()
    callback = StopOnNonFiniteLoss("stage1")
    args = TrainingArguments(tmp_path, report_to="none")
    callback.on_log(args, state, control, logs={"loss": 7.5, "grad_norm": math.inf})  # fp16: a skipped step
    callback.on_log(args, state, control, logs={"eval_rouge2": 0.0})
    assert control.should_training_stop is False


def test_a_diverging_run_fails_and_writes_no_metrics(tiny_dataset, tiny_model, tmp_path, capsys):
    out = tmp_path / "run"
    with pytest.raises(TrainingDiverged, match=r"^cls: the training loss became (nan|inf) by step 2; "):
        run_training(method="mbart-cls", data=tiny_dataset, train_size=4, out=out, model=str(tiny_model),
                     device="cpu", lr=1e30, max_steps=3, batch_size=2, grad_accum=1, logging_steps=1, num_beams=1,
                     generation_max_length=8, max_source_length=32, max_target_length=16, eval_batch_size=8)
    assert not (out / "metrics.json").exists()
    assert not (out / "cls" / "best").exists()
    err = capsys.readouterr().err
    assert "cls step 1: loss " in err and ("cls step 2: loss nan" in err or "cls step 2: loss inf" in err)


def test_metrics_json_is_never_written_with_nan(tmp_path):
    metrics = {"method": "tflcls", "test": {"rouge1": 1.5, "rouge2": math.nan, "n": 2}, "loss_weights": {"c": math.inf},
               "phases": {"cls": {"validation": {"rougeL": 3.0}}}}
    path = tmp_path / "metrics.json"
    with pytest.raises(ValueError, match=r"^\S+/metrics\.json not written: test\.rouge2 \(nan\), loss_weights\.c \(inf\) not a finite number$"):
        metrics_text(metrics, path)
    del metrics["test"]["rouge2"], metrics["loss_weights"]
    assert json.loads(metrics_text(metrics, path)) == metrics
