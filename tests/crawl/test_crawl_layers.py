"""The extraction layers (profile layout -> JSON-LD -> meta -> trafilatura): one fixture page per
layout of every profile (the fundus way: every parser version has HTML and expected JSON), dates,
description choice, the sapo kept out of the body, text blocks, and the layout-drift alarm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawl.blocks import text_blocks
from crawl.dates import parse_date, parse_offset
from crawl.drift import layout_drift
from crawl.extract import extract_article, published_date
from crawl.fields import choose_lead, meta_description, without_summary
from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.sites import PROFILES, get_profile

from .conftest import FAST_SETTINGS, FIXTURES

BASE = "http://127.0.0.1:8000"
LAYOUT_PAGES = [(site, layout.name) for site, profile in sorted(PROFILES.items()) for layout in profile.layouts]


def extract(site: str, html: str, path: str = "bai-viet-1234567.html") -> dict:
    url = f"{BASE}/{path}"
    return extract_article(HtmlResponse(url, body=html.encode(), encoding="utf-8").selector, url, get_profile(site))


@pytest.mark.parametrize("site", sorted(PROFILES))
def test_every_layout_of_every_profile_has_a_fixture_page(site: str) -> None:
    layouts = [layout.name for layout in PROFILES[site].layouts]
    path = FIXTURES / site / "layouts.json"
    assert sorted(json.loads(path.read_text("utf-8")) if path.exists() else {}) == sorted(layouts)
    assert len(set(layouts)) == len(layouts)


@pytest.mark.parametrize(("site", "layout"), LAYOUT_PAGES)
def test_a_layout_fixture_page_extracts_exactly(site: str, layout: str) -> None:
    expected = json.loads((FIXTURES / site / "layouts.json").read_text("utf-8"))[layout]
    page = expected.pop("page")
    html = (FIXTURES / site / page).read_text("utf-8").replace("{{base_url}}", BASE)
    fields = extract(site, html, page)
    assert fields.pop("url") == f"{BASE}/{page}"
    assert fields == expected
    assert fields["extraction"]["layout"] == layout
    assert fields["summary"] not in fields["text"] and fields["title"] not in fields["text"].split("\n")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025-03-02T08:05:00.000 +07:00", "2025-03-02T08:05:00+07:00"),  # VietNamNet JSON-LD: a space before the offset
        ("02/03/2025 08:05 (GMT+07:00)", "2025-03-02T08:05:00+07:00"),  # VietNamNet div.publish-date
        ("Thứ ba, 1/10/2024, 09:30 (GMT+7)", "2024-10-01T09:30:00+07:00"),
        ("Thứ sáu, 14/03/2025 - 08:15", "2025-03-14T08:15:00+07:00"),  # no offset: the site's +07:00
        ("2024-09-21 14:20:35", "2024-09-21T14:20:35+07:00"),
        ("2025-03-14T01:15:00Z", "2025-03-14T01:15:00+00:00"),
        ("2025-03-14T08:15:00.123456+0700", "2025-03-14T08:15:00+07:00"),
        ("08:05 02/03/2025", "2025-03-02T08:05:00+07:00"),
        ("(01/10/2024)", "2024-10-01T00:00:00+07:00"),
        ("năm 2020", None),
        ("31/02/2025 10:00", None),
        ("", None),
    ],
)
def test_date_forms(text: str, iso: str | None) -> None:
    parsed = parse_date(text, parse_offset("+07:00"))
    assert (parsed.iso() if parsed else None) == iso


VNN_DATED = """<html><head>{jsonld}</head><body><h1 class="content-detail-title">Tiêu đề</h1>{visible}
<div class="maincontent"><p>Nội dung bài viết.</p></div></body></html>"""
JSONLD_DATE = '<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{}"}}</script>'


def test_vietnamnet_date_from_json_ld_alone_and_seconds_kept_from_any_source() -> None:
    only_jsonld = VNN_DATED.format(jsonld=JSONLD_DATE.format("2025-03-02T08:05:00.000 +07:00"), visible="")
    fields = extract("vietnamnet", only_jsonld)
    assert (fields["published"], fields["extraction"]["sources"]["published"]) == ("2025-03-02T08:05:00+07:00", "jsonld")
    both = VNN_DATED.format(jsonld=JSONLD_DATE.format("2025-03-02T08:05:37.000 +07:00"),
                            visible='<div class="publish-date">02/03/2025 08:05 (GMT+07:00)</div>')
    fields = extract("vietnamnet", both)
    assert (fields["published"], fields["extraction"]["sources"]["published"]) == ("2025-03-02T08:05:37+07:00", "profile")
    other_minute = both.replace("08:05:37", "09:15:37")  # a different time is not "the same date with seconds"
    assert extract("vietnamnet", other_minute)["published"] == "2025-03-02T08:05:00+07:00"
    response = HtmlResponse("http://a/x", body=only_jsonld.encode(), encoding="utf-8")
    assert published_date(response.selector, get_profile("vietnamnet")) == "2025-03-02T08:05:00+07:00"


WHOLE = "Khoa cấp cứu mới của Bệnh viện Bạch Mai có 200 giường, gấp đôi khoa cũ, được trang bị hệ thống mới."
CUT = "Khoa cấp cứu mới của Bệnh viện Bạch Mai có 200 giường, gấp đôi khoa cũ, được trang"
SEO = "Bệnh viện Bạch Mai, khoa cấp cứu, 200 giường: tin mới nhất hôm nay"


def test_the_whole_description_wins_over_a_truncation_and_og_over_a_rewritten_meta() -> None:
    assert meta_description(WHOLE, CUT) == WHOLE  # meta cut mid-phrase
    assert meta_description(CUT + "...", WHOLE) == WHOLE  # og cut with an ellipsis
    assert meta_description(WHOLE, SEO) == WHOLE  # they differ: og:description
    assert meta_description("", SEO) == SEO
    assert choose_lead([("jsonld", CUT), ("meta", WHOLE)]) == ("meta", WHOLE)
    assert choose_lead([("jsonld", WHOLE), ("meta", SEO)]) == ("jsonld", WHOLE)
    assert choose_lead([("jsonld", ""), ("meta", "")]) == ("none", "")


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        (WHOLE, ""),
        (WHOLE + " Khoa mở cửa từ 19/3.", "Khoa mở cửa từ 19/3."),  # head of a paragraph
        ("Sáng 19/3, bệnh viện cho biết: " + WHOLE, "Sáng 19/3, bệnh viện cho biết:"),  # tail of a paragraph
        ("gấp đôi khoa cũ, được trang bị hệ thống mới.", ""),  # a piece of the sapo on its own line
        ("Khoa cũ", "Khoa cũ"),  # too short to call a leak
        ("Một đoạn văn khác hẳn.", "Một đoạn văn khác hẳn."),
    ],
)
def test_the_sapo_is_cut_from_a_body_line_wherever_it_shows(line: str, rest: str) -> None:
    assert without_summary(line, WHOLE) == rest


def test_every_text_block_of_the_body_container_in_document_order() -> None:
    html = """<div id="body"><p>Một.</p>Hai trần<div>Ba <b>đậm</b></div><ul><li>Bốn</li><li>Năm</li></ul>
    <blockquote>Sáu</blockquote><table><tr><td>Bảy</td><td>Tám</td></tr></table><script>x()</script>Chín</div>"""
    root = HtmlResponse("http://a/x", body=html.encode(), encoding="utf-8").css("#body")[0].root
    assert [" ".join(block.split()) for block in text_blocks(root, set())] == [
        "Một.", "Hai trần", "Ba đậm", "Bốn", "Năm", "Sáu", "Bảy Tám", "Chín",
    ]


def test_an_unknown_layout_falls_back_layer_by_layer_and_says_so() -> None:
    """A Dân trí page in a markup no layout knows: JSON-LD then meta supply the fields (the whole
    og:description, not the meta description cut mid-phrase), and the sources name them (what the
    drift alarm counts)."""
    html = """<html><head><title>Giá vàng tăng mạnh | Báo Dân trí</title>
    <meta name="description" content="(Dân trí) - Giá vàng miếng tăng thêm 1,2 triệu đồng mỗi lượng trong phiên sáng nay, lên mức">
    <meta property="og:description" content="(Dân trí) - Giá vàng miếng tăng thêm 1,2 triệu đồng mỗi lượng trong phiên sáng nay, lên mức cao nhất lịch sử.">
    <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-04-01T09:00:00+07:00", "articleSection": "Kinh doanh"}</script>
    </head><body><h1 class="news-title">Giá vàng tăng mạnh</h1><div class="news-body">
    <p>(Dân trí) - Giá vàng miếng tăng thêm 1,2 triệu đồng mỗi lượng trong phiên sáng nay, lên mức cao nhất lịch sử.</p>
    <p>Các doanh nghiệp kinh doanh vàng lớn như SJC, PNJ và DOJI đồng loạt điều chỉnh giá bán ra, chênh lệch giữa giá mua và giá bán được nới rộng lên 3 triệu đồng mỗi lượng.</p>
    <p>Giới phân tích cho rằng giá vàng trong nước đang chịu ảnh hưởng của giá thế giới, khi đồng USD suy yếu và nhu cầu trú ẩn tăng cao trước những biến động của thị trường tài chính.</p>
    </div></body></html>"""
    fields = extract("dantri", html, "kinh-doanh/gia-vang-tang-manh-20250401090000111.htm")
    assert fields["title"] == "Giá vàng tăng mạnh"
    assert fields["summary"] == "Giá vàng miếng tăng thêm 1,2 triệu đồng mỗi lượng trong phiên sáng nay, lên mức cao nhất lịch sử."
    assert fields["text"].startswith("Các doanh nghiệp kinh doanh vàng lớn") and fields["summary"] not in fields["text"]
    assert fields["extraction"] == {
        "sources": {"title": "meta", "summary": "meta", "text": "trafilatura", "published": "jsonld", "category": "jsonld"},
        "layout": None, "boxes": {},
    }


def test_layout_drift_needs_enough_articles_and_watches_only_the_profiles_fields() -> None:
    sources = {"title": {"profile": 25}, "summary": {"profile": 15, "meta": 10}, "text": {"profile": 10, "trafilatura": 15}}
    assert layout_drift(sources, ("title", "summary", "text"), 0.8, 20) == {"summary": 0.6, "text": 0.4}
    assert layout_drift(sources, ("title", "summary", "text"), 0.8, 26) == {}  # too few articles to judge
    assert layout_drift(sources, (), 0.8, 20) == {}  # generic: no layouts, nothing to drift
    assert layout_drift({}, ("title",), 0.8, 0) == {}


def test_a_crawl_with_layout_drift_warns_in_one_line_and_says_so_in_the_stats(tmp_path: Path, capfd) -> None:
    """Dân trí fixture: one of 7 kept summaries came from the meta tags (a page without a sapo
    element); with the threshold at 90% after 5 articles that is drift."""
    expected = json.loads((FIXTURES / "dantri" / "expected.json").read_text("utf-8"))
    settings = {**FAST_SETTINGS, "CONCURRENT_REQUESTS": 1, "CLSFORGE_DRIFT_THRESHOLD": 0.9, "CLSFORGE_DRIFT_MIN_ARTICLES": 5}
    with serve_site(FIXTURES / "dantri") as base:
        stats = run_crawl("dantri", tmp_path, [base + path for path in expected["start_paths"]], settings=settings)
    assert stats["layout_drift"] == {"summary": 0.857}
    assert stats["field_sources"]["summary"] == {"meta": 1, "profile": 6}
    warnings = [line for line in capfd.readouterr().err.splitlines() if "layout drift" in line]
    assert warnings == [
        "clsforge: warning: layout drift on dantri: its layouts supplied summary for 86% of 7 kept articles "
        "(threshold 90%); the site's markup may have changed, see field_sources in crawl_stats.json"
    ]


def test_json_ld_article_body_comes_before_trafilatura_and_loses_the_sapo() -> None:
    sapo = "Sáng 21/9, thành phố khởi công cây cầu thứ năm bắc qua sông Sài Gòn, dự kiến thông xe cuối năm 2026."
    body = f"TTO - {sapo}\\nCầu dài 1,2 km, có sáu làn xe.\\nNgười dân kỳ vọng việc đi lại thuận lợi hơn."
    html = f"""<html><head><script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Khởi công cầu mới",
    "description": "TTO - {sapo}", "articleBody": "{body}"}}</script></head><body><div>Trang không có thân bài.</div></body></html>"""
    fields = extract("generic", html, "2024/09/khoi-cong-cau-moi-bac-qua-song/")
    assert (fields["title"], fields["summary"]) == ("Khởi công cầu mới", sapo)
    assert fields["text"] == "Cầu dài 1,2 km, có sáu làn xe.\nNgười dân kỳ vọng việc đi lại thuận lợi hơn."
    assert fields["extraction"]["sources"] == {
        "title": "jsonld", "summary": "jsonld", "text": "jsonld", "published": "none", "category": "none",
    }


def test_json_ld_that_is_broken_or_odd_is_skipped_not_fatal() -> None:
    from crawl.jsonld import news_article

    html = """<html><head>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "thiếu ngoặc",</script>
    <script type="application/ld+json">{"@type": {"odd": 1}, "headline": "kiểu lạ"}</script>
    <script type="application/ld+json">[{"@type": ["WebPage"], "name": "x"},
      {"@type": ["Thing", "NewsArticle"], "headline": "Tiêu đề &amp; tin", "articleSection": [null, "Thể thao"],
       "description": 12, "publisher": ["không phải đối tượng"]}]</script></head><body></body></html>"""
    found = news_article(HtmlResponse("http://a/x", body=html.encode(), encoding="utf-8").selector)
    assert found == {"headline": "Tiêu đề & tin", "articleSection": "Thể thao"}
