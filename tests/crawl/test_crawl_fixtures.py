"""Golden tests: crawl each profile's fixture site and compare every field with expected.json (the
fundus way), plus the stats (bad pages and drops, counted by reason) and robots.txt."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawl.ids import record_id
from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.sites import PROFILES
from crawl.stats import page_outcomes

from .conftest import FAST_SETTINGS, FIXTURES, read_records

RECORD_KEYS = ["category", "crawled_at", "id", "lang", "published", "site", "summary", "text", "title", "url"]


@pytest.mark.parametrize("site", sorted(PROFILES))
def test_fixture_site_extracts_expected_records(site: str, tmp_path: Path) -> None:
    root = FIXTURES / site
    expected = json.loads((root / "expected.json").read_text("utf-8"))
    requested: list[str] = []
    with serve_site(root, request_log=requested) as base:
        # one request at a time: which of two same-body pages is kept (the other is a counted
        # duplicate) must not depend on download timing
        settings = {**FAST_SETTINGS, "CONCURRENT_REQUESTS": 1}
        stats = run_crawl(site, tmp_path, [base + path for path in expected["start_paths"]], settings=settings)

    records = read_records(tmp_path)
    by_path = {urlsplit(record["url"]).path: record for record in records}
    assert len(records) == len(by_path) == len(expected["records"])
    assert sorted(by_path) == sorted(expected["records"])
    for path, fields in expected["records"].items():
        record = by_path[path]
        assert sorted(record) == RECORD_KEYS
        assert record["url"] == base + path
        assert record["id"] == record_id(record["url"])
        assert (record["site"], record["lang"]) == (site, "vi")
        assert {key: record[key] for key in fields} == fields, path
        assert record["summary"] not in record["text"]

    assert {key: stats[key] for key in expected["stats"]} == expected["stats"]
    assert page_outcomes(stats) == stats["pages_fetched"]  # every fetched page is accounted for
    disallowed = [line.split(":", 1)[1].strip() for line in (root / "robots.txt").read_text().splitlines() if line.startswith("Disallow")]
    assert requested.count("/robots.txt") == 1
    assert not [path for path in requested if any(path.startswith(prefix) for prefix in disallowed)]


def test_dantri_bad_pages_are_counted_not_fatal() -> None:
    """The bad-page battery of the dantri fixture, one counter each, and the crawl still finishes."""
    expected = json.loads((FIXTURES / "dantri" / "expected.json").read_text("utf-8"))
    assert expected["stats"]["bad_pages"] == {"http_404": 1, "http_500": 1}
    assert expected["stats"]["failed_requests"] == {"pagination_limit": 1, "redirect_loop": 1, "too_large": 1}
    assert expected["stats"]["decoding"] == {"non_utf8": 1}
    assert expected["stats"]["dropped"] == {"duplicate_body": 1, "no_summary": 1}
    # The windows-1258 page decodes to NFC text like the UTF-8 ones.
    record = expected["records"]["/kinh-doanh/trang-ma-windows-1258-20250316100000009.htm"]
    assert record["title"] == "Xuất khẩu cà phê đạt kỷ lục"
    # Broken HTML: the unclosed sapo does not swallow the body.
    broken = expected["records"]["/xa-hoi/html-hong-20250316100000008.htm"]
    assert broken["summary"].endswith("giao thông ùn tắc đến tối.")


def test_listing_tag_and_video_pages_never_become_records(tmp_path: Path) -> None:
    requested: list[str] = []
    with serve_site(FIXTURES / "dantri", request_log=requested) as base:
        run_crawl("dantri", tmp_path, [base + "/xa-hoi.htm"], settings=FAST_SETTINGS)
    paths = sorted(urlsplit(record["url"]).path for record in read_records(tmp_path))
    assert paths == [
        "/kinh-doanh/doanh-nghiep-tre-goi-von-nong-nghiep-20250318140000321.htm",
        "/xa-hoi/ha-noi-mo-them-tuyen-xe-buyt-dien-noi-san-bay-20250314081500123.htm",
    ]
    assert not [path for path in requested if path.startswith("/video/")]
    # pagination trap: the listing plus at most CLSFORGE_MAX_LISTING_PAGES further pages
    assert len([path for path in requested if path.startswith("/xa-hoi/trang-2.htm")]) == FAST_SETTINGS["CLSFORGE_MAX_LISTING_PAGES"]


def test_clsforge_crawl_command_end_to_end(tmp_path: Path) -> None:
    """The CLI with default (polite) settings: records on disk, a JSON summary line on stdout."""
    with serve_site(FIXTURES / "vnexpress") as base:
        result = subprocess.run(
            [sys.executable, "-c", "from flows.cli import main; main()", "crawl", "--site", "vnexpress",
             "--start-url", base + "/rss/tin-moi-nhat.rss", "--out", str(tmp_path / "out"), "--max-articles", "1"],
            capture_output=True, text=True, check=False,
        )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["articles_kept"] == summary["articles_new"] == 1
    assert len(read_records(tmp_path / "out")) == 1
    stats = json.loads((tmp_path / "out" / "crawl_stats.json").read_text("utf-8"))
    assert stats["finish_reason"] == "max_articles"


def test_a_page_that_fails_with_503_then_recovers_is_retried_and_kept(tmp_path: Path) -> None:
    """Retries with backoff on 5xx/429: the first answer is 503 + Retry-After, the second the page."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "vnexpress", site)
    flaky = "/gia-ca-phe-lap-dinh-moi-4796310.html"
    (site / "_responses.json").write_text(json.dumps({flaky: {"status": 503, "times": 1, "headers": {"Retry-After": "1"}}}))
    requested: list[str] = []
    with serve_site(site, request_log=requested) as base:
        stats = run_crawl("vnexpress", tmp_path / "out", [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    assert requested.count(flaky) == 2
    assert stats["bad_pages"] == {} and stats["articles_kept"] == 2
    assert flaky in {urlsplit(record["url"]).path for record in read_records(tmp_path / "out")}


def test_robots_crawl_delay_becomes_the_download_delay(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "vnexpress", site)
    with (site / "robots.txt").open("a") as robots:
        robots.write("Crawl-delay: 0.2\n")
    with serve_site(site) as base:
        stats = run_crawl("vnexpress", tmp_path / "out", [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    assert stats["crawl_delay"] == {"127.0.0.1": 0.2}
    assert stats["articles_kept"] == 2


def test_an_unreachable_start_url_is_an_error_not_an_empty_success(tmp_path: Path) -> None:
    """Every start URL failing (refused connection, 404) raises; crawl_stats.json names each failure."""
    with serve_site(FIXTURES / "vnexpress") as base:
        # the host refuses connections: its robots.txt is unreachable, which means "disallow all" (RFC 9309);
        # the failure names the network error, not a robots.txt that forbids crawling
        with pytest.raises(ConnectionError, match=r"could not fetch the start URL http://127\.0\.0\.1:9/ "
                           r"\(robots_unavailable_network_DownloadConnectionRefusedError\)"):
            run_crawl("vnexpress", tmp_path / "refused", ["http://127.0.0.1:9/"], settings=FAST_SETTINGS)
        with pytest.raises(ConnectionError, match=r"/no-such-feed\.rss \(http_404\)"):
            run_crawl("vnexpress", tmp_path / "missing", [base + "/no-such-feed.rss"], settings=FAST_SETTINGS)
        with pytest.raises(ConnectionError, match=r"/admin/feed\.rss \(robots_forbidden\)"):
            run_crawl("vnexpress", tmp_path / "forbidden", [base + "/admin/feed.rss"], settings=FAST_SETTINGS)
        # one good start point is enough: the failed one is counted, the crawl succeeds
        stats = run_crawl(
            "vnexpress", tmp_path / "one-good", [base + "/no-such-feed.rss", base + "/rss/tin-moi-nhat.rss"],
            settings=FAST_SETTINGS,
        )
    assert stats["start_failed"] == {base + "/no-such-feed.rss": "http_404"}
    assert stats["articles_kept"] == 2
    refused = json.loads((tmp_path / "refused" / "crawl_stats.json").read_text("utf-8"))
    assert refused["start_failed"] == {"http://127.0.0.1:9/": "robots_unavailable_network_DownloadConnectionRefusedError"}
    assert refused["pages_fetched"] == 0
    assert refused["robots_unavailable"] == {"127.0.0.1:9": "network_DownloadConnectionRefusedError"}


@pytest.mark.parametrize("value", ["0", "-3"])
def test_cli_max_articles_below_one_is_one_line_error(value: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", "crawl", "--site", "vnexpress",
         "--out", str(tmp_path / "out"), "--max-articles", value],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"clsforge: error: --max-articles must be at least 1, got {value}"]
    assert not (tmp_path / "out").exists()


CATEGORY_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tin tức trong nước mới nhất</title>
<meta property="og:type" content="website">
<meta name="description" content="Tin tức trong nước mới nhất hôm nay: thời sự, xã hội, giáo dục, môi trường và đời sống của người dân khắp các tỉnh thành.">
</head><body><h1>Tin tức trong nước mới nhất</h1>
<article><h3><a href="/2024/10/ran-san-ho-vinh-nha-trang-phuc-hoi/">Rạn san hô ở vịnh Nha Trang phục hồi sau 5 năm cấm khai thác</a></h3>
<p>Sau 5 năm cấm khai thác, độ phủ san hô ở nhiều điểm lặn trong vịnh Nha Trang đã tăng rõ rệt, cá rạn quay trở lại đông hơn trước.</p></article>
<article><h3><a href="/2024/10/thu-vien-truong-hoc-mo-cua-cuoi-tuan/">Thư viện trường học mở cửa cuối tuần</a></h3>
<p>Nhiều trường học trong thành phố mở cửa thư viện vào cuối tuần để học sinh và phụ huynh đến đọc sách, mượn sách miễn phí.</p></article>
</body></html>
"""


def test_a_category_page_with_an_article_like_url_is_followed_not_recorded(tmp_path: Path) -> None:
    """generic takes any long slug for an article; a page whose og:type is "website" is a listing."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "generic", site)
    category = "/chuyen-muc/tin-tuc-trong-nuoc-moi-nhat/"
    (site / category.strip("/")).mkdir(parents=True)
    (site / category.strip("/") / "index.html").write_text(CATEGORY_PAGE, encoding="utf-8")
    (site / "feed.xml").write_text(
        '<?xml version="1.0"?><rss><channel><item><link>{{base_url}}' + category + "</link></item></channel></rss>"
    )
    requested: list[str] = []
    with serve_site(site, request_log=requested) as base:
        stats = run_crawl("generic", tmp_path / "out", [base + "/feed.xml"], settings=FAST_SETTINGS)
    paths = sorted(urlsplit(record["url"]).path for record in read_records(tmp_path / "out"))
    assert category in requested
    assert paths == ["/2024/10/ran-san-ho-vinh-nha-trang-phuc-hoi/", "/2024/10/thu-vien-truong-hoc-mo-cua-cuoi-tuan/"]
    assert stats["discovery_pages"] == {"feed": 1, "listing": 1}  # the category page is a listing
    assert stats["bad_pages"] == {}


def test_a_rerun_whose_folder_already_holds_max_articles_fetches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    requested: list[str] = []
    with serve_site(FIXTURES / "vnexpress", request_log=requested) as base:
        first = run_crawl("vnexpress", out, [base + "/rss/tin-moi-nhat.rss"], max_articles=2, settings=FAST_SETTINGS)
        requested.clear()
        again = run_crawl("vnexpress", out, [base + "/rss/tin-moi-nhat.rss"], max_articles=1, settings=FAST_SETTINGS)
    assert first["articles_kept"] == 2
    assert (again["finish_reason"], again["articles_kept"], again["articles_new"]) == ("max_articles", 2, 0)
    assert requested == [] and again["dropped"] == {}
