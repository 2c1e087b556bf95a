"""Article-ness from markup and feed items (issue 11, kind 7; probe defects D32, D33): a listing page
whose JSON-LD lists its teasers as NewsArticle objects is a listing (no record, its links followed);
a JSON-LD article makes a page an article only when it is the page's own; RSS items whose URL is only
in a permalink `<guid>` are followed, Atom entries by their rel=alternate link, and feed items naming
no URL are counted. Every fetched page still ends as exactly one counted outcome."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from parsel import Selector

from crawl.discovery import FEED, article_signals, jsonld_names_page, xml_entries, xml_links
from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.stats import page_outcomes

from .conftest import FAST_SETTINGS, FIXTURES, read_records

GENERIC = FIXTURES / "generic"
THU_DUC = "2024/09/thanh-pho-thu-duc-khoi-cong-cau-vuot-song/"
NONG_DAN = "2024/09/nong-dan-hau-giang-trung-mua-khom-gia-cao/"
SAN_HO = "2024/10/ran-san-ho-vinh-nha-trang-phuc-hoi/"
PAGE = "https://nld.com.vn/chuyen-muc/tin-tuc/trang-2.htm"


def ld(*objects: object) -> str:
    return "".join(f'<script type="application/ld+json">{json.dumps(o, ensure_ascii=False)}</script>' for o in objects)


def teaser(path: str, headline: str) -> dict:
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
            "url": "{{base_url}}/" + path, "datePublished": "2024-09-21T14:20:35+07:00"}


def category_page(head: str) -> str:
    """Page 2 of a category in a WordPress news theme: a meta description, `head` (JSON-LD), two teasers."""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin tức - Trang 2</title>'
        '<meta name="description" content="Tin tức thời sự, kinh tế, xã hội mới nhất trong ngày được cập nhật liên tục '
        f'từ các phóng viên của báo trên khắp cả nước.">{head}</head><body><main><h1>Tin tức</h1><ul>'
        f'<li><h3><a href="/{THU_DUC}">TP Thủ Đức khởi công cầu vượt sông Sài Gòn thứ năm</a></h3>'
        "<p>Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh.</p></li>"
        f'<li><h3><a href="/{SAN_HO}">Rạn san hô ở vịnh Nha Trang phục hồi sau 5 năm cấm khai thác</a></h3>'
        "<p>Độ phủ san hô sống tại khu vực Hòn Mun đã tăng từ khoảng 12% lên 31%.</p></li>"
        "</ul></main></body></html>"
    )


TEASERS = [teaser(THU_DUC, "TP Thủ Đức khởi công cầu"), teaser(SAN_HO, "Rạn san hô phục hồi")]


def crawl_category(tmp_path: Path, page_two: str) -> tuple[dict, list[str]]:
    """Crawl (generic) a category whose first page links one article and, by rel=next, `page_two`."""
    site = tmp_path / "site"
    for path in (THU_DUC, NONG_DAN, SAN_HO):
        shutil.copytree(GENERIC / path, site / path)
    shutil.copy(GENERIC / "robots.txt", site / "robots.txt")
    (site / "chuyen-muc/tin-tuc").mkdir(parents=True)
    (site / "chuyen-muc/tin-tuc/index.html").write_text(
        '<html><head><meta charset="utf-8"><title>Tin tức</title></head><body><ul>'
        f'<li><a href="/{NONG_DAN}">Nông dân Hậu Giang</a></li></ul>'
        '<a rel="next" href="/chuyen-muc/tin-tuc/trang-2.htm">Trang sau</a></body></html>', "utf-8")
    (site / "chuyen-muc/tin-tuc/trang-2.htm").write_text(page_two, "utf-8")
    with serve_site(site) as base:
        stats = run_crawl("generic", tmp_path / "out", [base + "/chuyen-muc/tin-tuc/"], settings=FAST_SETTINGS)
    assert stats["pages_fetched"] == page_outcomes(stats)
    return stats, sorted(urlsplit(r["url"]).path.lstrip("/") for r in read_records(tmp_path / "out"))


@pytest.mark.parametrize(
    "head",
    [
        ld(TEASERS),  # one top-level array, one object per teaser (the reviewer's page)
        ld(*TEASERS),  # one script per teaser
        ld({"@context": "https://schema.org", "@graph": TEASERS}),
        ld(TEASERS[0]),  # a single teaser object naming another page
        ld([{"@type": "NewsArticle", "headline": "a"}, {"@type": "NewsArticle", "headline": "b"}]),  # several naming no URL
    ],
    ids=["array", "scripts", "graph", "one_other_url", "several_unnamed"],
)
def test_a_listing_whose_json_ld_lists_its_teasers_is_a_listing(head: str, tmp_path: Path) -> None:
    stats, paths = crawl_category(tmp_path, category_page(head))
    assert paths == [NONG_DAN, THU_DUC, SAN_HO]  # no record of trang-2.htm; both of its teasers crawled
    assert (stats["pages_fetched"], stats["articles_new"], stats["discovery_pages"], stats["dropped"]) == (
        5, 3, {"listing": 2}, {})


def test_a_page_told_an_article_by_markup_alone_still_has_its_links_followed(tmp_path: Path) -> None:
    """A listing's next page whose CMS stamps og:type article (no description: dropped as no_summary):
    not the start page, yet its article links are followed."""
    page = category_page('<meta property="og:type" content="article">').replace('<meta name="description"', "<meta")
    stats, paths = crawl_category(tmp_path, page)
    assert paths == [NONG_DAN, THU_DUC, SAN_HO]
    assert (stats["pages_fetched"], stats["articles_new"], stats["discovery_pages"], stats["dropped"]) == (
        5, 3, {"listing": 1}, {"no_summary": 1})


@pytest.mark.parametrize(
    ("head", "url", "article"),
    [
        (ld({"@type": "NewsArticle", "url": PAGE}), PAGE, True),
        (ld({"@type": "NewsArticle", "url": "/chuyen-muc/tin-tuc/trang-2.htm"}), PAGE, True),  # relative
        (ld({"@type": "NewsArticle", "url": "http://www.nld.com.vn/chuyen-muc/tin-tuc/trang-2.htm/"}), PAGE, True),
        (ld({"@type": "NewsArticle", "mainEntityOfPage": {"@type": "WebPage", "@id": PAGE}}), PAGE, True),
        (ld({"@type": "NewsArticle", "headline": "x"}), PAGE, True),  # names no URL
        (ld({"@type": "NewsArticle", "url": "https://nld.com.vn/"}), PAGE, True),  # only the site root
        # fetched with a tracking query: the canonical is the page
        ('<link rel="canonical" href="/bai-viet-1.htm">' + ld({"@type": "NewsArticle", "url": "https://nld.com.vn/bai-viet-1.htm"}),
         "https://nld.com.vn/bai-viet-1.htm?utm_source=fb", True),
        # the page's article and a related one
        (ld({"@type": "NewsArticle", "url": PAGE}, {"@type": "NewsArticle", "url": "https://nld.com.vn/khac.htm"}), PAGE, True),
        (ld({"@type": "WebPage", "url": PAGE, "mainEntity": {"@type": "NewsArticle", "headline": "x"}}), PAGE, True),
        (ld({"@type": "NewsArticle", "url": "https://nld.com.vn/khac.htm"}), PAGE, False),
        (ld({"@type": "NewsArticle", "mainEntityOfPage": "https://nld.com.vn/khac.htm"}), PAGE, False),
        (ld([{"@type": "NewsArticle"}, {"@type": "NewsArticle"}]), PAGE, False),
        (ld({"@type": "NewsArticle", "url": "https://nld.com.vn/a.htm"}, {"@type": "NewsArticle", "url": "https://nld.com.vn/b.htm"}), PAGE, False),
        (ld({"@type": "ItemList", "itemListElement": [{"@type": "NewsArticle", "url": PAGE}]}), PAGE, False),
        # teasers whose mainEntityOfPage is the listing itself: several headlines naming the page
        (ld([{"@type": "NewsArticle", "headline": "Cầu mới", "mainEntityOfPage": PAGE},
             {"@type": "NewsArticle", "headline": "Giá vàng", "mainEntityOfPage": PAGE}]), PAGE, False),
        # the page's one article given twice (NewsArticle and Article with the same headline)
        (ld({"@type": "NewsArticle", "headline": "Cầu mới", "url": PAGE}, {"@type": "Article", "headline": "Cầu mới", "url": PAGE}),
         PAGE, True),
        (ld({"@type": "NewsArticle", "url": "https://nld.com.vn/khac.htm"}), "", True),  # no URL known: one object
    ],
)
def test_a_json_ld_article_must_be_the_page_s_own(head: str, url: str, article: bool) -> None:
    selector = Selector(f"<html><head>{head}</head><body></body></html>")
    assert jsonld_names_page(selector, url) is article
    assert article_signals(selector, (), url) == (["json_ld"] if article else [])


def feed_root(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode())


RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{}</channel></rss>'
ATOM = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{}</feed>'


@pytest.mark.parametrize(
    ("xml", "links", "unlinked"),
    [
        (RSS.format('<item><title>a</title><link></link><guid isPermaLink="true">http://a/x-4796501.html</guid></item>'),
         ["http://a/x-4796501.html"], 0),
        (RSS.format("<item><guid> https://a/y-4796502.html </guid></item>"), ["https://a/y-4796502.html"], 0),  # default: a permalink
        (RSS.format("<item><link>http://a/l-1.html</link><guid>http://a/g-1.html</guid></item>"), ["http://a/l-1.html"], 0),
        (RSS.format('<item><guid isPermaLink="false">http://a/z-4796503.html</guid></item>'), [], 1),
        (RSS.format("<item><guid>vne-4796504</guid></item>"), [], 1),  # not a URL
        # malformed, yet a URL: listed, for the spider to count as failed_requests.malformed_link
        (RSS.format("<item><guid>http://[bad/x-4796505.html</guid></item>"), ["http://[bad/x-4796505.html"], 0),
        (RSS.format("<item><title>only a title</title></item><item><link>http://a/b-1.html</link></item>"), ["http://a/b-1.html"], 1),
        ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
         '<item rdf:about="http://a/r-1.html"><title>r</title></item></rdf:RDF>', ["http://a/r-1.html"], 0),
        (ATOM.format('<entry><link rel="enclosure" href="http://a/p.jpg"/><link rel="replies" href="http://a/c.atom"/>'
                     '<link rel="alternate" href="http://a/e-1.html"/></entry>'), ["http://a/e-1.html"], 0),
        (ATOM.format('<entry><link rel="self" href="http://a/e.atom"/><link href="http://a/e-2.html"/></entry>'), ["http://a/e-2.html"], 0),
        (ATOM.format('<entry><link rel="enclosure" href="http://a/p.jpg"/></entry>'), [], 1),
        (ATOM.format("<entry><title>no link</title></entry>"), [], 1),
    ],
)
def test_feed_items_name_their_page_or_are_counted(xml: str, links: list[str], unlinked: int) -> None:
    assert xml_entries(FEED, feed_root(xml)) == (links, unlinked)
    assert xml_links(FEED, feed_root(xml)) == links


def test_a_feed_whose_items_name_their_url_only_in_guid_is_crawled(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    article = "thu-tuong-yeu-cau-day-nhanh-giai-ngan-4796501.html"
    shutil.copy(FIXTURES / "charset" / article, site / article)
    items = (f'<item><title>a</title><link></link><guid isPermaLink="true">{{{{base_url}}}}/{article}</guid></item>'
             '<item><title>b</title><guid isPermaLink="false">4796502</guid></item>')
    (site / "feed-guid.rss").write_text(RSS.format(items), "utf-8")
    with serve_site(site) as base:
        stats = run_crawl("vnexpress", tmp_path / "out", [base + "/feed-guid.rss"], settings=FAST_SETTINGS)
    assert [urlsplit(r["url"]).path for r in read_records(tmp_path / "out")] == ["/" + article]
    assert (stats["pages_fetched"], stats["articles_new"], stats["discovery_pages"]) == (2, 1, {"feed": 1})
    assert stats["failed_requests"] == {"feed_item_without_link": 1}
    assert stats["pages_fetched"] == page_outcomes(stats)
