"""Bad `clsforge train` input fails early, with a clear message, before anything is written."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import json

import pytest
import torch

from train.config import TrainConfig
from train.run import check_run_folder, run_training

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "option", ["batch_size", "grad_accum", "lr", "c_lr", "eval_steps", "max_eval_samples", "num_beams", "r", "lr_decay"]
)
def test_a_zero_or_negative_numeric_option_is_refused(tmp_path, option):
    kind = "a finite positive number" if option in FLOATS else "a positive integer"
    message = EXPECTED_NON_FINITE.get(option, f"--{option.replace('_', '-')} must be {kind}")
    for value in (0, -1):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            TrainConfig(method="tflcls", data=tmp_path, train_size=4, out=tmp_path / "out", **{option: value})


FLOATS = [f.name for f in fields(TrainConfig) if f.type in ("float", "float | None")]


def test_every_numeric_option_declares_its_bounds():
    numeric = [f.name for f in fields(TrainConfig) if f.type in ("int", "float", "int | None", "float | None")]
    assert len(numeric) == 27
    assert [name for name in numeric if fields_by_name()[name].metadata["bounds"] is None] == []
    assert FLOATS == ["r", "c_lr", "epochs", "lr", "stage1_lr", "stage2_lr", "lr_decay", "max_grad_norm"]


def fields_by_name():
    return {f.name: f for f in fields(TrainConfig)}


EXPECTED_NON_FINITE = {
    "lr_decay": "--lr-decay must be a finite number > 0 and <= 1",
    "max_grad_norm": "--max-grad-norm must be a finite number >= 0 (0: no clipping)",
}


@pytest.mark.parametrize("option", FLOATS)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_nan_or_infinite_float_option_is_refused(tmp_path, option, value):
    message = EXPECTED_NON_FINITE.get(option, f"--{option.replace('_', '-')} must be a finite positive number")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        TrainConfig(method="tflcls", data=tmp_path, train_size=4, out=tmp_path / "out", **{option: value})


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("max_grad_norm", -1.0, "--max-grad-norm must be a finite number >= 0 (0: no clipping)"),
        ("lr_decay", 1.5, "--lr-decay must be a finite number > 0 and <= 1"),
        ("seed", -1, "--seed must be an integer >= 0 and <= 4294967295"),
        ("seed", 2**32, "--seed must be an integer >= 0 and <= 4294967295"),
        ("no_repeat_ngram_size", -1, "--no-repeat-ngram-size must be an integer >= 0 (0: off)"),
        ("save_total_limit", 0, "--save-total-limit must be a positive integer"),
        ("num_beams", 2.5, "--num-beams must be a positive integer"),
        ("train_size", True, "--train-size must be a positive integer"),
    ],
)
def test_an_option_out_of_its_range_is_refused(tmp_path, option, value, message):
    options = {"train_size": 4, option: value}
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        TrainConfig(method="tflcls", data=tmp_path, out=tmp_path / "out", **options)


@pytest.mark.parametrize(("option", "value"), [("max_grad_norm", 0.0), ("no_repeat_ngram_size", 0), ("seed", 2**32 - 1), ("lr_decay", 1.0)])
def test_the_edge_of_a_range_is_accepted(tmp_path, option, value):
    config = TrainConfig(method="tflcls", data=tmp_path, train_size=4, out=tmp_path / "out", **{option: value})
    assert getattr(config, option) == value


@pytest.mark.parametrize(("flag", "message"), [("--r", "--r must be a finite positive number"),
                                               ("--lr", "--lr must be a finite positive number"),
                                               ("--epochs", "--epochs must be a finite positive number")])
def test_clsforge_train_refuses_nan_in_one_line_with_exit_2(tmp_path, flag, message):
    command = [sys.executable, "-c", "from flows.cli import main; main()", "train", "--method", "tflcls",
               "--data", str(tmp_path), "--train-size", "4", "--out", str(tmp_path / "out"), flag, "nan"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stderr, done.stdout) == (2, f"clsforge: error: {message}\n", "")
    assert not (tmp_path / "out").exists()


def test_a_missing_dataset_directory_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"^dataset directory {tmp_path / 'none'} does not exist$"):
        run_training(method="mbart-cls", data=tmp_path / "none", train_size=4, out=tmp_path / "out")


def test_a_missing_model_path_fails_before_the_run_folder_is_written(tmp_path, tiny_dataset):
    out = tmp_path / "out"
    with pytest.raises(FileNotFoundError, match=f"^model path {tmp_path / 'nope'} does not exist"):
        run_training(method="mbart-cls", data=tiny_dataset, train_size=4, out=out, model=str(tmp_path / "nope"))
    assert not out.exists()  # a later run with the right --model is not refused as "another run"


def test_cuda_without_a_gpu_fails_before_the_run_folder_is_written(tmp_path, tiny_dataset, tiny_model, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="^--device cuda asked for, but torch sees no CUDA device$"):
        run_training(method="mbart-cls", data=tiny_dataset, train_size=4, out=out, model=str(tiny_model), device="cuda")
    assert not out.exists()


def test_the_run_folder_knows_its_dataset_however_the_path_is_spelt(tmp_path, monkeypatch, make_dataset):
    make_dataset(tmp_path / "a" / "ds", (4,))
    make_dataset(tmp_path / "b" / "ds", (4,))
    out = tmp_path / "out"
    check_run_folder(TrainConfig(method="tflcls", data=tmp_path / "a" / "ds", train_size=4, out=out))
    (out / "metrics.json").write_text("{}", encoding="utf-8")  # a finished run: its options are locked
    monkeypatch.chdir(tmp_path / "a")
    check_run_folder(TrainConfig(method="tflcls", data="ds", train_size=4, out=out))  # the same folder: accepted
    monkeypatch.chdir(tmp_path / "b")
    with pytest.raises(ValueError, match=r"holds a run with other options \(--data \S+/a/ds -> \S+/b/ds\)"):  # same spelling, another folder
        check_run_folder(TrainConfig(method="tflcls", data="ds", train_size=4, out=out))


@pytest.mark.parametrize(("flag", "device"), [("fp16", "cpu"), ("bf16", "cpu"), ("fp16", "auto")])
def test_mixed_precision_on_the_cpu_fails_before_the_run_folder_is_written(
    tmp_path, tiny_dataset, tiny_model, monkeypatch, flag, device
):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # --device auto then means the CPU
    out = tmp_path / "out"
    message = f"^--{flag} needs a CUDA GPU, but this run is on the CPU \\(--device {device}\\)$"
    with pytest.raises(ValueError, match=message):
        run_training(method="mbart-cls", data=tiny_dataset, train_size=4, out=out, model=str(tiny_model),
                     device=device, **{flag: True})
    assert not out.exists()


def test_cli_mixed_precision_on_the_cpu_is_a_one_line_error(tmp_path, tiny_dataset, tiny_model):
    from tests.cli import clsforge

    out = tmp_path / "out"
    done = clsforge("train", "--method", "mbart-cls", "--data", str(tiny_dataset), "--train-size", "4",
                    "--out", str(out), "--model", str(tiny_model), "--device", "cpu", "--fp16")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "clsforge: error: --fp16 needs a CUDA GPU, but this run is on the CPU (--device cpu)\n")
    assert not out.exists()


def test_a_run_on_overlapping_splits_says_so_records_it_and_is_left_out_of_the_report(tmp_path, tiny_dataset, tiny_model, capfd):
    # The tiny fixture's test split repeats train_8 records (so that a tiny model can learn something):
    # a real dataset never does (export and publish refuse it). The run warns, records it, and the report skips it.
    from train.report import gather

    out = tmp_path / "run"
    run_training(method="mbart-cls", data=tiny_dataset, train_size=8, model=str(tiny_model), out=out, max_steps=1,
                 batch_size=2, grad_accum=1, device="cpu", eval_batch_size=2, num_beams=1, generation_max_length=8)
    err = capfd.readouterr().err
    assert f"clsforge: warning: {tiny_dataset}: the splits overlap (test and train share 3 ids and 3 source texts; " in err
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["split_overlaps"] == ["test and train share 3 ids and 3 source texts",
                                         "train and validation share 3 ids and 3 source texts"]
    runs, skipped = gather([out])
    assert runs == [] and skipped == [f"{out / 'metrics.json'} (its dataset's splits overlap: "
                                      "test and train share 3 ids and 3 source texts; train and validation share 3 ids and 3 source texts)"]
