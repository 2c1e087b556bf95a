"""`clsforge summarize` / `summarize_file`: a trained model's own generation, every record kept, bad input refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from tests.cli import clsforge
from train.run import run_training
from train.summarize import load_summarizer, summarize_file

SMOKE = dict(max_steps=1, batch_size=2, grad_accum=1, device="cpu", num_beams=2, generation_max_length=12,
             eval_batch_size=4, logging_steps=1)


@pytest.fixture(scope="module")
def trained(tiny_dataset, tiny_model, tmp_path_factory) -> Path:
    """The run folder of a one-step mBART-CLS run on the tiny vi->zh dataset (its model is OUT/model)."""
    out = tmp_path_factory.mktemp("summarize_run")
    run_training(method="mbart-cls", data=tiny_dataset, train_size=8, model=str(tiny_model), out=out, **SMOKE)
    return out


@pytest.fixture(scope="module")
def sensitive_model(trained, tmp_path_factory) -> Path:
    """A copy of the trained OUT/model with noise added to its weights, so its summaries differ per article.

    One step barely moves a random tiny mBART, which then writes the same summary for every input:
    a test comparing such summaries could not tell which article each came from. The saved
    tokenizer and generation settings are kept as they are.
    """
    path = tmp_path_factory.mktemp("sensitive") / "model"
    shutil.copytree(trained / "model", path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path)
    noise = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, weight in model.named_parameters():
            if "layer_norm" not in name:
                weight.add_(torch.randn(weight.shape, generator=noise) * 0.3)
    model.save_pretrained(path)
    return path


def write_articles(path: Path, items, **extra) -> list[dict]:
    records = [{"id": f"a{i}", "lang": "vi", "text": text, **extra} for i, (text, _, _) in enumerate(items)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return records


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_summaries_are_the_saved_models_own_generation(sensitive_model, items, tmp_path):
    records = write_articles(tmp_path / "in.jsonl", items[:5])
    counts = summarize_file(sensitive_model, tmp_path / "in.jsonl", tmp_path / "out.jsonl", batch_size=2,
                            device="cpu", progress=False)

    assert {k: v for k, v in counts.items() if k != "time_s"} == {
        "records": 5, "written": 5, "truncated": 0, "source_lang": "vi", "target_lang": "zh", "field": "text",
        "to_field": "generated_summary"}
    output = read(tmp_path / "out.jsonl")
    assert [{k: v for k, v in r.items() if k != "generated_summary"} for r in output] == records
    # The reference: the saved model and tokenizer as training used them, generating with their saved settings.
    tokenizer = AutoTokenizer.from_pretrained(sensitive_model, src_lang="vi_VN", tgt_lang="zh_CN")
    model = AutoModelForSeq2SeqLM.from_pretrained(sensitive_model).eval()
    zh = tokenizer.convert_tokens_to_ids("zh_CN")
    expected = []
    for start in range(0, 5, 2):
        inputs = tokenizer([r["text"] for r in records[start:start + 2]], max_length=768, truncation=True,
                           padding=True, return_tensors="pt")
        with torch.no_grad():
            ids = model.generate(**inputs)
        assert ids[:, 0].tolist() == [zh] * len(ids)  # the target language code starts every summary
        assert model.generation_config.num_beams == 2 and model.generation_config.max_length == 12  # the run's
        expected += [t.strip() for t in tokenizer.batch_decode(ids, skip_special_tokens=True)]
    assert [r["generated_summary"] for r in output] == expected
    assert len(set(expected)) == 5  # one summary per article, each its own


def test_long_articles_are_truncated_and_counted(trained, items, tmp_path):
    write_articles(tmp_path / "in.jsonl", items[:3])
    summarizer = load_summarizer(trained / "model", device="cpu", max_source_length=8)
    counts = summarize_file(summarizer, tmp_path / "in.jsonl", tmp_path / "out.jsonl", to_field="zh", progress=False)
    assert (counts["records"], counts["written"], counts["truncated"]) == (3, 3, 3)
    assert [sorted(r) for r in read(tmp_path / "out.jsonl")] == [["id", "lang", "text", "zh"]] * 3


@pytest.mark.parametrize(("lines", "options", "message"), [
    (['{"id": "x", "text": "Hà Nội"}', '{"id": "y", "body": "Hà Nội"}'], {},
     "record 2 (id 'y') has no field 'text' (choose the text field with --field)"),
    (['{"id": "x", "text": "  \\n"}'], {}, "record 1 (id 'x') has an empty 'text': nothing to summarize"),
    (['{"text": null}'], {}, "record 1 has a NoneType in field 'text', not a text"),
    (['{"id": "x", "text": "Hà Nội", "generated_summary": "?"}'], {},
     "record 1 (id 'x') already has a field 'generated_summary'; choose another --to-field"),
    (['{"id": "x", "lang": "vi", "text": "Hà Nội"}', '{"id": "y", "lang": "en", "text": "Hanoi"}'], {},
     "record 2 is in 'en' but the model summarizes 'vi' articles"),
    (["", ""], {}, "holds no record"),
])
def test_bad_records_are_refused_naming_the_record(trained, tmp_path, lines, options, message):
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="^" + str(tmp_path / "in.jsonl") + ".* " + message.replace("(", r"\(")
                       .replace(")", r"\)").replace("?", r"\?") + "$"):
        summarize_file(trained / "model", tmp_path / "in.jsonl", tmp_path / "out.jsonl", device="cpu", **options)
    assert not (tmp_path / "out.jsonl").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in.jsonl"]  # no temporary file left either


def test_cli_summarizes_and_prints_its_counts(trained, items, tmp_path):
    write_articles(tmp_path / "in.jsonl", items[:3])
    done = clsforge("summarize", "--model", str(trained / "model"), "--input", str(tmp_path / "in.jsonl"),
                    "--output", str(tmp_path / "out.jsonl"), "--batch-size", "2", "--device", "cpu")
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert (counts["records"], counts["written"], counts["target_lang"]) == (3, 3, "zh")
    assert [r["id"] for r in read(tmp_path / "out.jsonl")] == ["a0", "a1", "a2"]


def test_cli_bad_input_is_one_line(trained, tiny_model, items, tmp_path):
    write_articles(tmp_path / "in.jsonl", items[:1])
    out = str(tmp_path / "out.jsonl")
    cases = [
        (["--model", str(trained), "--input", str(tmp_path / "in.jsonl")],
         f"clsforge: error: {trained} is not a model folder (no config.json and weights); "
         f"the trained model is {trained / 'model'}"),
        (["--model", str(tmp_path), "--input", str(tmp_path / "in.jsonl")],
         f"clsforge: error: {tmp_path} is not a model folder (no config.json and weights); "
         "pass the model/ folder of a `clsforge train` run"),
        (["--model", str(tmp_path / "nope"), "--input", str(tmp_path / "in.jsonl")],
         f"clsforge: error: no such model folder: {tmp_path / 'nope'}"),
        (["--model", str(trained / "model"), "--input", str(tmp_path / "missing.jsonl")],
         f"clsforge: error: No such input file: {tmp_path / 'missing.jsonl'}"),
        (["--model", str(trained / "model"), "--input", str(tmp_path / "in.jsonl"), "--field", "body"],
         f"clsforge: error: {tmp_path / 'in.jsonl'}: record 1 (id 'a0') has no field 'body' "
         "(choose the text field with --field)"),
        (["--model", str(tiny_model), "--input", str(tmp_path / "in.jsonl")],  # an untrained mBART: no target language
         f"clsforge: error: {tiny_model}: its first generated token (generation_config.decoder_start_token_id) is "
         "'</s>', not a known language code; is it a model trained by `clsforge train`?"),
    ]
    for args, message in cases:
        done = clsforge("summarize", *args, "--output", out, "--device", "cpu")
        assert (done.returncode, done.stderr.strip().splitlines()[-1]) == (2, message), done.stderr[-2000:]
        assert not Path(out).exists()
