"""The memory backend reads its file once a process, and again when the file changes."""

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
