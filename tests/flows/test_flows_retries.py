"""Flow tasks retry transient failures, but never bad input or a clean stop such as a memory miss."""

import asyncio
import json
import sqlite3

from prefect import flow
from prefect.client.orchestration import get_client

from flows.recipe import TranslatorSpec
from flows.tasks import translate_shard


async def run_count(state) -> int:
    async with get_client() as client:
        return (await client.read_task_run(state.state_details.task_run_id)).run_count


def translate_once(tmp_path, memory_text):
    shard = tmp_path / "shard.jsonl"
    shard.write_text(json.dumps({"id": "1", "summary": "xin chào"}, ensure_ascii=False) + "\n", encoding="utf-8")
    memory = tmp_path / "memory.jsonl"
    record = {"src_lang": "vi", "tgt_lang": "zh", "text": memory_text, "translation": "你好"}
    memory.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    spec = TranslatorSpec(backend="memory", memory=str(memory))
    task = translate_shard.with_options(retry_delay_seconds=0, retry_jitter_factor=None)

    states = []

    @flow
    def one_shard():
        states.append(task(shard, tmp_path / "out.jsonl", "summary", "summary_zh", "vi", "zh", spec, tmp_path / "c.sqlite", return_state=True))

    one_shard()
    return states[0]


def test_a_memory_miss_is_not_retried(prefect_api, tmp_path):
    state = translate_once(tmp_path, memory_text="tạm biệt")
    assert state.is_failed()
    assert asyncio.run(run_count(state)) == 1


def test_a_transient_failure_is_retried(prefect_api, tmp_path):
    # A cache file that is not a database fails with sqlite3.DatabaseError on every attempt: not bad input.
    (tmp_path / "c.sqlite").write_bytes(b"not a database" * 100)
    state = translate_once(tmp_path, memory_text="xin chào")
    assert state.is_failed()
    assert isinstance(state.result(raise_on_failure=False), sqlite3.DatabaseError)
    assert asyncio.run(run_count(state)) == 4
