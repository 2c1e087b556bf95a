"""Cache keys follow the files a spec names (a translation memory, an external test set, a local model,
WARC files) and the library code a stage runs, not only the task's own arguments (flows/caching.py)."""

from __future__ import annotations

import json
import os
import types
from pathlib import Path

from flows.caching import CACHE_FOLDER


def key(task, workdir: Path, **inputs) -> str:
    policy = task.cache_policy.configure(key_storage=workdir.resolve() / CACHE_FOLDER)
    return policy.compute_key(types.SimpleNamespace(task=task), inputs, {})


def test_an_edited_translation_memory_changes_the_translate_key(tmp_path: Path) -> None:
    from flows.recipe import TranslatorSpec
    from flows.tasks import translate_shard

    memory = tmp_path / "tm.jsonl"
    shard = tmp_path / "shard.jsonl"
    shard.write_text('{"id": "a", "summary": "Xin chào"}\n', encoding="utf-8")
    record = {"src_lang": "vi", "tgt_lang": "zh", "text": "Xin chào", "translation": "你好"}
    memory.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    spec = TranslatorSpec(backend="memory", memory=str(memory))
    args = dict(input=shard, output=tmp_path / "o.jsonl", field="summary", to_field="summary_zh", src="vi", tgt="zh",
                spec=spec, cache=tmp_path / "c.sqlite")
    first = key(translate_shard, tmp_path, **args)
    assert key(translate_shard, tmp_path, **args) == first
    memory.write_text(json.dumps({**record, "translation": "再见"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert key(translate_shard, tmp_path, **args) != first


def test_a_changed_external_test_set_changes_the_leakage_key(tmp_path: Path) -> None:
    from flows.filter_tasks import audit_leakage
    from flows.recipe import LeakageSpec

    external = tmp_path / "ext"
    (external / "data").mkdir(parents=True)
    (external / "data" / "test.parquet").write_bytes(b"one")
    (tmp_path / "dataset" / "data").mkdir(parents=True)
    args = dict(dataset=tmp_path / "dataset", lang="vi", spec=LeakageSpec(external=str(external)),
                output=tmp_path / "leakage.json", split_counts={})
    first = key(audit_leakage, tmp_path, **args)
    (external / "data" / "test.parquet").write_bytes(b"two")
    assert key(audit_leakage, tmp_path, **args) != first


def test_a_retrained_local_model_changes_the_filter_key(tmp_path: Path) -> None:
    from curate.filters.base import FilterContext
    from flows.filter_tasks import filter_pool

    model = tmp_path / "labse"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights 1")
    (tmp_path / "scored.jsonl").write_text("{}\n")
    steps = [{"step": "crosslingual_similarity", "model": str(model)}]
    args = dict(input=tmp_path / "scored.jsonl", output=tmp_path / "selected.jsonl", steps=steps,
                context=FilterContext("vi", "zh", "summary_zh"), dropped=tmp_path / "dropped.jsonl", plot_dir=tmp_path / "ds")
    first = key(filter_pool, tmp_path, **args)
    (model / "model.safetensors").write_bytes(b"weights 2")
    assert key(filter_pool, tmp_path, **args) != first


def test_a_replaced_warc_file_and_a_new_file_in_a_listed_folder_change_the_keys(tmp_path: Path) -> None:
    from flows.archives import extract_warc_file, list_warc_inputs
    from flows.recipe import ArchiveSpec

    warcs = tmp_path / "warcs"
    warcs.mkdir()
    first_file = warcs / "a.warc.gz"
    first_file.write_bytes(b"first crawl")
    args = dict(sites=["vnexpress"], input=str(first_file), out=tmp_path / "out", hosts={}, lang="vi")
    before = key(extract_warc_file, tmp_path, **args)
    first_file.write_bytes(b"a re-downloaded, longer file")
    assert key(extract_warc_file, tmp_path, **args) != before

    spec = ArchiveSpec(inputs=[str(warcs / "*.warc.gz")])
    listed = key(list_warc_inputs, tmp_path, spec=spec)
    (warcs / "b.warc.gz").write_bytes(b"another month")
    assert key(list_warc_inputs, tmp_path, spec=spec) != listed


def test_an_edit_of_the_library_code_a_stage_runs_changes_its_key(tmp_path: Path, monkeypatch) -> None:
    import flows.caching
    from flows.tasks import score_shard

    (tmp_path / "in.jsonl").write_text("{}\n")
    args = dict(input=tmp_path / "in.jsonl", output=tmp_path / "out.jsonl", lang="vi", back_field="summary_back")
    first = key(score_shard, tmp_path, **args)
    monkeypatch.setattr(flows.caching, "code_digest", lambda packages: "after a fix of the tokenizer")
    assert key(score_shard, tmp_path, **args) != first


def test_urls_and_plain_words_in_a_spec_are_not_read_as_files(tmp_path: Path, monkeypatch) -> None:
    from flows.caching import named_files

    monkeypatch.chdir(tmp_path)
    (tmp_path / "vi").write_text("a file that happens to share a word's name")
    os.mkdir(tmp_path / "sub")
    value = {"backend": "google-v2", "endpoint": "http://127.0.0.1:9/x", "lang": "vi", "path": str(tmp_path / "sub")}
    assert [name for name, *_ in named_files(value, tmp_path)] == []  # an empty folder has no files; "vi" is a word
