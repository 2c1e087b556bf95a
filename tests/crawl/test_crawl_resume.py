"""Resume: SIGKILL a crawl midway, rerun with the same --jobdir/--out: every article exactly once,
and no article that was already written is fetched again."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.crawl_bench import generate_site
from crawl.output import PART_GLOB
from crawl.runner import run_crawl
from crawl.serve import serve_site

from .conftest import FAST_SETTINGS, read_records

ARTICLES = 150


def count_lines(folder: Path) -> int:
    return sum(part.read_bytes().count(b"\n") for part in folder.glob(PART_GLOB))


def test_sigkill_midway_then_rerun_finishes_without_duplicates_or_refetch(tmp_path: Path) -> None:
    paths = generate_site(tmp_path / "site", ARTICLES)
    out, jobdir = tmp_path / "out", tmp_path / "job"
    slow = {**FAST_SETTINGS, "DOWNLOAD_DELAY": 0.01, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
    requested: list[str] = []
    with serve_site(tmp_path / "site", request_log=requested) as base:
        command = [sys.executable, "-m", "crawl", "--site", "vnexpress", "--out", str(out), "--start-url",
                   base + "/sitemap.xml", "--jobdir", str(jobdir), "--settings-json", json.dumps(slow)]
        process = subprocess.Popen(command)
        deadline = time.monotonic() + 120
        while count_lines(out) < 40 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_with = read_records(out)
        assert 40 <= len(killed_with) < ARTICLES
        # a torn last line, as a kill in the middle of a write would leave
        next(out.glob("articles-*.jsonl")).open("ab").write(b'{"id": "torn')
        requested.clear()

        stats = run_crawl("vnexpress", out, [base + "/sitemap.xml"], jobdir=jobdir, settings=FAST_SETTINGS)

    records = read_records(out)
    assert len(records) == ARTICLES
    assert len({record["id"] for record in records}) == ARTICLES
    assert sorted(record["url"].removeprefix(base) for record in records) == sorted(paths)
    assert (stats["articles_resumed"], stats["articles_new"]) == (len(killed_with), ARTICLES - len(killed_with))
    finished_paths = {record["url"].removeprefix(base) for record in killed_with}
    assert {path for path in requested if path.endswith(".html")} == set(paths) - finished_paths
    assert stats["skipped_finished"] >= len(killed_with)  # rediscovered in the sitemap, not fetched


def test_rerun_on_another_port_keeps_ids_and_fetches_nothing_twice(tmp_path: Path) -> None:
    """A local site served again on a new free port (the demo rerun): same ids, no new records,
    no article fetched again, and queue entries for the old port are ignored."""
    generate_site(tmp_path / "site", 12)
    out, jobdir = tmp_path / "out", tmp_path / "job"
    with serve_site(tmp_path / "site") as first_base:
        first = run_crawl("vnexpress", out, [first_base + "/sitemap.xml"], jobdir=jobdir, settings=FAST_SETTINGS)
    requested: list[str] = []
    with serve_site(tmp_path / "site", request_log=requested) as second_base:
        second = run_crawl("vnexpress", out, [second_base + "/sitemap.xml"], jobdir=jobdir, settings=FAST_SETTINGS)
    assert (first["articles_new"], second["articles_new"], second["articles_kept"]) == (12, 0, 12)
    assert second["skipped_finished"] == 12
    assert not [path for path in requested if path.endswith(".html")]
    assert len(read_records(out)) == 12
