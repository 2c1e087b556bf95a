"""Retries are never silent, and an endpoint that cannot be reached is reported in seconds (issue 17)."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from curate.translate.base import Backend, BatchLimits
from curate.translate.cache import TranslationCache
from curate.translate.errors import TranslationStopped
from curate.translate.run import make_translator
from curate.translate.spec import TranslatorSpec
from curate.translate.translator import Translator
from tests.cli import clsforge


def _closed_port() -> int:
    """A loopback port where nothing listens (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("backend", ["google-v2", "google-v3"])
def test_unreachable_endpoint_fails_in_seconds_naming_it(backend, capsys):
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    # The default, patient retry policy (600 s): the early rule must cut it short.
    translator = make_translator(TranslatorSpec(backend=backend, google_endpoint=endpoint), progress=False)
    start = time.monotonic()
    with pytest.raises(TranslationStopped) as stopped:
        translator.translate(["Xin chào", "Tạm biệt"], "vi", "zh")
    elapsed = time.monotonic() - start
    assert elapsed < 20
    message = str(stopped.value)
    assert f"cannot reach {endpoint}" in message
    assert "connection refused" in message
    assert "\n" not in message
    # each failed attempt was reported on its own line, with the attempt number and the wait
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith(f"{backend}: retrying")]
    assert len(lines) == 2  # 3 attempts: two retries, then the error
    assert "connection refused" in lines[0] and "attempt 1 of 3" in lines[0] and "next try in" in lines[0]
    assert translator.counters.translated == 0


def test_cli_unreachable_endpoint_is_one_line_error_within_seconds(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "summary": "Xin chào"}, ensure_ascii=False) + "\n", encoding="utf-8")
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    result = clsforge(
        "translate", "--input", str(source), "--output", str(tmp_path / "out.jsonl"), "--field", "summary",
        "--src", "vi", "--tgt", "zh", "--backend", "google-v2", "--google-endpoint", endpoint,
    )
    assert time.monotonic() - start < 30
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("clsforge: error: google-v2: cannot reach " + endpoint)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_server_failing_twice_then_answering_succeeds_with_two_retry_lines(google_emulator, tmp_path, capsys):
    google_emulator.config.scripted = ["503", "429"]
    cache = tmp_path / "cache.sqlite"
    spec = TranslatorSpec(backend="google-v2", google_endpoint=google_emulator.url)
    translator = make_translator(spec, cache=cache, progress=False, retry_initial=0.01, retry_maximum=0.02)
    assert translator.translate(["Xin chào"], "vi", "zh") == ["<zh-CN>Xin chào"]
    translator.close()
    lines = [line for line in capsys.readouterr().err.splitlines() if "retrying" in line]
    assert len(lines) == 2
    assert "503" in lines[0] and "attempt 1" in lines[0]
    assert "429" in lines[1] and "rate limit" in lines[1] and "attempt 2" in lines[1]
    assert sum(1 for request in google_emulator.requests if request.answered) == 1
    # nothing is paid twice: the rerun is answered from the cache
    rerun = make_translator(spec, cache=cache, progress=False)
    assert rerun.translate(["Xin chào"], "vi", "zh") == ["<zh-CN>Xin chào"]
    assert rerun.counters.requests == 0
    rerun.close()


class _FlakyNetwork(Backend):
    """Answers its first request, then refuses connections `refusals` times, then answers again."""

    name = "flaky"
    model = "m"
    limits = BatchLimits(max_segments=1, max_chars=None, max_piece_chars=None)
    endpoint = "http://flaky.invalid"

    def __init__(self, refusals: int) -> None:
        self.calls = 0
        self.refusals = refusals

    def translate_batch(self, texts, src, tgt):
        self.calls += 1
        if 1 < self.calls <= 1 + self.refusals:
            raise requests.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
        return [f"<{tgt}>{text}" for text in texts]

    def error_kind(self, exc):
        return "transient" if isinstance(exc, requests.ConnectionError) else None

    def is_unreachable(self, exc):
        return isinstance(exc, requests.ConnectionError)


def test_after_progress_an_outage_gets_the_patient_backoff(capsys):
    backend = _FlakyNetwork(refusals=6)  # twice the early limit of 3 attempts
    translator = Translator(backend, TranslationCache(None), concurrency=1, retry_initial=0.001, retry_maximum=0.002, progress=False)
    assert translator.translate(["a", "b"], "vi", "zh") == ["<zh>a", "<zh>b"]
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("flaky: retrying")]
    assert len(lines) == 6
    assert "attempt 6 failed" in lines[-1]  # no "of 3": the patient policy has no attempt cap, only a deadline
    assert translator.counters.retries == 6


def test_before_progress_the_same_outage_stops_after_three_attempts():
    backend = _FlakyNetwork(refusals=6)
    backend.calls = 1  # as if the first request had already been sent elsewhere: nothing succeeded here
    translator = Translator(backend, TranslationCache(None), concurrency=1, retry_initial=0.001, retry_maximum=0.002, progress=False)
    with pytest.raises(TranslationStopped, match=r"flaky: cannot reach http://flaky.invalid .*after 3 attempts"):
        translator.translate(["a"], "vi", "zh")
    assert backend.calls == 4
