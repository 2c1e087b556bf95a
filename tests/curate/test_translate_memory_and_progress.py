"""The memory backend reads its file once a process (and again when it changes); the progress switch."""

import json
import os

from curate.translate.memory import MemoryBackend


def write_memory(path, translation):
    record = {"src_lang": "vi", "tgt_lang": "zh", "text": "xin chào", "translation": translation}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def test_memory_is_read_once_and_again_after_an_edit(tmp_path):
    path = tmp_path / "memory.jsonl"
    write_memory(path, "你好")
    first, second = MemoryBackend(path), MemoryBackend(path)
    assert first.entries is second.entries
    write_memory(path, "您好")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert MemoryBackend(path).translate_batch(["xin chào"], "vi", "zh") == ["您好"]


def test_translate_file_progress_bar_can_be_hidden(tmp_path, capfd):
    from curate.translate.run import translate_file
    from curate.translate.spec import TranslatorSpec

    memory = tmp_path / "memory.jsonl"
    write_memory(memory, "你好")
    records = tmp_path / "in.jsonl"
    records.write_text('{"id": "1", "summary": "xin chào"}\n', encoding="utf-8")
    for progress in (True, False):
        translate_file(records, tmp_path / "out.jsonl", "summary", "vi", "zh", TranslatorSpec(backend="memory", memory=str(memory)), progress=progress)
        shown = "translate vi->zh" in capfd.readouterr().err
        assert shown is progress
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == '{"id": "1", "summary": "xin chào", "summary_zh": "你好"}\n'
