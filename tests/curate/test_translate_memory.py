"""The memory (replay) backend, the file entry point and the cache shared by concurrent writers."""

from __future__ import annotations

import json
import threading

import pytest

from curate.io import read_jsonl, write_jsonl
from curate.translate.cache import TranslationCache
from curate.translate.errors import TranslationMemoryMiss
from curate.translate.run import translate_file
from curate.translate.spec import TranslatorSpec

MEMORY = [
    {"src_lang": "vi", "tgt_lang": "zh", "text": "Hà Nội mưa to.", "translation": "河内下大雨。"},
    {"src_lang": "zh", "tgt_lang": "vi", "text": "河内下大雨。", "translation": "Hà Nội mưa lớn."},
    {"src_lang": "vi", "tgt_lang": "zh", "text": "Giá vàng tăng.", "translation": "金价上涨。"},
    {"src_lang": "zh", "tgt_lang": "vi", "text": "金价上涨。", "translation": "Giá vàng đã tăng."},
]


def memory_spec(path) -> TranslatorSpec:
    """The spec of the memory backend replaying `path`."""
    return TranslatorSpec(backend="memory", memory=str(path))


@pytest.fixture
def memory_file(tmp_path):
    """A four-entry translation memory in the demo's line format."""
    write_jsonl(tmp_path / "memory.jsonl", MEMORY)
    return tmp_path / "memory.jsonl"


def test_memory_replays_both_directions_in_order(memory_file, tmp_path):
    decomposed = "Hà Nội mưa to.".replace("à", "a\u0300")
    write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "s": "Giá vàng tăng."}, {"id": 2, "s": decomposed}, {"id": 3, "s": " "}])
    counters = translate_file(tmp_path / "in.jsonl", tmp_path / "zh.jsonl", "s", "vi", "zh", memory_spec(memory_file))
    assert [r["s_zh"] for r in read_jsonl(tmp_path / "zh.jsonl")] == ["金价上涨。", "河内下大雨。", ""]
    assert (counters["texts"], counters["empty"], counters["requests"], counters["estimated_cost_usd"]) == (2, 1, 1, 0.0)
    translate_file(tmp_path / "zh.jsonl", tmp_path / "back.jsonl", "s_zh", "zh", "vi", memory_spec(memory_file), to_field="back")
    assert [r["back"] for r in read_jsonl(tmp_path / "back.jsonl")] == ["Giá vàng đã tăng.", "Hà Nội mưa lớn.", ""]


def test_memory_miss_names_the_text_and_writes_nothing(memory_file, tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"s": "Hà Nội mưa to."}, {"s": "Một câu không có trong bộ nhớ."}])
    with pytest.raises(TranslationMemoryMiss, match="no vi->zh translation of 'Một câu không có trong bộ nhớ.'"):
        translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "s", "vi", "zh", memory_spec(memory_file))
    assert not (tmp_path / "out.jsonl").exists()


def test_cache_takes_concurrent_writers(tmp_path):
    key = ("google-v3", "general/nmt", "vi", "zh")
    path = tmp_path / "shared.sqlite"

    def writer(offset: int) -> None:
        cache = TranslationCache(path)
        for start in range(0, 400, 20):
            cache.put_many(key, [(f"text {offset + i}", f"dịch {offset + i}") for i in range(start, start + 20)])
        cache.close()

    threads = [threading.Thread(target=writer, args=(offset,)) for offset in (0, 1000, 2000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [f"text {offset + i}" for offset in (0, 1000, 2000) for i in range(400)]
    found = TranslationCache(path).get_many(key, texts)
    assert len(found) == 1200 and found["text 2399"] == "dịch 2399"
    assert TranslationCache(path).get_many(("google-v2", "nmt", "vi", "zh"), texts) == {}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('{"s": "Giá vàng tăng."}\n[1, 2]\n', "in.jsonl:2: a JSON list, not an object"),
        ('{"s": "Giá vàng tăng."}\n5\n', "in.jsonl:2: a JSON int, not an object"),
    ],
)
def test_an_input_line_that_is_not_an_object_is_a_clear_error(memory_file, tmp_path, lines, message):
    (tmp_path / "in.jsonl").write_text(lines, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "s", "vi", "zh", memory_spec(memory_file))
    assert not (tmp_path / "out.jsonl").exists()


def test_a_memory_line_that_is_not_an_object_is_a_clear_error(tmp_path):
    (tmp_path / "memory.jsonl").write_text(f'{json.dumps(MEMORY[0])}\n"text"\n', encoding="utf-8")
    write_jsonl(tmp_path / "in.jsonl", [{"s": "Hà Nội mưa to."}])
    with pytest.raises(ValueError, match="memory.jsonl:2: a JSON str, not an object"):
        translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "s", "vi", "zh", memory_spec(tmp_path / "memory.jsonl"))
    assert not (tmp_path / "out.jsonl").exists()


def test_an_output_that_is_the_input_or_a_folder_fails_before_translating(memory_file, tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"s": "Hà Nội mưa to."}])
    before = (tmp_path / "in.jsonl").read_bytes()
    with pytest.raises(ValueError, match="is the input file; write the translations to another path"):
        translate_file(tmp_path / "in.jsonl", tmp_path / "." / "in.jsonl", "s", "vi", "zh", memory_spec(memory_file))
    assert (tmp_path / "in.jsonl").read_bytes() == before
    with pytest.raises(IsADirectoryError, match="--output is a folder"):
        translate_file(tmp_path / "in.jsonl", tmp_path, "s", "vi", "zh", memory_spec(memory_file))
    with pytest.raises(NotADirectoryError, match="--output is inside a file") as raised:
        translate_file(tmp_path / "in.jsonl", tmp_path / "in.jsonl" / "out.jsonl", "s", "vi", "zh", memory_spec(memory_file))
    assert raised.value.filename == str(tmp_path / "in.jsonl")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", "memory.jsonl"]


def test_a_cache_path_that_is_not_a_database_is_a_clear_error_and_left_alone(memory_file, tmp_path):
    before = memory_file.read_bytes()
    with pytest.raises(ValueError, match=r"memory.jsonl: not usable as the translation cache \(file is not a database\)"):
        TranslationCache(memory_file)
    assert memory_file.read_bytes() == before
    with pytest.raises(ValueError, match=r"not usable as the translation cache \(unable to open database file\)"):
        TranslationCache(tmp_path)


def test_a_to_field_that_would_replace_the_source_field_is_refused(memory_file, tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"s": "Hà Nội mưa to."}])
    with pytest.raises(ValueError, match="--to-field 's' would replace the field being translated"):
        translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "s", "vi", "zh", memory_spec(memory_file), to_field="s")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_to_field_the_records_already_hold_is_refused_before_any_request(memory_file, tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"s": "Hà Nội mưa to."}, {"s": "Hà Nội mưa to.", "s_zh": "已有的译文"}])
    with pytest.raises(ValueError, match=r"in.jsonl: record 2 already has a field 's_zh'; choose another --to-field"):
        translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "s", "vi", "zh", memory_spec(memory_file))
    assert not (tmp_path / "out.jsonl").exists()
