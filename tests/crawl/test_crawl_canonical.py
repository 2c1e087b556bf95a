"""`rel=canonical` that does not name the article (issue 11, kind 7): a CMS template pointing every page
to the site root or to a section page must not become the record's url and id (all but the first such
article would be dropped as `duplicate_url`). Ignored canonicals are counted in crawl_stats.json."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawl.extract import extract_article
from crawl.ids import record_id
from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.sites import get_profile
from crawl.stats import page_outcomes

from .conftest import FAST_SETTINGS, FIXTURES, read_records

URL = "https://tuoitre.vn/khoi-cong-cau-20240921142035123.htm"
PAGE = """<html><head><meta charset="utf-8">{head}</head><body><h1 class="detail-title">Khởi công cầu</h1>
<h2 class="detail-sapo">TTO - Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh.</h2>
<div class="detail-content"><p>Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành.</p></div></body></html>"""


def extract(head: str, url: str = URL, site: str = "tuoitre") -> dict:
    fields = extract_article(HtmlResponse(url, body=PAGE.format(head=head).encode()).selector, url, get_profile(site))
    return {"url": fields["url"], "canonical_ignored": fields["extraction"].get("canonical_ignored")}


@pytest.mark.parametrize(
    ("href", "url", "ignored"),
    [
        ("https://tuoitre.vn/", URL, "site_root"),
        ("/", URL, "site_root"),
        ("https://tuoitre.vn", URL, "site_root"),
        ("https://tuoitre.vn/thoi-su.htm", URL, "not_article_url"),  # a section page
        ("/video/khoi-cong-cau-20240921142035123.htm", URL, "not_article_url"),  # a path the profile excludes
        ("https://baomoi.com/khoi-cong-cau-20240921142035123.htm", URL, "other_host"),
        ("https://[tuoitre.vn/khoi-cong-cau-20240921142035123.htm", URL, "malformed"),  # urlsplit: Invalid IPv6 URL
        ("https://tuoitre.vn:80x/khoi-cong-cau-20240921142035123.htm", URL, "malformed"),  # a port that is no number
        # a canonical naming an article of the site is the record's url
        ("/khoi-cong-cau-moi-20240921142035123.htm", "https://tuoitre.vn/khoi-cong-cau-moi-20240921142035123.htm", None),
        (URL, URL, None),
    ],
)
def test_a_canonical_that_is_not_an_article_url_is_ignored(href: str, url: str, ignored: str | None) -> None:
    assert extract(f'<link rel="canonical" href="{href}">') == {"url": url, "canonical_ignored": ignored}


def test_a_canonical_cleans_the_fetched_url() -> None:
    assert extract(f'<link rel="canonical" href="{URL}">', URL + "?utm_source=fb") == {"url": URL, "canonical_ignored": None}


def test_generic_sites_ignore_a_root_or_section_canonical_too() -> None:
    url = "https://baomoi.example/2024/09/khoi-cong-cau-moi-bac-qua-song/"
    assert extract('<link rel="canonical" href="/tin-tuc/">', url, "generic") == {"url": url, "canonical_ignored": "not_article_url"}
    assert extract('<link rel="canonical" href="/">', url, "generic") == {"url": url, "canonical_ignored": "site_root"}


def test_a_default_port_is_not_part_of_the_record_url() -> None:
    assert extract("", URL.replace("tuoitre.vn", "tuoitre.vn:443")) == {"url": URL, "canonical_ignored": None}
    assert extract("", URL.replace("https://tuoitre.vn", "http://tuoitre.vn:80"))["url"] == URL.replace("https", "http")


def test_a_crawl_keeps_articles_whose_canonical_is_the_site_root(tmp_path: Path) -> None:
    """Two Tuổi Trẻ articles, one canonical to the root, one to a section page: both kept under their
    own URLs (not one of them dropped as duplicate_url), the ignored canonicals counted."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "tuoitre" / "rss", site / "rss")
    pages = {"hon-98-000-thi-sinh-thi-lop-10-20241001093000123.htm": "{{base_url}}/",
             "cam-bien-giay-do-do-man-20241002100000456.htm": "/khoa-hoc.htm"}
    for name, canonical in pages.items():
        html = (FIXTURES / "tuoitre" / name).read_text("utf-8")
        (site / name).write_text(html.replace(f"{{{{base_url}}}}/{name}", canonical), "utf-8")
    with serve_site(site) as base:
        stats = run_crawl("tuoitre", tmp_path / "out", [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    records = read_records(tmp_path / "out")
    assert sorted((r["url"].removeprefix(base), r["id"]) for r in records) == sorted(
        (f"/{name}", record_id(f"{base}/{name}")) for name in pages)
    assert (stats["articles_new"], stats["dropped"]) == (2, {})
    assert stats["canonical_ignored"] == {"not_article_url": 1, "site_root": 1}
    assert page_outcomes(stats) == stats["pages_fetched"] == 3
