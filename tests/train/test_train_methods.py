"""Each method runs end to end on the tiny dataset and writes every output."""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import metadata
import sys
from pathlib import Path

import pytest
import transformers
from transformers import AutoModelForSeq2SeqLM

from train.run import run_training

CLSFORGE = str(Path(sys.executable).parent / "clsforge")

SMOKE = dict(max_steps=2, batch_size=2, grad_accum=1, device="cpu", num_beams=2, generation_max_length=12,
             eval_batch_size=4, logging_steps=1)
PHASES = {"tflcls": ["stage1", "stage2"], "mbart-cls": ["cls"], "no-stage1": ["stage2"], "no-mono": ["stage1", "cls"]}


def sha256(*paths: Path) -> str:
    return hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in paths)).hexdigest()


def assert_identity(metrics: dict, method: str, dataset: Path, model: Path, out: Path) -> None:
    """metrics.json says exactly what the run was: options, settings, backbone, dataset content, versions."""
    assert metrics["options"] == {**json.loads((out / "config.json").read_text(encoding="utf-8"))}
    assert (metrics["options"]["max_steps"], metrics["options"]["seed"], metrics["options"]["lr"]) == (2, 0, None)
    assert metrics["options"]["data"] == str(dataset.resolve()) and metrics["options"]["epochs"] == 10
    assert metrics["backbone"] == {"name": str(model), "fingerprint": sha256(model / "model.safetensors")}
    data = dataset / "data"
    assert metrics["dataset"] == {"fingerprint": sha256(data / "validation.parquet", data / "test.parquet"),
                                  "train_fingerprint": sha256(data / "train_8.parquet"),
                                  "path": str(dataset.resolve())}
    assert metrics["versions"]["transformers"] == transformers.__version__
    assert metrics["versions"]["torch"] == metadata.version("torch")
    assert set(metrics["settings"]) == set(PHASES[method])
    lrs = {"stage1": 5e-5, "cls": 2.5e-5 if method == "no-mono" else 5e-5, "stage2": 2.5e-5}  # no-mono: paper's reading
    assert metrics["settings"] == {p: {"batch_size": 2, "grad_accum": 1, "lr": lrs[p]} for p in PHASES[method]}
    assert metrics["no_mono_settings"] == ("stage2" if method == "no-mono" else None)


@pytest.mark.parametrize(("method", "loss"), [("tflcls", "tflcls"), ("mbart-cls", "tflcls"), ("no-stage1", "rhu"),
                                              ("no-mono", "tflcls")])
def test_method_end_to_end(method, loss, tiny_dataset, tiny_model, tmp_path):
    out = tmp_path / method
    metrics = run_training(method=method, loss=loss, data=tiny_dataset, train_size=8, model=str(tiny_model), out=out,
                           **SMOKE)

    assert json.loads((out / "metrics.json").read_text(encoding="utf-8")) == metrics
    assert metrics["method"] == method and metrics["train_size"] == 8
    assert metrics["steps"] == {phase: 2 for phase in PHASES[method]}
    assert metrics["test"]["n"] == 3
    assert set(metrics["validation"]) == set(metrics["test"]) - {"n"} == {"rouge1", "rouge2", "rougeL"}
    assert all(0 <= metrics["test"][k] <= 100 for k in ("rouge1", "rouge2", "rougeL"))
    lines = (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["doc3", "doc4", "doc5"]
    assert records[0]["reference"] == "越南队在决赛中以二比零战胜泰国队。"
    assert all(isinstance(r["prediction"], str) for r in records)
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    model = AutoModelForSeq2SeqLM.from_pretrained(out / "model")
    assert type(model).__name__ == "MBartForConditionalGeneration"
    assert not hasattr(model, "ml_decoder")
    assert_identity(metrics, method, tiny_dataset, tiny_model, out)
    if "stage2" in PHASES[method]:
        history = json.loads((out / "stage2" / "best" / "phase.json").read_text(encoding="utf-8"))["log_history"]
        logged = [entry for entry in history if "loss" in entry]
        assert logged and all("l_cls" in e and "l_mls" in e for e in logged)
        weight_keys = {"c"} if loss == "tflcls" else {"s_cls", "s_mls"}
        assert weight_keys <= set(logged[-1]) and set(metrics["loss_weights"]) == weight_keys
        assert metrics["loss"] == loss
    else:
        assert metrics["loss"] is None and "loss_weights" not in metrics


def test_a_different_run_in_the_same_folder_is_refused(tiny_dataset, tiny_model, tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"method": "tflcls"}), encoding="utf-8")
    (tmp_path / "stage1" / "checkpoint-2").mkdir(parents=True)  # that run got as far as a checkpoint
    with pytest.raises(ValueError, match=r"holds a run with other options \(--method tflcls -> mbart-cls, "):
        run_training(method="mbart-cls", data=tiny_dataset, train_size=8, model=str(tiny_model), out=tmp_path, **SMOKE)


def test_cli_train_maps_its_flags(tiny_dataset, tiny_model, tmp_path):
    out = tmp_path / "cli"
    done = subprocess.run(
        [CLSFORGE, "train", "--method", "no-stage1", "--data", str(tiny_dataset), "--train-size", "4",
         "--model", str(tiny_model), "--out", str(out), "--max-steps", "1", "--batch-size", "2", "--grad-accum", "1",
         "--device", "cpu", "--num-beams", "1", "--loss", "sum", "--r", "3.0", "--max-eval-samples", "1",
         "--max-target-length", "16"],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["method"] == "no-stage1" and summary["train_size"] == 4 and summary["test"]["n"] == 3
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert (config["loss"], config["r"], config["max_steps"], config["max_eval_samples"]) == ("sum", 3.0, 1, 1)
    assert (config["batch_size"], config["grad_accum"], config["max_target_length"]) == (2, 1, 16)
