"""Every prediction is scored against its own reference, whatever order the training sampler uses.

transformers 5 gives the eval/test dataloaders a length-grouped, shuffled sampler when training is
length-grouped; scores and predictions.jsonl pair outputs with dataset rows, so evaluation must keep
dataset order. The split below has very different source lengths, so any reordering shows.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, EvalPrediction, MBartForConditionalGeneration

import train.phase
import train.run
from train.data import load_splits
from train.metrics import RougeMetric
from train.phase import load_tokenizer
from train.run import run_training

# Source lengths repeat an item 1 to 15 times: a length-grouped sampler would visit them out of order.
REPEATS = (1, 12, 2, 9, 15, 3, 1, 6)


def write_uneven_dataset(root, items):
    records = [
        {"id": f"doc{i}", "source_lang": "vi", "target_lang": "zh", "source_text": " ".join([text] * repeat),
         "source_summary": vi, "target_summary": zh}
        for i, ((text, vi, zh), repeat) in enumerate(zip(items, REPEATS))
    ]
    data = root / "data"
    data.mkdir(parents=True)
    pd.DataFrame(records[:4]).to_parquet(data / "train_4.parquet")
    pd.DataFrame(records).to_parquet(data / "validation.parquet")
    pd.DataFrame(records).to_parquet(data / "test.parquet")
    return root


class OracleMBart(MBartForConditionalGeneration):
    """Trains like mBART, but `generate` returns each input's own reference (looked up by its input ids)."""

    answers: dict[tuple[int, ...], list[int]] = {}

    def generate(self, input_ids=None, attention_mask=None, **kwargs):
        rows = [self.answers[tuple(ids[mask.bool()].tolist())] for ids, mask in zip(input_ids, attention_mask)]
        width = max(map(len, rows)) + 1
        out = torch.full((len(rows), width), self.config.pad_token_id, dtype=torch.long)
        for i, row in enumerate(rows):
            out[i, : len(row) + 1] = torch.tensor([self.generation_config.decoder_start_token_id, *row])
        return out


@pytest.fixture
def uneven_dataset(tmp_path, items):
    return write_uneven_dataset(tmp_path / "uneven", items)


def test_an_oracle_model_scores_100_through_the_real_evaluation_path(uneven_dataset, tiny_model, tmp_path,
                                                                      monkeypatch):
    splits = load_splits(uneven_dataset, 4)
    tokenizer = load_tokenizer(tiny_model, splits)
    sources = list(splits.test["source_text"])
    inputs = tokenizer(sources, max_length=768, truncation=True)["input_ids"]
    labels = tokenizer(text_target=list(splits.test["target_summary"]), max_length=128, truncation=True)["input_ids"]
    OracleMBart.answers = {tuple(i): l for i, l in zip(inputs, labels)}
    assert len({len(i) for i in inputs}) == 8  # really uneven

    def load_oracle(phase, config, init):
        return OracleMBart.from_pretrained(init, attn_implementation="sdpa")

    monkeypatch.setattr(train.phase, "load_phase_model", load_oracle)
    monkeypatch.setattr(train.run, "load_phase_model", load_oracle)
    out = tmp_path / "run"
    metrics = run_training(method="mbart-cls", data=uneven_dataset, train_size=4, model=str(tiny_model), out=out,
                           max_steps=1, batch_size=2, grad_accum=1, device="cpu", eval_batch_size=2, num_beams=1)
    assert metrics["validation"] == {"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0}
    assert metrics["test"] == {"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0, "n": 8}
    records = [json.loads(line) for line in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [f"doc{i}" for i in range(8)]
    assert [r["prediction"] for r in records] == [r["reference"] for r in records] == list(splits.test["target_summary"])


def test_each_saved_prediction_is_what_the_saved_model_generates_for_that_id(uneven_dataset, lively_model, tmp_path):
    out = tmp_path / "run"
    run_training(method="mbart-cls", data=uneven_dataset, train_size=4, model=str(lively_model), out=out, max_steps=2,
                 batch_size=2, grad_accum=1, device="cpu", eval_batch_size=1, num_beams=1, generation_max_length=12)
    records = [json.loads(line) for line in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    test = pd.read_parquet(uneven_dataset / "data" / "test.parquet").set_index("id")
    tokenizer = AutoTokenizer.from_pretrained(out / "model", src_lang="vi_VN", tgt_lang="zh_CN")
    model = AutoModelForSeq2SeqLM.from_pretrained(out / "model").eval()
    generated = {}
    for record in records:
        inputs = tokenizer(test.loc[record["id"], "source_text"], max_length=768, truncation=True, return_tensors="pt")
        with torch.no_grad():
            ids = model.generate(**inputs)
        generated[record["id"]] = tokenizer.decode(ids[0], skip_special_tokens=True).strip()
        assert record["reference"] == test.loc[record["id"], "target_summary"]
    assert len(records) == 8
    assert len(set(generated.values())) == 8  # the outputs differ between ids: a shuffle would show
    assert {r["id"]: r["prediction"] for r in records} == generated


def test_the_metric_refuses_outputs_that_come_back_in_another_order(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model, src_lang="vi_VN", tgt_lang="zh_CN")
    references = ["河内大雨。", "总理要求加快拨付。", "汽油价格下调。"]
    labels = tokenizer(text_target=references)["input_ids"]
    width = max(map(len, labels))
    padded = np.array([ids + [-100] * (width - len(ids)) for ids in labels])
    metric = RougeMetric(references, "zh", tokenizer, labels)
    assert metric(EvalPrediction(predictions=padded, label_ids=padded)) == {"rouge1": 100.0, "rouge2": 100.0,
                                                                            "rougeL": 100.0}
    shuffled = padded[[1, 0, 2]]
    with pytest.raises(ValueError, match="^evaluation output 0 is not dataset row 0: "):
        metric(EvalPrediction(predictions=shuffled, label_ids=shuffled))
