"""`clsforge translate` end to end in a subprocess: output, counters line, one-line errors, kill and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from curate.io import read_jsonl, write_jsonl
from tests.cli import CLSFORGE, REPO, clsforge
from tests.google_emulator import fake_translate



def articles(path: Path, count: int) -> list[dict]:
    """Write `count` article records with Vietnamese summaries and return them."""
    records = [{"id": f"a{i}", "summary": f"Bản tin {i}: thời tiết Hà Nội hôm nay có mưa rào."} for i in range(count)]
    write_jsonl(path, records)
    return records


def test_translate_command_writes_the_field_and_prints_counters(google_emulator, tmp_path):
    records = articles(tmp_path / "in.jsonl", 5)
    records[2]["summary"] = ""
    write_jsonl(tmp_path / "in.jsonl", records)
    common = ["translate", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"), "--field", "summary"]
    common += ["--src", "vi", "--tgt", "zh", "--backend", "google-v3", "--google-endpoint", google_emulator.url]
    result = clsforge(*common, "--cache", str(tmp_path / "c.sqlite"))
    assert result.returncode == 0, result.stderr
    counters = json.loads(result.stdout.strip().splitlines()[-1])
    assert (counters["requests"], counters["texts"], counters["empty"], counters["cache_hits"]) == (1, 4, 1, 0)
    assert counters["characters_sent"] == sum(len(r["summary"]) for r in records)
    assert counters["estimated_cost_usd"] == round(counters["characters_sent"] * 20 / 1e6, 4)
    output = list(read_jsonl(tmp_path / "out.jsonl"))
    assert [r["id"] for r in output] == [r["id"] for r in records]
    assert [r["summary_zh"] for r in output] == [fake_translate(r["summary"], "vi", "zh-CN") if r["summary"] else "" for r in records]
    rerun = clsforge(*common, "--cache", str(tmp_path / "c.sqlite"), "--to-field", "zh")
    assert json.loads(rerun.stdout.strip().splitlines()[-1])["requests"] == 0
    assert [r["zh"] for r in read_jsonl(tmp_path / "out.jsonl")] == [r["summary_zh"] for r in output]


def test_errors_are_one_line_with_exit_status_2(google_emulator, tmp_path):
    articles(tmp_path / "in.jsonl", 3)
    base = ["translate", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"), "--field", "summary"]
    (tmp_path / "int.jsonl").write_text('{"summary": "Xin chào."}\n5\n', encoding="utf-8")
    google_emulator.config.always = "403-daily"
    cases = {
        "unknown language 'xx'": [*base, "--src", "xx", "--tgt", "zh", "--backend", "memory"],
        "No such file": ["translate", "--input", str(tmp_path / "nope.jsonl"), "--output", "o", "--field", "f", "--src", "vi", "--tgt", "zh", "--backend", "hf"],
        "unknown translation backend 'deepl'": [*base, "--src", "vi", "--tgt", "zh", "--backend", "deepl"],
        "needs a translation memory": [*base, "--src", "vi", "--tgt", "zh", "--backend", "memory"],
        "record 1 has no field 'title'": [*base[:-1], "title", "--src", "vi", "--tgt", "zh", "--backend", "google-v2", "--google-endpoint", google_emulator.url],
        "daily quota is used up": [*base, "--src", "vi", "--tgt", "zh", "--backend", "google-v3", "--google-endpoint", google_emulator.url],
        "int.jsonl:2: a JSON int, not an object": [*base[:2], str(tmp_path / "int.jsonl"), *base[3:], "--src", "vi", "--tgt", "zh", "--backend", "google-v3", "--google-endpoint", google_emulator.url],
        "is the input file": [*base[:-3], str(tmp_path / "in.jsonl"), *base[-2:], "--src", "vi", "--tgt", "zh", "--backend", "memory"],
    }
    for expected, args in cases.items():
        result = clsforge(*args)
        assert result.returncode == 2, (expected, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert lines[-1].startswith("clsforge: error: ") and expected in lines[-1], (expected, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_same_source_and_target_language_is_refused_before_anything_loads(tmp_path):
    articles(tmp_path / "in.jsonl", 1)
    # --memory names no file: the language check comes before the backend is made
    result = clsforge("translate", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"),
                      "--field", "summary", "--src", "vi", "--tgt", "vi", "--backend", "memory", "--memory", "nope.jsonl")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "clsforge: error: --src and --tgt are both 'vi': nothing to translate\n"
    assert not (tmp_path / "out.jsonl").exists()


def test_a_binary_memory_file_is_named_in_one_line(tmp_path):
    articles(tmp_path / "in.jsonl", 1)
    (tmp_path / "bin").write_bytes(b"\x8d\xff\x00")
    result = clsforge("translate", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"),
                      "--field", "summary", "--src", "vi", "--tgt", "zh", "--backend", "memory", "--memory", str(tmp_path / "bin"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"clsforge: error: {tmp_path / 'bin'}:1: not UTF-8 text (byte 0: invalid start byte)\n"
    assert not (tmp_path / "out.jsonl").exists()


def test_a_killed_run_loses_nothing_and_resends_at_most_the_in_flight_batches(google_emulator, tmp_path):
    records = articles(tmp_path / "in.jsonl", 400)
    google_emulator.config.latency_s = 0.1
    args = ["translate", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"), "--field", "summary"]
    args += ["--src", "vi", "--tgt", "zh", "--backend", "google-v3", "--google-endpoint", google_emulator.url]
    args += ["--cache", str(tmp_path / "c.sqlite"), "--batch-chars", "500", "--concurrency", "3"]
    child = subprocess.Popen([*CLSFORGE, *args], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(google_emulator.answered) < 10 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    first = list(google_emulator.requests)
    answered_before = {text for request in first if request.answered for text in request.contents}
    assert 10 <= len(answered_before) < len(records) and not (tmp_path / "out.jsonl").exists()

    google_emulator.config.latency_s = 0
    google_emulator.reset()
    result = clsforge(*args)
    assert result.returncode == 0, result.stderr
    resent = {text for request in google_emulator.requests for text in request.contents} & answered_before
    batch_size = max(len(request.contents) for request in first)
    assert len(resent) <= 3 * batch_size  # at most the (3) batches that were in flight
    assert [r["summary_zh"] for r in read_jsonl(tmp_path / "out.jsonl")] == [
        fake_translate(r["summary"], "vi", "zh-CN") for r in records
    ]
