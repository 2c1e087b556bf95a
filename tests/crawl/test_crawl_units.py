"""Unit tests of the crawl building blocks: cleaning, profiles, discovery, backoff, bad input."""

from __future__ import annotations

import gzip
import subprocess
import sys
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.settings import Settings

from crawl.discovery import FEED, HTML, SITEMAP, SITEMAP_INDEX, page_kind, xml_links
from crawl.extract import published_date
from crawl.middlewares import BackoffRetryMiddleware
from crawl.pipelines.quality import QualityGatePipeline
from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.sites import get_profile
from crawl.spiders.news import not_utf8, site_host
from crawl.text import body_key, clean_text, looks_vietnamese, strip_summary_prefix


def test_clean_text_is_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "  Thủ   tướng\n\tphát biểu ")
    assert clean_text(decomposed) == "Thủ tướng phát biểu"
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    ("site", "raw", "clean"),
    [
        ("dantri", "(Dân trí) - Giá vàng tăng.", "Giá vàng tăng."),
        ("dantri", "(Dân trí)- Giá vàng tăng.", "Giá vàng tăng."),
        ("tuoitre", "TTO - Mưa lớn kéo dài.", "Mưa lớn kéo dài."),
        ("vnexpress", "HÀ NỘI - Sở Giao thông thí điểm.", "Sở Giao thông thí điểm."),
        ("vnexpress", "TP HCM – Hơn 98.000 thí sinh.", "Hơn 98.000 thí sinh."),
        ("vnexpress", "Bà Rịa - Vũng Tàu đón khách.", "Bà Rịa - Vũng Tàu đón khách."),
    ],
)
def test_summary_prefixes_and_location_stamps_are_stripped(site: str, raw: str, clean: str) -> None:
    assert strip_summary_prefix(raw, get_profile(site).prefix_patterns()) == clean


def test_looks_vietnamese() -> None:
    assert looks_vietnamese("Giá lúa tươi tại nhiều tỉnh Đồng bằng sông Cửu Long tăng mạnh")
    assert not looks_vietnamese("Rice prices rose sharply across the Mekong Delta this week")
    assert not looks_vietnamese("自10月1日起，河内市交通运输局试行公交专用道 Hà Nội")


def test_body_key_ignores_case_punctuation_and_spacing() -> None:
    assert body_key("Giá  lúa, TĂNG mạnh!") == body_key("giá lúa tăng mạnh")
    assert body_key("giá lúa tăng") != body_key("giá lúa giảm")


@pytest.mark.parametrize(
    ("site", "url", "is_article"),
    [
        ("vnexpress", "http://127.0.0.1:8000/gia-ca-phe-lap-dinh-moi-4796310.html", True),
        ("vnexpress", "https://vnexpress.net/video/clip-ket-xe-4796311.html", False),
        ("vnexpress", "https://vnexpress.net/kinh-doanh", False),
        ("dantri", "https://dantri.com.vn/xa-hoi/ha-noi-mo-tuyen-20250314081500123.htm", True),
        ("dantri", "https://dantri.com.vn/xa-hoi/trang-2.htm", False),
        ("tuoitre", "https://tuoitre.vn/hon-98-000-thi-sinh-20241001093000123.htm", True),
        ("moc", "https://moc.gov.vn/vn/tin-tuc/1269/87076/binh-duong.aspx", True),
        ("moc", "https://moc.gov.vn/vn/chuyen-muc/1269/tin-tuc.aspx", False),
        ("generic", "https://example.vn/2024/10/thu-vien-truong-hoc-mo-cua/", True),
        ("generic", "https://example.vn/chuyen-muc/tin-tuc/", False),
    ],
)
def test_article_urls_are_matched_on_the_path(site: str, url: str, is_article: bool) -> None:
    assert get_profile(site).is_article_url(url) is is_article


def test_pagination_urls() -> None:
    profile = get_profile("vnexpress")
    assert profile.is_pagination_url("https://vnexpress.net/thoi-su-p2")
    assert profile.is_pagination_url("https://dantri.com.vn/xa-hoi/trang-3.htm")
    assert not profile.is_pagination_url("https://vnexpress.net/thoi-su")


