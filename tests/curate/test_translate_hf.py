"""The `hf` backend with a tiny randomly initialised mBART-style model built here (nothing downloaded)."""

from __future__ import annotations

import json

import pytest

from curate.io import read_jsonl, write_jsonl
from curate.translate.hf import HFBackend
from curate.translate.run import translate_file
from curate.translate.spec import TranslatorSpec
from curate.translate.translator import Translator

CORPUS = [
    "Hà Nội hôm nay có mưa rào và dông.",
    "Giá vàng trong nước tăng mạnh.",
    "今天河内有阵雨和雷暴。",
    "国内金价大幅上涨。",
    "The weather in Hanoi is rainy today.",
] * 20


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A folder holding a 2-layer, d=16 mBART with random weights and a 120-piece sentencepiece tokenizer."""
    import sentencepiece as spm
    import torch
    from transformers import AutoTokenizer, MBartConfig, MBartForConditionalGeneration

    folder = tmp_path_factory.mktemp("tiny-mbart")
    (folder / "corpus.txt").write_text("\n".join(CORPUS), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(folder / "corpus.txt"), model_prefix=str(folder / "sentencepiece.bpe"), vocab_size=120,
        character_coverage=1.0, model_type="bpe", minloglevel=2,
    )
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "MBartTokenizer"}))
    tokenizer = AutoTokenizer.from_pretrained(folder)
    config = MBartConfig(
        vocab_size=len(tokenizer), d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=64,
        pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    MBartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_language_tokens_come_from_our_codes(tiny_model):
    backend = HFBackend(str(tiny_model), batch_size=2, max_new_tokens=4, num_beams=1)
    assert (backend.language_token("vi"), backend.language_token("zh"), backend.language_token("en")) == ("vi_VN", "zh_CN", "en_XX")
    assert backend.device == "cpu"
    ids = backend.tokenizer("Hà Nội mưa. 国内金价").input_ids
    assert backend.tokenizer.unk_token_id not in ids
    assert backend.tokenizer.decode(ids, skip_special_tokens=True) == "Hà Nội mưa. 国内金价"


def test_batches_in_order_forced_target_language_and_cache(tiny_model, tmp_path):
    backend = HFBackend(str(tiny_model), batch_size=2, max_new_tokens=4, num_beams=1)
    texts = ["Hà Nội mưa.", "Giá vàng tăng.", "", "Hà Nội mưa.", "Trời nắng."]
    translator = Translator(backend, progress=False)
    first = translator.translate(texts, "vi", "zh")
    assert len(first) == 5 and first[2] == "" and first[0] == first[3]
    assert all(isinstance(text, str) for text in first)
    assert (translator.counters.requests, translator.counters.segments) == (2, 3)  # 3 distinct texts, 2 a batch
    # The forced first token is the target language code: generation starts "</s> zh_CN".
    inputs = backend.tokenizer(["Hà Nội mưa."], return_tensors="pt")
    backend.tokenizer.src_lang = "vi_VN"
    output = backend.network.generate(**inputs, forced_bos_token_id=backend.tokenizer.convert_tokens_to_ids("zh_CN"), max_new_tokens=3)
    assert backend.tokenizer.convert_ids_to_tokens(output[0][:2].tolist()) == ["</s>", "zh_CN"]


def test_translate_file_with_a_local_model_path(tiny_model, tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"summary": "Hà Nội mưa."}, {"summary": "Giá vàng tăng."}])
    cache = tmp_path / "hf.sqlite"
    spec = TranslatorSpec(backend="hf", model=str(tiny_model))
    counters = translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "summary", "vi", "zh", spec, cache=cache)
    assert (counters["backend"], counters["model"], counters["requests"], counters["estimated_cost_usd"]) == ("hf", str(tiny_model), 1, 0.0)
    assert [set(r) for r in read_jsonl(tmp_path / "out.jsonl")] == [{"summary", "summary_zh"}] * 2
    again = translate_file(tmp_path / "in.jsonl", tmp_path / "out2.jsonl", "summary", "vi", "zh", spec, cache=cache)
    assert (again["requests"], again["cache_hits"]) == (0, 2)
    assert list(read_jsonl(tmp_path / "out2.jsonl")) == list(read_jsonl(tmp_path / "out.jsonl"))


def test_the_model_loads_once_a_process(tiny_model):
    from curate.translate.run import make_backend

    # two equal specs, not the same object: the cache is keyed by the model
    assert make_backend(TranslatorSpec(backend="hf", model=str(tiny_model))) is make_backend(TranslatorSpec(backend="hf", model=str(tiny_model)))


def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=f"cannot load the translation model '{tmp_path}' \\(a local folder or a Hub name\\)"):
        HFBackend(model=str(tmp_path))


def folder_sha256(folder) -> str:
    """The expected cache identity of a local model folder, computed here from the files' bytes."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def replace_weights(folder, seed: int) -> None:
    """Other weights saved into the same folder (a retrained model under the same path)."""
    import torch
    from transformers import MBartForConditionalGeneration

    config = MBartForConditionalGeneration.from_pretrained(folder).config
    torch.manual_seed(seed)
    MBartForConditionalGeneration(config).save_pretrained(folder)


