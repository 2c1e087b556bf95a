"""The memory file's entries: conflicting duplicates, empty translations, Google's language codes."""

from __future__ import annotations

import json

import pytest

from curate.io import read_jsonl, write_jsonl
from curate.languages import registry_code
from curate.translate.errors import TranslationMemoryMiss
from curate.translate.memory import MemoryBackend
from curate.translate.run import translate_file
from curate.translate.spec import TranslatorSpec


def entry(text: str, translation: str, src: str = "vi", tgt: str = "zh") -> str:
    return json.dumps({"src_lang": src, "tgt_lang": tgt, "text": text, "translation": translation}, ensure_ascii=False)


def write_lines(path, lines: list[str]):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def translate(tmp_path, memory, texts, src="vi", tgt="zh"):
    write_jsonl(tmp_path / "in.jsonl", [{"s": text} for text in texts])
    counters = translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "s", src, tgt,
                              TranslatorSpec(backend="memory", memory=str(memory)), progress=False)
    return [r[f"s_{tgt}"] for r in read_jsonl(tmp_path / "out.jsonl")], counters


def test_two_translations_of_one_text_are_an_error_naming_both_lines(tmp_path):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Xin chào", "你好"), "", entry("Tạm biệt", "再见"),
                                                entry(" Xin chào", "再见")])
    write_jsonl(tmp_path / "in.jsonl", [{"s": "Xin chào"}])
    with pytest.raises(ValueError) as raised:
        translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "s", "vi", "zh",
                       TranslatorSpec(backend="memory", memory=str(memory)), progress=False)
    assert str(raised.value) == (f"{memory}: lines 1 and 4 give two vi->zh translations of 'Xin chào' "
                                 "('你好' and '再见'); keep one")
    assert not (tmp_path / "out.jsonl").exists()


def test_the_same_conflict_across_google_and_registry_codes_is_found(tmp_path):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Xin chào", "你好", tgt="zh-CN"), entry("Xin chào", "再见")])
    with pytest.raises(ValueError, match=r"lines 1 and 2 give two vi->zh translations of 'Xin chào' \('你好' and '再见'\); keep one$"):
        MemoryBackend(memory)


def test_an_identical_repeat_is_one_entry(tmp_path):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Xin chào", "你好"), entry("Xin chào", "你好 "), entry("Xin chào", "你好")])
    translations, counters = translate(tmp_path, memory, ["Xin chào"])
    assert (translations, counters["texts"], counters["translated"], counters["empty"]) == (["你好"], 1, 1, 0)
    assert MemoryBackend(memory).entries == {("vi", "zh", "Xin chào"): "你好"}


@pytest.mark.parametrize("empty", ["", "  \n", "\u200b", "\ufeff "])
def test_an_empty_translation_is_an_error_naming_the_line(tmp_path, empty):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Tạm biệt", "再见"), entry("Xin chào", empty)])
    with pytest.raises(ValueError) as raised:
        translate(tmp_path, memory, ["Tạm biệt"])
    assert str(raised.value) == (f"{memory}:2: the vi->zh translation of 'Xin chào' is empty; "
                                 "a memory entry holds a translation (remove the line or fill it in)")


def test_google_codes_in_the_memory_are_the_registry_languages(tmp_path):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Xin chào", "你好", tgt="zh-CN"), entry("你好", "Xin chào", src="zh-cn", tgt="vi")])
    assert translate(tmp_path, memory, ["Xin chào"])[0] == ["你好"]
    assert translate(tmp_path, memory, ["你好"], src="zh", tgt="vi")[0] == ["Xin chào"]


def test_a_miss_names_the_pairs_the_memory_holds_the_text_for(tmp_path):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Xin chào", "你好", tgt="zh-TW"), entry("Xin chào", "Hello", tgt="en")])
    with pytest.raises(TranslationMemoryMiss) as raised:
        MemoryBackend(memory).translate_batch(["Xin chào"], "vi", "zh")
    assert str(raised.value) == (f"{memory} has no vi->zh translation of 'Xin chào' (2 entries; it has this text "
                                 "for vi->en, vi->zh-TW); add it to the memory or use another backend")


def test_a_plain_miss_is_unchanged(tmp_path):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Xin chào", "你好")])
    with pytest.raises(TranslationMemoryMiss) as raised:
        MemoryBackend(memory).translate_batch(["Tạm biệt"], "vi", "zh")
    assert str(raised.value) == (f"{memory} has no vi->zh translation of 'Tạm biệt' (1 entries); "
                                 "add it to the memory or use another backend")


@pytest.mark.parametrize(("code", "expected"), [("zh", "zh"), ("zh-CN", "zh"), ("zh-cn", "zh"), ("zh_CN", "zh"),
                                                ("vi_VN", "vi"), ("en_XX", "en"), ("zh-TW", "zh-TW"), ("fr", "fr")])
def test_registry_code_reads_google_and_mbart_codes(code, expected):
    assert registry_code(code) == expected


def test_language_codes_in_another_case_are_the_registry_language(tmp_path):
    memory = write_lines(tmp_path / "m.jsonl", [entry("Xin chào", "你好", src="VI", tgt="ZH")])
    translations, _ = translate(tmp_path, memory, ["Xin chào"])
    assert translations == ["你好"]


@pytest.mark.parametrize(("value", "shown"), [("null", "null"), ("42", "42")])
def test_a_translation_that_is_no_text_is_named_as_such(tmp_path, value, shown):
    line = '{"src_lang": "vi", "tgt_lang": "zh", "text": "Xin chào", "translation": ' + value + "}"
    memory = write_lines(tmp_path / "m.jsonl", [line])
    with pytest.raises(ValueError, match=rf"m.jsonl:1: translation \({shown}\) is not a text"):
        translate(tmp_path, memory, ["Xin chào"])
