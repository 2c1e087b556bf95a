"""Flow tasks retry transient failures, but never bad input or a clean stop such as a memory miss."""

import asyncio
import json
import time

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.logging.handlers import APILogHandler

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


def test_a_transient_failure_is_retried(prefect_api, tmp_path, monkeypatch):
    # The translator's connection drops twice, then the call goes through: the third attempt succeeds.
    import curate.translate.run as run

    real, calls = run.translate_file, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionResetError(104, "Connection reset by peer")
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "translate_file", flaky)
    state = translate_once(tmp_path, memory_text="xin chào")
    assert state.is_completed()
    assert state.result()["translated"] == 1
    assert asyncio.run(run_count(state)) == 3
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["summary_zh"] == "你好"


def test_translator_retries_are_lines_in_the_task_log(prefect_api, tmp_path, google_emulator):
    # Issue 17: inside a flow, each retry of the translator is a line of the task's own log, with its reason.
    from prefect.client.schemas.filters import LogFilter, LogFilterTaskRunId

    google_emulator.config.scripted = ["503", "503"]
    shard = tmp_path / "shard.jsonl"
    shard.write_text(json.dumps({"id": "1", "summary": "xin chào"}, ensure_ascii=False) + "\n", encoding="utf-8")
    spec = TranslatorSpec(backend="google-v2", google_endpoint=google_emulator.url)
    states = []

    @flow
    def one_shard():
        states.append(translate_shard(shard, tmp_path / "out.jsonl", "summary", "summary_zh", "vi", "zh", spec, tmp_path / "c.sqlite", return_state=True))

    one_shard()
    state = states[0]
    assert state.is_completed()

    async def task_log() -> list[str]:
        async with get_client() as client:
            task_run_id = state.state_details.task_run_id
            logs = await client.read_logs(log_filter=LogFilter(task_run_id=LogFilterTaskRunId(any_=[task_run_id])))
            return [log.message for log in logs]

    # Prefect ships log lines to the API in batches from a background worker: drain it, then read until both
    # lines are there (or 15 s pass), so the check is on what the task logged, not on how fast it was shipped.
    APILogHandler().flush()
    deadline = time.monotonic() + 15
    while True:
        retry_lines = [line for line in asyncio.run(task_log()) if line.startswith("google-v2: retrying (503")]
        if len(retry_lines) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(retry_lines) == 2
    assert "attempt 1 failed" in retry_lines[0] and "attempt 2 failed" in retry_lines[1]
