"""`clsforge publish-model`: a model card from the run, one commit of OUT/model, dry run uploads nothing."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from tests.cli import clsforge
from train.publish_model import publish_model

METRICS = {
    "method": "tflcls", "loss": "tflcls", "r": 2.0, "train_size": 8, "model": "facebook/mbart-large-cc25",
    "source_lang": "vi", "target_lang": "zh", "seed": 0,
    "validation": {"rouge1": 30.0, "rouge2": 11.0, "rougeL": 28.0},
    "test": {"rouge1": 31.25, "rouge2": 11.4894, "rougeL": 29.0, "n": 3},
    "steps": {"stage1": 2, "stage2": 2}, "loss_weights": {"c": 1.05},
}
FILES = ["README.md", "config.json", "generation_config.json", "model.safetensors", "sentencepiece.bpe.model",
         "tokenizer.json", "tokenizer_config.json"]


@pytest.fixture
def run(tiny_model, tmp_path):
    """A finished run folder: metrics.json and model/ (the tiny model, decoding from zh_CN as training sets it)."""
    out = tmp_path / "run"
    shutil.copytree(tiny_model, out / "model")
    generation = json.loads((out / "model" / "generation_config.json").read_text(encoding="utf-8"))
    generation.update(decoder_start_token_id=281, num_beams=4, max_length=128, no_repeat_ngram_size=3)
    (out / "model" / "generation_config.json").write_text(json.dumps(generation), encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(METRICS), encoding="utf-8")
    return out


class FakeHub:
    def __init__(self):
        self.calls = []

    def create_repo(self, repo_id, **kwargs):
        self.calls.append(("create_repo", repo_id, kwargs))

    def create_commit(self, **kwargs):
        self.calls.append(("create_commit", kwargs["repo_id"], kwargs["repo_type"],
                           [op.path_in_repo for op in kwargs["operations"]]))


def test_card_header_and_text(run):
    publish_model(run, "me/tflcls-vi2zh", dry_run=True, license="cc-by-nc-4.0")
    text = (run / "model" / "README.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    header = yaml.safe_load(header)
    assert header["language"] == ["vi", "zh"] and header["license"] == "cc-by-nc-4.0"
    assert (header["pipeline_tag"], header["base_model"]) == ("summarization", "facebook/mbart-large-cc25")
    assert header["model-index"][0]["results"][0]["metrics"] == [
        {"type": "rouge1", "name": "test rouge1", "value": 31.25},
        {"type": "rouge2", "name": "test rouge2", "value": 11.489},
        {"type": "rougeL", "name": "test rougeL", "value": 29.0}]
    assert "| test | 31.250 | 11.489 | 29.000 |" in body
    assert "| final loss weights | c = 1.0500 |" in body
    assert "`zh_CN` (`decoder_start_token_id`); beams: 4; maximum length: 128 tokens; no repeated 3-grams" in body
    assert "Stage 1 on summary translation" in body


def test_dry_run_lists_the_files_and_uploads_nothing(run, capsys):
    hub = FakeHub()
    result = publish_model(run / "model", "me/x", dry_run=True, api=hub)  # OUT/model works as well as OUT
    assert (result["files"], result["dry_run"], result["commit_url"]) == (FILES, True, None)
    assert [line.split("\t")[0].strip() for line in capsys.readouterr().out.splitlines()[1:]] == FILES
    assert hub.calls == []


def test_upload_is_one_commit_of_the_model_folder(run):
    hub = FakeHub()
    publish_model(run, "me/x", private=True, api=hub, sleep=lambda s: None)
    assert hub.calls == [("create_repo", "me/x", {"repo_type": "model", "private": True, "exist_ok": True}),
                         ("create_commit", "me/x", "model", FILES)]


def test_refusals(run, tmp_path):
    hub = FakeHub()
    with pytest.raises(ValueError, match="^--repo-id must look like OWNER/NAME, got 'x'$"):
        publish_model(run, "x", api=hub)
    with pytest.raises(ValueError, match=f"^{tmp_path} is not a finished `clsforge train` run \\(no metrics.json\\)$"):
        publish_model(tmp_path, "me/x", api=hub)
    assert hub.calls == [] and not (run / "model" / "README.md").exists()
    (run / "metrics.json").write_text('{"method": ', encoding="utf-8")
    with pytest.raises(ValueError, match=f"^{run / 'metrics.json'} is not valid JSON \\(Expecting value at line 1, "
                                         "column 12\\)$"):
        publish_model(run, "me/x", api=hub)


def test_cli_dry_run(run):
    done = clsforge("publish-model", str(run), "--repo-id", "me/x", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "repo_id": "me/x", "card": str(run / "model" / "README.md"),
        "bytes": sum((run / "model" / name).stat().st_size for name in FILES), "dry_run": True, "commit_url": None}
    done = clsforge("publish-model", str(run.parent), "--repo-id", "me/x", "--dry-run")
    assert (done.returncode, done.stderr.strip()) == (
        2, f"clsforge: error: {run.parent} is not a finished `clsforge train` run (no metrics.json)")


@pytest.mark.parametrize(("license", "message"), [
    ("not a license", "--license 'not a license' is not a Hugging Face Hub license id \\(https://huggingface.co/"
                      "docs/hub/repositories-licenses\\), e.g. apache-2.0, mit, cc-by-4.0, other$"),
    ("Apache-2.0", "--license 'Apache-2.0' is not a Hugging Face Hub license id: did you mean apache-2.0\\?$"),
])
def test_a_license_that_is_not_a_hub_id_is_refused_before_the_card_is_written(run, license, message):
    hub = FakeHub()
    with pytest.raises(ValueError, match=f"^{message}"):
        publish_model(run, "me/x", license=license, api=hub)
    assert hub.calls == [] and not (run / "model" / "README.md").exists()
    done = clsforge("publish-model", str(run), "--repo-id", "me/x", "--license", license, "--dry-run")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"clsforge: error: --license {license!r} is not a Hugging Face Hub license id")


@pytest.mark.parametrize("license", ["cc-by-nc-sa-4.0", "other", "llama3.1"])
def test_hub_license_ids_go_into_the_card(run, license):
    result = publish_model(run, "me/x", license=license, dry_run=True)
    card = (run / "model" / "README.md").read_text(encoding="utf-8")
    assert result["dry_run"] is True
    assert yaml.safe_load(card.split("---")[1])["license"] == license