def test_a_local_model_replaced_under_the_same_path_does_not_reuse_its_cached_translations(tiny_model, tmp_path):
    import shutil
    import sqlite3

    model = tmp_path / "mt"
    shutil.copytree(tiny_model, model)
    write_jsonl(tmp_path / "in.jsonl", [{"summary": "Hà Nội mưa."}, {"summary": "Giá vàng tăng."}])
    cache = tmp_path / "hf.sqlite"
    spec = TranslatorSpec(backend="hf", model=str(model))

    def run(name: str) -> dict:
        return translate_file(tmp_path / "in.jsonl", tmp_path / name, "summary", "vi", "zh", spec, cache=cache)

    def keys() -> list[tuple[str, str]]:
        with sqlite3.connect(cache) as db:
            return sorted(set(db.execute("SELECT backend, model FROM translations")))

    old = f"sha256:{folder_sha256(model)}"
    first = run("out1.jsonl")
    assert (first["model"], first["requests"], first["cache_hits"]) == (str(model), 1, 0)  # counters keep the name
    assert keys() == [("hf", old)]
    again = run("out2.jsonl")
    assert (again["requests"], again["cache_hits"]) == (0, 2)  # unchanged folder: every text from the cache

    replace_weights(model, seed=1)
    new = f"sha256:{folder_sha256(model)}"
    assert new != old
    fresh = HFBackend(str(model))  # the replaced model, loaded here: what the rerun must produce
    expected = Translator(fresh, progress=False).translate(["Hà Nội mưa.", "Giá vàng tăng."], "vi", "zh")
    changed = run("out3.jsonl")
    assert (changed["requests"], changed["cache_hits"], changed["translated"]) == (1, 0, 2)
    assert [r["summary_zh"] for r in read_jsonl(tmp_path / "out3.jsonl")] == expected
    assert keys() == sorted([("hf", old), ("hf", new)])
    assert fresh.model_identity() == new


def test_model_identity_is_the_name_for_hub_and_google_models_and_content_for_a_local_folder(tiny_model, tmp_path):
    from curate.translate.google import GoogleV2Backend, GoogleV3Backend
    from curate.translate.hf import model_identity
    from curate.translate.memory import MemoryBackend

    assert model_identity("facebook/nllb-200-distilled-600M") == "facebook/nllb-200-distilled-600M"
    assert model_identity(str(tiny_model)) == f"sha256:{folder_sha256(tiny_model)}"
    assert GoogleV3Backend(project="p", endpoint="localhost:1").model_identity() == "general/nmt"
    assert GoogleV2Backend(endpoint="http://localhost:1").model_identity() == "nmt"
    (tmp_path / "tm.jsonl").write_text("", encoding="utf-8")
    assert MemoryBackend(tmp_path / "tm.jsonl").model_identity() == str(tmp_path / "tm.jsonl")
