"""WARC inputs streamed over HTTP and from listings; a killed run resumes per input file, without duplicates."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from crawl.serve import serve_site
from crawl.warc import run
from crawl.warc.run import DONE_FOLDER, extract_warcs, input_key
from crawl.warc.writer import write_warc
from tests.cli import REPO, clsforge

from .conftest import read_records
from .warc_fixtures import fault_warc, fixture_pages

KILL_SCRIPT = """
import os, signal, sys
from crawl.warc import run
original, seen = run.outcomes, [0]
def outcomes(*args):
    for outcome in original(*args):
        seen[0] += 1
        if seen[0] == int(sys.argv[1]):
            os.kill(os.getpid(), signal.SIGKILL)
        yield outcome
run.outcomes = outcomes
run.extract_warcs(["vnexpress", "dantri"], sys.argv[3:], sys.argv[2], progress=False)
"""


def three_inputs(tmp_path: Path) -> list[str]:
    """vnexpress pages (7 records), the fault file (16, two of them duplicates of the first), dantri pages."""
    first = write_warc(tmp_path / "in" / "CC-NEWS-1.warc.gz", fixture_pages("vnexpress"))
    second = fault_warc(tmp_path)
    third = write_warc(tmp_path / "in" / "CC-NEWS-3.warc.gz", fixture_pages("dantri"))
    return [str(first), str(second), str(third)]


def test_a_killed_run_redoes_only_the_file_in_flight_and_writes_no_duplicate(tmp_path: Path, monkeypatch) -> None:
    inputs = three_inputs(tmp_path)
    whole = extract_warcs(["vnexpress", "dantri"], inputs, tmp_path / "whole", progress=False)
    assert whole["dropped"]["duplicate_url"] == 3  # the fault file repeats two articles of the first, the last one of it

    out = tmp_path / "killed"
    killed = subprocess.run([sys.executable, "-c", KILL_SCRIPT, "12", str(out), *inputs], cwd=REPO, check=False)
    assert killed.returncode == -9
    assert sorted(p.name for p in (out / DONE_FOLDER).iterdir()) == [f"{input_key(inputs[0])}.json"]
    assert (out / f".articles-warc-{input_key(inputs[1])}.jsonl.tmp").exists()  # the file in flight

    opened: list[str] = []
    original = run.open_input
    monkeypatch.setattr(run, "open_input", lambda name: opened.append(name) or original(name))
    resumed = extract_warcs(["vnexpress", "dantri"], inputs, out, progress=False)

    assert opened == inputs[1:]
    assert (resumed["files_done"], resumed["files_new"]) == (3, 2)
    records = read_records(out)
    assert len({record["id"] for record in records}) == len(records) == whole["articles_kept"] == 10
    assert sorted(records, key=lambda r: r["id"]) == sorted(read_records(tmp_path / "whole"), key=lambda r: r["id"])
    keys = ("records_read", "outcomes", "dropped", "http_statuses", "sites", "articles_kept")
    assert {key: resumed[key] for key in keys} == {key: whole[key] for key in keys}
    assert not list(out.glob(".*.tmp"))


def test_a_part_renamed_but_not_marked_done_is_redone_not_duplicated(tmp_path: Path) -> None:
    inputs = three_inputs(tmp_path)
    out = tmp_path / "out"
    first = extract_warcs(["vnexpress", "dantri"], inputs, out, progress=False)
    (out / DONE_FOLDER / f"{input_key(inputs[2])}.json").unlink()  # killed between rename and marker
    again = extract_warcs(["vnexpress", "dantri"], inputs, out, progress=False)
    assert again["files_new"] == 1
    assert len(read_records(out)) == first["articles_kept"] == again["articles_kept"] == 10
    assert again["dropped"] == first["dropped"]


def test_a_warc_url_is_streamed_and_a_listing_picks_the_months(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_warc(site / "crawl-data/CC-NEWS/2024/10/CC-NEWS-20241031.warc.gz", fixture_pages("dantri"))
    write_warc(site / "crawl-data/CC-NEWS/2024/11/CC-NEWS-20241101.warc.gz", fixture_pages("vnexpress"))
    listing = "crawl-data/CC-NEWS/2024/10/CC-NEWS-20241031.warc.gz\ncrawl-data/CC-NEWS/2024/11/CC-NEWS-20241101.warc.gz\n"
    (site / "warc.paths.gz").write_bytes(gzip.compress(listing.encode()))
    with serve_site(site) as base:
        streamed = extract_warcs(["vnexpress"], [base + "/crawl-data/CC-NEWS/2024/11/CC-NEWS-20241101.warc.gz"], tmp_path / "url", progress=False)
        done = clsforge(
            "warc", "--site", "vnexpress", "--site", "dantri", "--paths-file", base + "/warc.paths.gz",
            "--base-url", base, "--from", "2024-11", "--to", "2024-12", "--out", str(tmp_path / "listed"),
        )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert (summary["files_done"], summary["files_total"], summary["records_read"], summary["articles_kept"]) == (1, 1, 9, 3)
    assert streamed["outcomes"] == summary["outcomes"] == {"dropped": 1, "kept": 3, "not_an_article": 1, "not_html": 4}
    assert read_records(tmp_path / "url") == read_records(tmp_path / "listed")
    # a URL names an immutable archive: its marker keeps no size/mtime, a rerun never reads it again
    assert ["stat" in json.loads(marker.read_text()) for marker in (tmp_path / "url" / DONE_FOLDER).iterdir()] == [False]


def test_an_unreadable_input_is_reported_after_the_others_are_done(tmp_path: Path) -> None:
    good = write_warc(tmp_path / "good.warc.gz", fixture_pages("vnexpress"))
    done = clsforge("warc", "--site", "vnexpress", "--input", str(tmp_path / "missing.warc.gz"), "--input", str(good),
                    "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.startswith("clsforge: error: 1 WARC input(s) could not be read, e.g. ")
    assert "FileNotFoundError" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    stats = json.loads((tmp_path / "out" / "crawl_stats.json").read_text())
    assert (stats["files_done"], stats["files_total"], stats["articles_kept"]) == (1, 2, 3)
    assert list(stats["files_failed"]) == [str(tmp_path / "missing.warc.gz")]


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    warc = str(write_warc(tmp_path / "a.warc.gz", fixture_pages("generic")))
    cases = {
        ("--site", "generic", "--input", warc): "site 'generic' has no hosts of its own; give its hosts with --host",
        ("--site", "vnexpress", "--site", "dantri", "--host", "x.vn", "--input", warc): "--host applies to one --site",
        ("--site", "vnexpress", "--input", "s3://commoncrawl/crawl-data/x.warc.gz"): "needs boto3",
        ("--site", "vnexpress", "--input", "ftp://host/x.warc.gz"): "unsupported WARC input",
        ("--site", "vnexpress", "--input", warc, "--from", "2024-01"): "--paths-file, --from, --to and --base-url replace --input",
        ("--site", "nosuch", "--input", warc): "unknown site 'nosuch'",
        ("--site", "vnexpress"): "no WARC input",
        ("--site", "vnexpress", "--from", "2024-13"): "a month is written YYYY-MM, got '2024-13'",
    }
    for args, message in cases.items():
        done = clsforge("warc", *args, "--out", str(tmp_path / "out"))
        assert done.returncode == 2, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("clsforge: error: ") and message in lines[0], (args, lines)
    done = clsforge("warc", "--site", "generic", "--host", "news.example", "--input", warc, "--out", str(tmp_path / "g"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["articles_kept"] == 4


def test_months_alone_mean_the_ccnews_monthly_listings() -> None:
    from crawl.warc.sources import ccnews_listings

    assert ccnews_listings("2024-11", "2025-02") == [
        f"https://data.commoncrawl.org/crawl-data/CC-NEWS/{month}/warc.paths.gz"
        for month in ("2024/11", "2024/12", "2025/01", "2025/02")
    ]


def test_a_stream_that_breaks_off_is_not_marked_done_and_is_read_again(tmp_path: Path) -> None:
    """The server promises the whole file and closes the connection halfway: the input fails (counted),
    nothing of it is kept, and the rerun (the server well again) reads it whole."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import pytest

    data = write_warc(tmp_path / "a.warc.gz", fixture_pages("vnexpress")).read_bytes()
    broken = [True]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2] if broken[0] else data)

        def log_message(self, *args) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/a.warc.gz"
    try:
        with pytest.raises(ConnectionError, match=r"1 WARC input\(s\) could not be read, e.g. .*IncompleteRead"):
            extract_warcs(["vnexpress"], [url], tmp_path / "out", progress=False)
        assert read_records(tmp_path / "out") == [] and not list((tmp_path / "out" / DONE_FOLDER).iterdir())
        broken[0] = False
        stats = extract_warcs(["vnexpress"], [url], tmp_path / "out", progress=False)
    finally:
        server.shutdown()
        server.server_close()
    assert (stats["files_done"], stats["files_new"], stats["articles_kept"], stats["files_failed"]) == (1, 1, 3, {})
    assert len(read_records(tmp_path / "out")) == 3
