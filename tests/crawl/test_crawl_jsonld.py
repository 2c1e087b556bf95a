"""The JSON-LD layer on real-world shapes (issue 11, kind 2): the page's own NewsArticle among related
ones, full-IRI types, an article nested as `mainEntity`, and articleBody/description holding HTML.
Tuổi Trẻ markup (h1.detail-title, h2.detail-sapo, div.detail-content)."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse

from crawl.extract import extract_article
from crawl.sites import get_profile

URL = "https://tuoitre.vn/khoi-cong-cau-20240921142035123.htm"
SAPO = "Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh, dài 1,2 km, vốn đầu tư hơn 3.000 tỷ đồng."
BODY = "<p>Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án.</p>"
RELATED = {"@type": "NewsArticle", "headline": "Bài liên quan", "url": "https://tuoitre.vn/khac-20240101000000000.htm",
           "datePublished": "2020-01-01T00:00:00+07:00", "articleSection": "Khác"}
OWN = {"@type": "NewsArticle", "headline": "Khởi công cầu", "datePublished": "2024-09-21T14:20:35+07:00",
       "articleSection": "Thời sự"}


def page(*blocks, sapo: str = f"TTO - {SAPO}", body: str = BODY, head: str = "") -> str:
    # "<\/" as sites write it: a "</script>" inside the JSON would end the script element
    data = [json.dumps(block, ensure_ascii=False).replace("</", "<\\/") for block in blocks]
    scripts = "".join(f'<script type="application/ld+json">{text}</script>' for text in data)
    sapo_html = f'<h2 class="detail-sapo">{sapo}</h2>' if sapo else ""
    return (f'<html><head><meta charset="utf-8">{head}{scripts}</head><body><h1 class="detail-title">Khởi công cầu</h1>'
            f'{sapo_html}<div class="detail-content">{body}</div></body></html>')


def extract(html: str, url: str = URL) -> dict:
    fields = extract_article(HtmlResponse(url, body=html.encode()).selector, url, get_profile("tuoitre"))
    return {key: fields[key] for key in ("published", "category")} | {"sources": fields["extraction"]["sources"]}


OWN_FIELDS = {"published": "2024-09-21T14:20:35+07:00", "category": "Thời sự"}


@pytest.mark.parametrize(
    "blocks",
    [
        [RELATED, OWN | {"url": URL}],  # the related article comes first
        [RELATED, OWN | {"@id": URL + "#article"}],
        [RELATED, OWN | {"mainEntityOfPage": {"@type": "WebPage", "@id": URL}}],
        [RELATED, OWN | {"url": URL.replace("https://", "http://www.")}],  # scheme and www. do not matter
        [RELATED, OWN],  # an article node naming no URL is the page's, the one for another URL is not
        [RELATED, OWN | {"url": "https://tuoitre.vn/"}],  # the site root (a broken template) names no article
        [{"@graph": [RELATED, OWN | {"mainEntityOfPage": URL}]}],
        [OWN | {"@type": "http://schema.org/NewsArticle"}],
        [OWN | {"@type": ["https://schema.org/NewsArticle"]}],
        [{"@type": "WebPage", "url": URL, "mainEntity": OWN | {"@type": "http://schema.org/NewsArticle"}}],
        [{"@type": "WebPage", "url": URL, "hasPart": [RELATED], "mainEntity": {"@type": "Thing", "mainEntity": OWN}}],
        [{"@type": "ItemPage", "mainEntity": {"@type": "ItemList", "itemListElement": [RELATED]}}, OWN | {"url": URL}],
    ],
)
def test_the_pages_own_article_node_wins(blocks: list) -> None:
    assert extract(page(*blocks)) == OWN_FIELDS | {"sources": {
        "title": "profile", "summary": "profile", "text": "profile", "published": "jsonld", "category": "jsonld"}}


def test_an_article_node_for_another_url_is_ignored() -> None:
    assert extract(page(RELATED)) == {"published": None, "category": None, "sources": {
        "title": "profile", "summary": "profile", "text": "profile", "published": "none", "category": "none"}}


def test_the_canonical_url_names_the_page_too() -> None:
    fetched = URL + "?utm_source=facebook"
    html = page(RELATED, OWN | {"url": URL}, head=f'<link rel="canonical" href="{URL}">')
    assert extract(html, fetched) == OWN_FIELDS | {"sources": {
        "title": "profile", "summary": "profile", "text": "profile", "published": "jsonld", "category": "jsonld"}}


@pytest.mark.parametrize(
    "article_body",
    [
        "<p>Đây là cây cầu thứ năm bắc qua sông Sài Gòn.</p><p>Cầu có sáu làn xe &amp; hai đầu cầu.</p>",
        "&lt;p&gt;Đây là cây cầu thứ năm bắc qua sông Sài Gòn.&lt;/p&gt;&lt;p&gt;Cầu có sáu làn xe &amp;amp; hai đầu cầu.&lt;/p&gt;",
        "<div><p>Đây là cây cầu thứ năm <b>bắc qua</b> sông Sài Gòn.</p></div>\n<p>Cầu có sáu làn xe &amp; hai đầu cầu.<script>x()</script></p>",
        "Đây là cây cầu thứ năm bắc qua sông Sài Gòn.<br>Cầu có sáu làn xe &amp; hai đầu cầu.",
        "Đây là cây cầu thứ năm bắc qua sông Sài Gòn.<br/><br/>Cầu có sáu làn xe &amp; hai đầu cầu.",
        "Đây là cây cầu thứ năm bắc qua sông Sài Gòn.\nCầu có sáu làn xe &amp; hai đầu cầu.",  # plain text stays plain
    ],
)
def test_article_body_markup_becomes_one_line_per_paragraph(article_body: str) -> None:
    blocks = [OWN | {"url": URL, "description": f"<p>TTO - {SAPO}</p>", "articleBody": article_body}]
    fields = extract_article(HtmlResponse(URL, body=page(*blocks, sapo="", body="").encode()).selector, URL,
                             get_profile("tuoitre"))
    assert (fields["summary"], fields["text"]) == (
        SAPO, "Đây là cây cầu thứ năm bắc qua sông Sài Gòn.\nCầu có sáu làn xe & hai đầu cầu.")
    assert fields["extraction"]["sources"] == {
        "title": "profile", "summary": "jsonld", "text": "jsonld", "published": "jsonld", "category": "jsonld"}


def test_a_full_iri_type_is_an_article_signal() -> None:
    from crawl.discovery import article_signals

    html = page({"@type": "http://schema.org/NewsArticle", "headline": "Khởi công cầu"}, sapo="", body="")
    assert article_signals(HtmlResponse(URL, body=html.encode()).selector) == ["json_ld"]


def test_named_boxes_inside_article_body_markup_are_dropped_and_counted() -> None:
    article_body = ('<p>Đây là cây cầu thứ năm bắc qua sông Sài Gòn.</p><figure><img src="c.jpg">'
                    "<figcaption>Phối cảnh cây cầu. Ảnh: Ban quản lý</figcaption></figure>"
                    "<p>Cầu có sáu làn xe &amp; hai đầu cầu.</p><p><strong>Minh Quang</strong></p>")
    blocks = [OWN | {"url": URL, "articleBody": article_body}]
    fields = extract_article(HtmlResponse(URL, body=page(*blocks, body="").encode()).selector, URL, get_profile("tuoitre"))
    assert fields["text"] == "Đây là cây cầu thứ năm bắc qua sông Sài Gòn.\nCầu có sáu làn xe & hai đầu cầu."
    assert fields["extraction"]["boxes"] == {"author": 1, "caption": 1}
