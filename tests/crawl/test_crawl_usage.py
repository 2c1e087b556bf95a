"""`clsforge crawl`'s usage errors are one line (exit 2) and Scrapy's log goes to OUT/crawl.log, not the console."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawl.runner import LOG_NAME, run_crawl
from crawl.serve import serve_site
from tests.cli import clsforge

from .conftest import FAST_SETTINGS, FIXTURES


def one_error_line(done) -> str:
    """The single stderr line of a failed command (exit 2)."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("clsforge: error: "), done.stderr
    return lines[0].removeprefix("clsforge: error: ")


def test_a_jobdir_that_is_a_file_and_an_unknown_language_are_refused_before_crawling(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    out = tmp_path / "out"
    args = ("crawl", "--site", "vnexpress", "--start-url", "http://127.0.0.1:9/sitemap.xml", "--out", str(out))
    assert one_error_line(clsforge(*args, "--jobdir", str(afile))) == f"--jobdir is a file: {afile}"
    message = one_error_line(clsforge(*args, "--lang", "xx"))
    assert message.startswith("unknown language code 'xx': --lang takes one of py3langid's ")
    assert "vi" in message.split("(")[1]
    assert not out.exists()
    with pytest.raises(ValueError, match="^unknown language code 'vn'"):
        run_crawl("vnexpress", out, ["http://127.0.0.1:9/sitemap.xml"], lang="vn")


def test_a_404_start_url_is_one_line_naming_the_stats_kept(tmp_path: Path) -> None:
    out = tmp_path / "c4"
    with serve_site(FIXTURES / "vnexpress") as base:
        done = clsforge("crawl", "--site", "vnexpress", "--start-url", base + "/nosuch.xml", "--out", str(out))
    assert one_error_line(done) == (
        f"could not fetch the start URL {base}/nosuch.xml (http_404); no start point could be fetched "
        f"(counts in {out / 'crawl_stats.json'})"
    )
    assert sorted(p.name for p in out.iterdir()) == ["crawl_stats.json"]  # no crawl.log: Scrapy logged nothing


def test_scrapy_errors_go_to_the_log_file_not_the_console(tmp_path: Path, capfd) -> None:
    out = tmp_path / "c5"
    with pytest.raises(ConnectionError) as raised:
        run_crawl("vnexpress", out, ["http://127.0.0.1:9/x"], settings=FAST_SETTINGS)
    assert str(raised.value) == (
        "could not fetch the start URL http://127.0.0.1:9/x (robots_unavailable_network_DownloadConnectionRefusedError); no start point "
        f"could be fetched (counts in {out / 'crawl_stats.json'}, Scrapy's log in {out / LOG_NAME})"
    )
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")
    # the host refuses connections: already its robots.txt fails, and the page is never requested
    assert "Gave up retrying <GET http://127.0.0.1:9/robots.txt>" in (out / LOG_NAME).read_text(encoding="utf-8")
