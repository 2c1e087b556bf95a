"""Bad `clsforge train` input fails early, with a clear message, before anything is written."""

from __future__ import annotations

import pytest
import torch

from train.config import TrainConfig
from train.run import check_run_folder, run_training


@pytest.mark.parametrize(
    "option", ["batch_size", "grad_accum", "lr", "c_lr", "eval_steps", "max_eval_samples", "num_beams", "r", "lr_decay"]
)
def test_a_zero_or_negative_numeric_option_is_refused(tmp_path, option):
    with pytest.raises(ValueError, match=f"^{option.replace('_', '-')} must be positive$"):
        TrainConfig(method="tflcls", data=tmp_path, train_size=4, out=tmp_path / "out", **{option: 0})


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