@pytest.mark.parametrize(
    ("body", "kind", "links"),
    [
        (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc> http://a/s1.xml </loc></sitemap></sitemapindex>', SITEMAP_INDEX, ["http://a/s1.xml"]),
        (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a/x-1234567.html</loc></url></urlset>', SITEMAP, ["http://a/x-1234567.html"]),
        (b'<?xml version="1.0"?><rss><channel><item><link>http://a/b-1234567.html</link></item></channel></rss>', FEED, ["http://a/b-1234567.html"]),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://a/c-1.html"/></entry></feed>', FEED, ["http://a/c-1.html"]),
    ],
)
def test_xml_kinds_are_detected_from_the_body(body: bytes, kind: str, links: list[str]) -> None:
    # served as text/html on purpose: detection must not trust the URL or the content type
    detected, root = page_kind(TextResponse("http://a/whatever.htm", body=body, headers={"Content-Type": "text/html"}))
    assert detected == kind
    assert xml_links(kind, root) == links


def test_html_is_detected() -> None:
    response = HtmlResponse("http://a/sitemap.xml", body=b"<!DOCTYPE html><html><body>x</body></html>")
    assert page_kind(response) == (HTML, None)


def test_published_date_from_meta_and_time_only() -> None:
    page = HtmlResponse("http://a/x", encoding="utf-8", body="""<html><head></head><body>
        <p>Năm 2020 là năm khó khăn.</p><time class="author-time" datetime="2025-03-14 08:15">14/03</time></body></html>""".encode())
    assert published_date(page.selector, get_profile("dantri")) == "2025-03-14T08:15:00+07:00"
    undated = HtmlResponse("http://a/x", encoding="utf-8", body="<html><body><p>Ngày 1/1/2020 trời mưa.</p></body></html>".encode())
    assert published_date(undated.selector, get_profile("dantri")) is None


def test_backoff_doubles_and_honours_retry_after() -> None:
    settings = Settings({"RETRY_ENABLED": True, "RETRY_BACKOFF_BASE": 2.0, "RETRY_BACKOFF_MAX": 60.0})
    middleware = BackoffRetryMiddleware(settings)
    assert [middleware.backoff_delay(attempt) for attempt in (1, 2, 3, 7)] == [2.0, 4.0, 8.0, 60.0]
    limited = XmlResponse("http://a/", status=429, headers={"Retry-After": "5"})
    assert middleware.backoff_delay(1, limited) == 5.0


@pytest.mark.parametrize(
    ("site", "start_urls", "message"),
    [
        ("nosuchsite", None, "unknown site 'nosuchsite'"),
        ("generic", None, "no default start points"),
        ("dantri", ["ftp://dantri.com.vn/x"], "must be an http(s) URL"),
    ],
)
def test_run_crawl_rejects_bad_input(site: str, start_urls: list[str] | None, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_crawl(site, tmp_path, start_urls)


def test_cli_unknown_site_is_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", "crawl", "--site", "nope", "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "clsforge: error: unknown site 'nope'; choose one of: vnexpress, tuoitre, thanhnien, dantri, vietnamnet, baoxaydung, moc, generic"
    ]


def test_site_host_ignores_www_and_case_but_keeps_the_port() -> None:
    assert site_host("https://www.Dantri.com.vn/xa-hoi.htm") == site_host("http://dantri.com.vn/") == "dantri.com.vn"
    assert site_host("http://127.0.0.1:8000/a") != site_host("http://127.0.0.1:8001/a")


def test_serve_site_substitutes_placeholders_and_canned_responses(tmp_path: Path) -> None:
    (tmp_path / "list.htm").write_text('<a href="{{base_url}}/list.htm?page={{next_page}}">next</a>')
    (tmp_path / "_responses.json").write_text('{"/gone": {"status": 410}}')
    log: list[str] = []
    with serve_site(tmp_path, request_log=log) as base:
        body = urllib.request.urlopen(base + "/list.htm?page=7").read().decode()
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(base + "/gone")
        with pytest.raises(urllib.error.HTTPError) as hidden:
            urllib.request.urlopen(base + "/_responses.json")
    assert body == f'<a href="{base}/list.htm?page=8">next</a>'
    assert (gone.value.code, hidden.value.code) == (410, 404)
    assert log == ["/list.htm?page=7", "/gone", "/_responses.json"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({}, None),
        ({"summary": ""}, "no_summary"),
        ({"summary": "Giá vàng tăng mạnh."}, "summary_too_short"),
        ({"summary": "Giá vàng hôm nay tăng mạnh " * 40}, "summary_too_long"),
        ({"summary": "Gold prices rose sharply again today as investors sought safety from the weak dollar"}, "summary_not_vietnamese"),
        ({"title": ""}, "no_title"),
        ({"text": "Một đoạn ngắn."}, "body_too_short"),
    ],
)
def test_quality_gates_name_the_first_failed_gate(change: dict, reason: str | None) -> None:
    settings = Settings({"CLSFORGE_SUMMARY_MIN_WORDS": 10, "CLSFORGE_SUMMARY_MAX_WORDS": 150, "CLSFORGE_BODY_MIN_WORDS": 40})
    gates = QualityGatePipeline(SimpleNamespace(settings=settings))
    record = {
        "lang": "vi",
        "title": "Giá vàng lập đỉnh mới",
        "summary": "Giá vàng miếng trong nước sáng nay tăng thêm một triệu đồng mỗi lượng, lên mức cao nhất từ trước đến nay.",
        "text": "Người dân xếp hàng mua vàng từ sáng sớm tại các cửa hàng trên phố Trần Nhân Tông. " * 5,
    }
    assert gates.failed_gate({**record, **change}) == reason


def test_gzipped_sitemap_is_detected_without_content_encoding() -> None:
    body = gzip.compress(b'<?xml version="1.0"?><urlset><url><loc>http://a/x-1234567.html</loc></url></urlset>')
    kind, root = page_kind(TextResponse("http://a/sitemap.xml.gz", body=body, headers={"Content-Type": "application/octet-stream"}))
    assert (kind, xml_links(kind, root)) == (SITEMAP, ["http://a/x-1234567.html"])


def test_non_utf8_charset_counts_only_pages_that_decode_differently() -> None:
    def page(body: bytes, content_type: str = "text/html") -> HtmlResponse:
        return HtmlResponse("http://a/", body=body, headers={"Content-Type": content_type})

    # nothing declared and ASCII only: Scrapy guesses cp1252, but every charset reads it the same
    assert not not_utf8(page(b"<html><body>" + b"x" * 300 + b"</body></html>"))
    assert not not_utf8(page("<p>Hà Nội</p>".encode()))
    assert not not_utf8(page("<p>Hà Nội</p>".encode(), "text/html; charset=utf-8"))
    assert not_utf8(page("<p>Giá cà phê</p>".encode("cp1258"), "text/html; charset=windows-1258"))
    assert not_utf8(page('<meta charset="windows-1258"><p>Giá cà phê</p>'.encode("cp1258")))
