"""Stage-2 model: initial weights come from the right sources; encoder once; tied head; clean export."""

from __future__ import annotations

import torch
from safetensors.torch import load_file
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from train.dual_decoder import build_stage2_model, export_cls_model


def state(module):
    return {k: v.clone() for k, v in module.state_dict().items() if not k.startswith("embed_tokens.")}


def make_stage1_checkpoint(tiny_model, path):
    """A stand-in for a Stage-1 checkpoint: the tiny model with every weight shifted."""
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_model)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.5)
    model.save_pretrained(path)
    return model


def test_stage2_init_sources(tiny_model, tmp_path):
    stage1 = make_stage1_checkpoint(tiny_model, tmp_path / "stage1")
    original = AutoModelForSeq2SeqLM.from_pretrained(tiny_model)
    model = build_stage2_model(tmp_path / "stage1", tiny_model, "tflcls", 2.0)

    ml, cl, original_decoder = state(model.ml_decoder), state(model.model.decoder), state(original.model.decoder)
    assert ml.keys() == original_decoder.keys()
    assert all(torch.equal(ml[k], original_decoder[k]) for k in ml)
    stage1_decoder = state(stage1.model.decoder)
    assert all(torch.equal(cl[k], stage1_decoder[k]) for k in cl)
    assert not torch.equal(cl["layers.0.fc1.weight"], ml["layers.0.fc1.weight"])
    assert torch.equal(model.model.encoder.layers[0].fc1.weight, stage1.model.encoder.layers[0].fc1.weight)
    # One embedding matrix (Stage 1's) for the encoder, both decoders and the tied output head.
    assert model.ml_decoder.embed_tokens.weight is model.model.shared.weight
    assert model.lm_head.weight is model.model.shared.weight
    assert torch.equal(model.model.shared.weight, stage1.model.shared.weight)
    assert model.loss_weighting.weights() == {"c": 1.0}


def test_encoder_runs_once_and_both_losses_reach_c(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model, src_lang="vi_VN", tgt_lang="zh_CN")
    model = build_stage2_model(tiny_model, tiny_model, "tflcls", 2.0)
    calls = []
    model.model.encoder.register_forward_hook(lambda *args: calls.append(1))
    batch = tokenizer(["Hà Nội mưa lớn."], text_target=["河内大雨。"], return_tensors="pt")
    mls = tokenizer(["Hà Nội mưa lớn."], return_tensors="pt")["input_ids"]
    output = model(**batch, mls_labels=mls)
    assert len(calls) == 1
    assert output.l_cls > 0 and output.l_mls > 0
    expected = model.loss_weighting(output.l_cls, output.l_mls)
    assert torch.allclose(output.loss, expected)
    output.loss.backward()
    assert model.loss_weighting.c.grad is not None and model.loss_weighting.c.grad.item() != 0
    assert model.ml_decoder.layers[0].fc1.weight.grad.abs().sum() > 0


def test_export_is_a_standard_mbart_without_training_parts(tiny_model, tmp_path):
    model = build_stage2_model(tiny_model, tiny_model, "rhu", 2.0)
    export_cls_model(model).save_pretrained(tmp_path / "exported")
    keys = load_file(tmp_path / "exported" / "model.safetensors").keys()
    assert not [k for k in keys if k.startswith(("ml_decoder", "loss_weighting"))]
    loaded = AutoModelForSeq2SeqLM.from_pretrained(tmp_path / "exported")
    assert type(loaded).__name__ == "MBartForConditionalGeneration"
    assert torch.equal(loaded.model.decoder.layers[0].fc1.weight, model.model.decoder.layers[0].fc1.weight)
