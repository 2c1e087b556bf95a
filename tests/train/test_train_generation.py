"""Decoding starts with the target language code exactly once (the reference code doubled it)."""

from __future__ import annotations

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from train.config import TrainConfig
from train.phase import configure_generation


def test_generated_ids_start_with_target_code_once(tiny_model, tmp_path):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model, src_lang="vi_VN", tgt_lang="zh_CN")
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_model)
    config = TrainConfig(method="mbart-cls", data=tmp_path, train_size=1, out=tmp_path, generation_max_length=12)
    configure_generation(model, tokenizer, config)
    zh = tokenizer.convert_tokens_to_ids("zh_CN")
    with torch.no_grad():  # make the random model love the code: it must still appear only as the start
        model.final_logits_bias[0, zh] = 50.0
    inputs = tokenizer(["Hà Nội mưa lớn.", "Giá xăng giảm."], return_tensors="pt", padding=True)
    ids = model.generate(**inputs)
    assert model.generation_config.forced_bos_token_id is None
    assert model.generation_config.num_beams == 4 and model.generation_config.no_repeat_ngram_size == 3
    assert ids[:, 0].tolist() == [zh, zh]
    assert (ids == zh).sum(dim=1).tolist() == [1, 1]
    codes = set(tokenizer.lang_code_to_id.values())
    assert not codes & set(ids[:, 1:].flatten().tolist())
