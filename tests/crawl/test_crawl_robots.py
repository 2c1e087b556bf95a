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
        with pytest.raises(ConnectionError, match=r"/rss/tin-moi-nhat\.rss \(robots_unavailable_http_503\)"):
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


ARTICLE_PATH = "/thu-tuong-yeu-cau-day-nhanh-giai-ngan-4796501.html"


def site_with_responses(tmp_path: Path, responses: dict, files: dict[str, str] | None = None) -> Path:
    """One VnExpress article and a canned robots.txt chain (RFC 9309 2.3.1.2: redirects are followed)."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(FIXTURES / "charset" / ARTICLE_PATH.lstrip("/"), site)
    for name, text in (files or {}).items():
        (site / name).write_text(text)
    (site / "_responses.json").write_text(json.dumps(responses))
    return site


@pytest.mark.parametrize(
    ("responses", "reason", "robots_requests"),
    [
        # redirected, then 5xx at the new place (retried like any 5xx): disallow all
        ({"/robots.txt": {"status": 301, "location": "/robots-moved.txt"}, "/robots-moved.txt": {"status": 500}},
         "http_500", ["/robots.txt"] + ["/robots-moved.txt"] * 4),
        # redirected to a host that refuses connections: unreachable, disallow all
        ({"/robots.txt": {"status": 302, "location": "http://127.0.0.1:9/robots.txt"}},
         "network_DownloadConnectionRefusedError", ["/robots.txt"]),
    ],
    ids=["redirect-then-500", "redirect-to-unreachable"],
)
def test_a_redirected_robots_txt_that_ends_unavailable_disallows_everything(
    responses: dict, reason: str, robots_requests: list[str], tmp_path: Path
) -> None:
    requested: list[str] = []
    with serve_site(site_with_responses(tmp_path, responses), request_log=requested) as base:
        with pytest.raises(ConnectionError, match=rf"\(robots_unavailable_{reason}\)"):
            run_crawl("vnexpress", tmp_path / "out", [base + ARTICLE_PATH], settings=FAST_SETTINGS)
    stats = json.loads((tmp_path / "out" / "crawl_stats.json").read_text("utf-8"))
    assert requested == robots_requests  # the article itself is never requested
    assert stats["robots_unavailable"] == {base.removeprefix("http://"): reason}
    assert (stats["robots_forbidden"], stats["pages_fetched"], stats["articles_new"]) == (1, 0, 0)


def test_a_robots_txt_unreachable_on_its_own_host_disallows_everything(tmp_path: Path) -> None:
    # the start host itself refuses connections: nothing can be fetched, robots.txt included
    with pytest.raises(ConnectionError, match=r"\(robots_unavailable_network_DownloadConnectionRefusedError\)"):
        run_crawl("vnexpress", tmp_path / "out", ["http://127.0.0.1:9" + ARTICLE_PATH], settings=FAST_SETTINGS)
    stats = json.loads((tmp_path / "out" / "crawl_stats.json").read_text("utf-8"))
    assert stats["robots_unavailable"] == {"127.0.0.1:9": "network_DownloadConnectionRefusedError"}
    assert (stats["robots_forbidden"], stats["pages_fetched"]) == (1, 0)


@pytest.mark.parametrize(
    ("moved", "articles", "forbidden"),
    [("User-agent: *\nDisallow: /thu-tuong\n", 0, 1), ("User-agent: *\nDisallow: /admin/\n", 1, 0), (None, 1, 0)],
    ids=["rules-disallow", "rules-allow", "moved-404"],
)
def test_a_redirected_robots_txt_is_read_at_its_new_place(moved: str | None, articles: int, forbidden: int,
                                                          tmp_path: Path) -> None:
    files = {"robots-moved.txt": moved} if moved else {}
    site = site_with_responses(tmp_path, {"/robots.txt": {"status": 301, "location": "/robots-moved.txt"}}, files)
    requested: list[str] = []
    with serve_site(site, request_log=requested) as base:
        try:
            stats = run_crawl("vnexpress", tmp_path / "out", [base + ARTICLE_PATH], settings=FAST_SETTINGS)
        except ConnectionError:
            stats = json.loads((tmp_path / "out" / "crawl_stats.json").read_text("utf-8"))
    assert requested[:2] == ["/robots.txt", "/robots-moved.txt"]
    assert (stats["articles_new"], stats["robots_forbidden"], stats["robots_unavailable"]) == (articles, forbidden, {})
