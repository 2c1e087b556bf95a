"""A rerun into a run folder: same options resume, other options are refused by name, --overwrite starts over."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.train.conftest import corpus_texts
from train.config import TrainConfig
from train.run import check_run_folder, run_training
from train.tiny import build_tiny_mbart

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


def weights_sha(model: Path) -> str:
    """The backbone fingerprint computed here from the bytes: SHA-256 over the weight file's SHA-256."""
    inner = hashlib.sha256((model / "model.safetensors").read_bytes()).digest()
    return hashlib.sha256(inner).hexdigest()


def rebuild(model: Path, seed: int) -> None:
    """Other weights at the same path (a retrained or re-downloaded backbone)."""
    shutil.rmtree(model)
    build_tiny_mbart(model, corpus_texts(), vocab_size=300, seed=seed)


def test_backbone_weights_changed_at_the_same_path_are_not_resumed(tmp_path, make_dataset, tiny_model):
    data = make_dataset(tmp_path / "ds", (4,))
    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    out = tmp_path / "run"
    config = TrainConfig(method="mbart-cls", data=data, train_size=4, model=str(model), out=out)
    check_run_folder(config)
    old = weights_sha(model)
    record = json.loads((out / "backbone.json").read_text(encoding="utf-8"))
    assert (record["name"], record["fingerprint"]) == (str(model), old)
    assert [row[:2] for row in record["files"]] == [["model.safetensors", (model / "model.safetensors").stat().st_size]]
    (out / "cls" / "checkpoint-1").mkdir(parents=True)
    check_run_folder(config)  # unchanged: resumes

    rebuild(model, seed=123)
    new = weights_sha(model)
    assert new != old
    with pytest.raises(ValueError) as refused:
        check_run_folder(config)
    assert str(refused.value) == (
        f"{out} holds a run on other backbone weights: the weights at {model} changed since it began "
        f"(sha256 {old[:12]} -> {new[:12]}): add --overwrite to start over, or use a new --out"
    )
    assert json.loads((out / "backbone.json").read_text(encoding="utf-8"))["fingerprint"] == old  # not relabelled
    assert (out / "cls" / "checkpoint-1").is_dir()

    check_run_folder(TrainConfig(method="mbart-cls", data=data, train_size=4, model=str(model), out=out, overwrite=True))
    assert json.loads((out / "backbone.json").read_text(encoding="utf-8"))["fingerprint"] == new
    assert not (out / "cls").exists()


def test_a_run_refused_for_new_weights_keeps_its_results_and_metrics_name_the_trained_weights(
    tmp_path, tiny_dataset, tiny_model
):
    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    out = tmp_path / "run"
    first = run_training(data=tiny_dataset, model=str(model), out=out, max_steps=1, **SMOKE)
    assert first["backbone"] == {"name": str(model), "fingerprint": weights_sha(model)}
    metrics = (out / "metrics.json").read_bytes()
    rebuild(model, seed=123)
    with pytest.raises(ValueError, match=f"^{out} holds a run on other backbone weights: the weights at {model} changed"):
        run_training(data=tiny_dataset, model=str(model), out=out, max_steps=1, **SMOKE)
    assert (out / "metrics.json").read_bytes() == metrics


def test_stage2_does_not_start_from_a_stage1_trained_on_other_weights(tmp_path, tiny_dataset, tiny_model):
    """Weights replaced while Stage 1 trains: the run stops at the phase boundary, before Stage 2 begins."""
    from transformers import TrainerCallback

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    old = weights_sha(model)

    class SwapWeights(TrainerCallback):
        def on_train_end(self, args, state, control, **kwargs):
            if Path(args.output_dir).name == "stage1":
                rebuild(model, seed=123)

    out = tmp_path / "run"
    tflcls = {**SMOKE, "method": "tflcls"}
    with pytest.raises(ValueError) as refused:
        run_training(data=tiny_dataset, model=str(model), out=out, max_steps=1, callbacks=[SwapWeights()], **tflcls)
    new = weights_sha(model)
    assert str(refused.value) == (
        f"{out} holds a run on other backbone weights: the weights at {model} changed since it began "
        f"(sha256 {old[:12]} -> {new[:12]}) before stage2: add --overwrite to start over, or use a new --out"
    )
    assert json.loads((out / "stage1" / "best" / "phase.json").read_text(encoding="utf-8"))["backbone"] == old
    assert not (out / "stage2").exists() and not (out / "metrics.json").exists()

    # A folder from before backbone.json existed: the finished Stage 1 names the weights it was trained from.
    (out / "backbone.json").unlink()
    with pytest.raises(ValueError) as refused:
        run_training(data=tiny_dataset, model=str(model), out=out, max_steps=1, **tflcls)
    assert str(refused.value) == (
        f"{out} holds a run on other backbone weights: stage1 was trained from the weights at {model} "
        f"(sha256 {old[:12]}), which now differ (sha256 {new[:12]}): add --overwrite to start over, or use a new --out"
    )
    assert not (out / "stage2").exists()


def test_a_damaged_backbone_record_is_a_one_line_error(tmp_path, make_dataset):
    data = make_dataset(tmp_path / "ds", (4,))
    out = tmp_path / "run"
    out.mkdir()
    (out / "backbone.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        check_run_folder(TrainConfig(method="mbart-cls", data=data, train_size=4, out=out))
    assert str(refused.value) == (
        f"{out / 'backbone.json'} is damaged (not a JSON object): add --overwrite to start over, or use a new --out"
    )
    check_run_folder(TrainConfig(method="mbart-cls", data=data, train_size=4, out=out, overwrite=True))
    assert json.loads((out / "backbone.json").read_text(encoding="utf-8"))["name"] == "facebook/mbart-large-cc25"
