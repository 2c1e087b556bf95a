"""The tiny mBART builder: its tokenizer round-trips vi/zh/en and speaks mBART's language-code format."""

from __future__ import annotations

from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

import pytest


@pytest.fixture
def texts(items):
    return {"vi": items[0][1], "zh": items[0][2], "en": "The prime minister asked ministries to speed up investment."}


def test_round_trips_vi_zh_en_without_unknowns(tiny_model, texts):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model, src_lang="vi_VN", tgt_lang="zh_CN")
    for lang, text in texts.items():
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        assert tokenizer.unk_token_id not in ids, lang
        assert tokenizer.decode(ids) == text, lang


def test_source_and_labels_end_with_eos_and_language_code(tiny_model, texts):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model, src_lang="vi_VN", tgt_lang="zh_CN")
    encoded = tokenizer(texts["vi"], text_target=texts["zh"])
    vi, zh = tokenizer.convert_tokens_to_ids(["vi_VN", "zh_CN"])
    assert encoded["input_ids"][-2:] == [tokenizer.eos_token_id, vi]
    assert encoded["labels"][-2:] == [tokenizer.eos_token_id, zh]
    assert len({vi, zh, tokenizer.convert_tokens_to_ids("en_XX"), tokenizer.unk_token_id}) == 4


def test_model_matches_tokenizer(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_model)
    assert type(model).__name__ == "MBartForConditionalGeneration"
    assert model.config.vocab_size == len(tokenizer)
    assert (model.config.pad_token_id, model.config.eos_token_id) == (tokenizer.pad_token_id, tokenizer.eos_token_id)
    assert model.lm_head.weight is model.model.shared.weight
