"""robots.txt status codes as RFC 9309 (2.3.1.3, 2.3.1.4) reads them (issue 11, item 11): a robots.txt
answering 5xx (after the retries) means "disallow all"; a 4xx means "allow all", even when the error
page's body reads like rules. Scrapy alone parses whatever body comes back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crawl.runner import run_crawl
from crawl.serve import serve_site

from .conftest import FAST_SETTINGS, FIXTURES, read_records

DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


def site_with_robots(tmp_path: Path, status: int) -> Path:
    """The vnexpress fixture whose robots.txt reads "disallow all" and answers `status`."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "vnexpress", site)
    (site / "robots.txt").write_text(DISALLOW_ALL)
    (site / "_responses.json").write_text(json.dumps({"/robots.txt": {"file": True, "status": status}}))
    return site


def test_robots_txt_answering_503_disallows_everything(tmp_path: Path) -> None:
    site = site_with_robots(tmp_path, 503)
    site.joinpath("robots.txt").write_text("User-agent: *\nAllow: /\n")  # the body of an error page is no rule
    requested: list[str] = []
    with serve_site(site, request_log=requested) as base:
        with pytest.raises(ConnectionError, match=r"/rss/tin-moi-nhat\.rss \(robots_forbidden\)"):
            run_crawl("vnexpress", tmp_path / "out", [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    stats = json.loads((tmp_path / "out" / "crawl_stats.json").read_text("utf-8"))
    host = base.removeprefix("http://")
    assert requested == ["/robots.txt"] * (1 + 3)  # retried like any 5xx (RETRY_TIMES = 3), then read as disallow
    assert stats["robots_unavailable"] == {host: "http_503"}
    assert (stats["robots_forbidden"], stats["pages_fetched"], stats["articles_kept"]) == (1, 0, 0)
    assert read_records(tmp_path / "out") == []


@pytest.mark.parametrize("status", [403, 404])
def test_robots_txt_answering_4xx_allows_everything(status: int, tmp_path: Path) -> None:
    site = site_with_robots(tmp_path, status)  # an error page whose body says "Disallow: /"
    with serve_site(site) as base:
        stats = run_crawl("vnexpress", tmp_path / "out", [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    assert (stats["robots_forbidden"], stats["robots_unavailable"], stats["articles_kept"]) == (0, {}, 2)
