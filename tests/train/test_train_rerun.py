"""A rerun into a run folder: same options resume, other options are refused by name, --overwrite starts over."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from train.config import TrainConfig
from train.run import check_run_folder, run_training

CLSFORGE = str(Path(sys.executable).parent / "clsforge")
SMOKE = dict(method="mbart-cls", train_size=4, batch_size=2, grad_accum=1, device="cpu", num_beams=1,
             generation_max_length=8, eval_batch_size=4, logging_steps=1)


def options(out: Path) -> dict:
    return json.loads((out / "config.json").read_text(encoding="utf-8"))


def test_changed_options_are_refused_same_options_resume_and_overwrite_starts_over(tiny_dataset, tiny_model,
                                                                                   tmp_path):
    out = tmp_path / "run"
    first = run_training(data=tiny_dataset, model=str(tiny_model), out=out, max_steps=1, **SMOKE)
    done = out / "cls" / "best" / "phase.json"
    stamp = done.stat().st_mtime_ns

    with pytest.raises(ValueError) as refused:
        run_training(data=tiny_dataset, model=str(tiny_model), out=out, max_steps=2, lr=1e-3, **SMOKE)
    assert str(refused.value) == (
        f"{out} holds a run with other options (--max-steps 1 -> 2, --lr None -> 0.001): rerun with its options to "
        "resume it, add --overwrite to start over, or use a new --out"
    )
    assert options(out)["max_steps"] == 1 and options(out)["lr"] is None  # the record is not relabelled

    again = run_training(data=tiny_dataset, model=str(tiny_model), out=out, max_steps=1, **SMOKE)
    assert done.stat().st_mtime_ns == stamp  # the finished phase was reused, not retrained
    assert again["test"] == first["test"] and again["steps"] == {"cls": 1}

    fresh = run_training(data=tiny_dataset, model=str(tiny_model), out=out, max_steps=2, overwrite=True, **SMOKE)
    assert fresh["steps"] == {"cls": 2}
    assert options(out)["max_steps"] == 2
    assert json.loads(done.read_text(encoding="utf-8"))["steps"] == 2


def test_a_failed_run_does_not_lock_its_folder(tiny_dataset, tiny_model, tmp_path):
    broken = tmp_path / "not-a-model"
    broken.mkdir()
    (broken / "README.md").write_text("no weights here\n", encoding="utf-8")
    out = tmp_path / "run"
    with pytest.raises(ValueError, match=f"^cannot load a tokenizer from {broken}: "):
        run_training(data=tiny_dataset, model=str(broken), out=out, max_steps=1, **SMOKE)
    assert options(out)["model"] == str(broken)  # it got that far, and left no checkpoint
    metrics = run_training(data=tiny_dataset, model=str(tiny_model), out=out, max_steps=1, **SMOKE)
    assert metrics["steps"] == {"cls": 1} and options(out)["model"] == str(tiny_model)


def test_cli_refusal_is_one_line(tiny_dataset, tmp_path):
    out = tmp_path / "run"
    (out / "cls" / "checkpoint-1").mkdir(parents=True)
    (out / "config.json").write_text(json.dumps({"method": "mbart-cls", "epochs": 10}), encoding="utf-8")
    done = subprocess.run([CLSFORGE, "train", "--method", "mbart-cls", "--data", str(tiny_dataset), "--train-size", "4",
                           "--model", str(tmp_path), "--out", str(out), "--epochs", "1"], capture_output=True, text=True)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith(f"clsforge: error: {out} holds a run with other options (")
    assert "--epochs 10 -> 1.0" in done.stderr and "--overwrite" in done.stderr


def test_an_option_added_since_the_run_began_counts_as_its_default(tmp_path, make_dataset):
    make_dataset(tmp_path, (4,))
    out = tmp_path / "run"
    config = TrainConfig(method="no-mono", data=tmp_path, train_size=4, out=out)
    (out / "stage1" / "checkpoint-3").mkdir(parents=True)
    older = {k: v for k, v in config.to_json().items() if k != "no_mono_settings"} | {"data": str(tmp_path)}
    (out / "config.json").write_text(json.dumps(older), encoding="utf-8")
    check_run_folder(config)  # resumes
    assert options(out)["no_mono_settings"] == "stage2"
    with pytest.raises(ValueError, match=r"\(--no-mono-settings stage2 -> stage1\)"):
        check_run_folder(TrainConfig(method="no-mono", data=tmp_path, train_size=4, out=out, no_mono_settings="stage1"))


def test_a_dataset_rebuilt_in_place_is_not_resumed(tmp_path, make_dataset):
    data = make_dataset(tmp_path / "ds", (4,))
    out = tmp_path / "run"
    config = TrainConfig(method="mbart-cls", data=data, train_size=4, out=out)
    check_run_folder(config)
    (out / "cls" / "checkpoint-1").mkdir(parents=True)
    check_run_folder(config)  # unchanged: resumes
    test = data / "data" / "test.parquet"
    test.write_bytes(test.read_bytes().replace(b"doc3", b"docX"))
    with pytest.raises(ValueError, match=f"^{out} holds a run on other data: the dataset files at {data} changed"):
        check_run_folder(config)
