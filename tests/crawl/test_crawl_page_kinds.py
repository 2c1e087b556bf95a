"""What a fetched page is, and links that cannot be requested (issue 11, item 7; probe defects D13, D21):
og:type values other than "article" do not turn a real article into a listing, only known non-article
og:types make a listing, an article-URL page set aside for its og:type is a counted drop, and one
malformed link in a listing or a sitemap is skipped and counted while the rest are followed.
Every fetched page still ends as exactly one counted outcome."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.stats import page_outcomes

from .conftest import FAST_SETTINGS, FIXTURES, read_records

ARTICLE = (FIXTURES / "charset" / "thu-tuong-yeu-cau-day-nhanh-giai-ngan-4796501.html").read_text("utf-8")
NEWS_ARTICLE_LD = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>'
LISTING = '<!DOCTYPE html><html><head><meta property="og:type" content="website"></head><body>{links}</body></html>'


def article(number: int, og_type: str | None = None, *, body: bool = True, head: str = "") -> str:
    """The VnExpress fixture article with its own body sentence (no duplicate bodies), an og:type
    (None: no og:type meta) and, with `body=False`, without the profile's body container."""
    html = ARTICLE.replace("</article>", f'<p class="Normal">Đây là bài số {number} trong loạt bài về giải ngân.</p></article>')
    meta = "" if og_type is None else f'<meta property="og:type" content="{og_type}">'
    html = html.replace("</head>", meta + head + "</head>")
    return html.replace('<article class="fck_detail">', "<article>") if not body else html


def feed(paths: list[str]) -> str:
    items = "".join(f"<item><link>{{{{base_url}}}}{path}</link></item>" for path in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def crawl(tmp_path: Path, files: dict[str, str], start: str) -> tuple[dict, dict[str, dict]]:
    site = tmp_path / "site"
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, "utf-8")
    with serve_site(site) as base:
        stats = run_crawl("vnexpress", tmp_path / "out", [base + start], settings=FAST_SETTINGS)
    assert stats["pages_fetched"] == page_outcomes(stats)
    return stats, {urlsplit(r["url"]).path.lstrip("/"): r for r in read_records(tmp_path / "out")}


def test_og_type_does_not_turn_a_real_article_into_a_listing(tmp_path: Path) -> None:
    pages = {
        # article URL + the profile's body container: an article whatever og:type says
        "a-website-4796500.html": article(0, "website"),
        "a-news-4796501.html": article(1, "news"),
        "a-article-news-4796502.html": article(2, "article:news"),
        "a-space-4796503.html": article(3, "Article "),
        "a-none-4796504.html": article(4, None),
        "a-newsarticle-4796505.html": article(5, "NewsArticle"),
        "a-video-4796506.html": article(6, "video.other"),
        # article URL without the body container but with JSON-LD NewsArticle
        "a-ld-website-4796507.html": article(7, "website", body=False, head=NEWS_ARTICLE_LD),
        # any URL with JSON-LD NewsArticle and an og:type that is not a known non-article one
        "bai-viet/khong-co-ma.html": article(8, "news", head=NEWS_ARTICLE_LD),
        # article URL, known non-article og:type, no article markup: set aside and counted (a clip: video_page)
        "a-video-only-4796509.html": article(9, "video.other", body=False),
        # a listing: not an article URL, og:type website
        "thoi-su.html": LISTING.format(links='<a href="/a-listed-4796510.html">x</a>'),
        "a-listed-4796510.html": article(10, "website"),
    }
    feed_paths = [f"/{path}" for path in pages if path not in ("a-listed-4796510.html",)]
    stats, records = crawl(tmp_path, {**pages, "rss/tin-moi-nhat.rss": feed(feed_paths)}, "/rss/tin-moi-nhat.rss")
    assert sorted(records) == sorted(set(pages) - {"a-video-only-4796509.html", "thoi-su.html"})
    assert (stats["articles_new"], stats["dropped"], stats["discovery_pages"], stats["bad_pages"], stats["errors"]) == (
        10, {"video_page": 1}, {"feed": 1, "listing": 1}, {}, {})
    assert stats["pages_fetched"] == 13
    assert records["a-website-4796500.html"]["title"] == "Thủ tướng yêu cầu đẩy nhanh giải ngân vốn đầu tư công"


def test_known_non_article_og_types() -> None:
    from parsel import Selector

    from crawl.discovery import declares_non_article

    def og(value: str) -> Selector:
        return Selector(f'<html><head><meta property="og:type" content="{value}"></head></html>')

    assert [declares_non_article(og(v)) for v in ("website", "Website ", "video.other", "profile", "music.song", "book")] == [True] * 6
    assert [declares_non_article(og(v)) for v in ("article", "news", "article:news", "NewsArticle", "Article ", "blog")] == [False] * 6
    assert declares_non_article(Selector("<html><head></head></html>")) is False


@pytest.mark.parametrize("bad", ["http://[bad/x-4796999.html", "//[::1/x-4796998.html", "http://[127.0.0.1]/x-4796997.html"])
def test_a_malformed_link_in_a_listing_is_skipped_and_counted(bad: str, tmp_path: Path) -> None:
    links = f'<a href="{bad}">x</a><a href="/a-good-4796501.html">ok</a><a href="/thoi-su-p2">next</a>'
    files = {"thoi-su.html": LISTING.format(links=links), "a-good-4796501.html": article(1),
             "thoi-su-p2": LISTING.format(links=f'<a href="{bad}">x</a><a href="/a-second-4796502.html">ok</a>'),
             "a-second-4796502.html": article(2)}
    stats, records = crawl(tmp_path, files, "/thoi-su.html")
    assert sorted(records) == ["a-good-4796501.html", "a-second-4796502.html"]
    assert (stats["pages_fetched"], stats["discovery_pages"], stats["errors"], stats["start_failed"]) == (
        4, {"listing": 2}, {}, {})
    assert stats["failed_requests"] == {"malformed_link": 2}


def test_a_malformed_loc_in_a_sitemap_is_skipped_and_counted(tmp_path: Path) -> None:
    urlset = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              "<url><loc>http://[bad/x-4796999.html</loc></url><url><loc>{{base_url}}/a-good-4796501.html</loc></url>"
              "<url><loc>{{base_url}}/sitemap-2.xml</loc></url></urlset>")
    index = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<url><loc>http://[bad/y-4796998.html</loc></url><url><loc>{{base_url}}/a-second-4796502.html</loc></url></urlset>")
    files = {"sitemap.xml": urlset, "sitemap-2.xml": index, "a-good-4796501.html": article(1), "a-second-4796502.html": article(2)}
    stats, records = crawl(tmp_path, files, "/sitemap.xml")
    assert sorted(records) == ["a-good-4796501.html", "a-second-4796502.html"]
    assert (stats["pages_fetched"], stats["discovery_pages"], stats["errors"]) == (4, {"sitemap": 2}, {})
    assert stats["failed_requests"] == {"malformed_link": 2}
