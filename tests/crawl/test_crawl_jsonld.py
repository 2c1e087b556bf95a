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


# JSON-LD as sites ship it (D27): the same NewsArticle in the wrappers and habits of real CMSs.
LD = '{"@type": "NewsArticle", "datePublished": "2024-09-21T14:20:35+07:00", "articleSection": "Thời sự"}'
SITE_NODE = '{"@context": "https://schema.org", "@type": "WebSite", "url": "https://tuoitre.vn/", "name": "Tuổi Trẻ"}'
ALL_LAYERS = {"title": "profile", "summary": "profile", "text": "profile", "published": "jsonld", "category": "jsonld"}


def shipped(script: str, media_type: str = "application/ld+json") -> str:
    return page(head=f'<script type="{media_type}">{script}</script>')


@pytest.mark.parametrize(
    "html",
    [
        shipped(LD[:-1] + ",}"),  # a trailing comma before "}"
        shipped('{"@type": ["NewsArticle",], "image": {"url": "https://tuoitre.vn/a.jpg",},'
                ' "datePublished": "2024-09-21T14:20:35+07:00", "articleSection": ["Thời sự", ],\n}'),  # nested, and before "]"
        shipped(f"//<![CDATA[\n{LD}\n//]]>"),
        shipped(f"/*<![CDATA[*/ {LD} /*]]>*/"),
        shipped(f"<![CDATA[{LD}]]>"),
        shipped(f"<!--\n{LD}\n-->"),
        shipped(f"\ufeff{LD}"),  # a byte-order mark
        shipped("\ufeff  <!-- " + LD[:-1] + ",} -->  "),  # all of it at once
        shipped(f"{SITE_NODE}{LD}"),  # several objects in one script
        shipped(f"{SITE_NODE}\n\n{LD}\n"),
        shipped(f"{SITE_NODE},\n{LD};"),  # separated by a comma, ended by a semicolon
        shipped(LD, "application/ld+json; charset=utf-8"),
        shipped(LD, "Application/LD+JSON"),
        shipped(LD, " application/ld+json "),
    ],
)
def test_json_ld_as_sites_ship_it_is_read(html: str) -> None:
    fields = extract_article(HtmlResponse(URL, body=html.encode()).selector, URL, get_profile("tuoitre"))
    assert {key: fields[key] for key in ("published", "category")} == OWN_FIELDS
    assert fields["extraction"]["sources"] == ALL_LAYERS
    assert "notes" not in fields["extraction"]


def test_trailing_comma_repair_leaves_strings_alone() -> None:
    from crawl.jsonld import news_article

    script = ('{"@type": "NewsArticle", "headline": "Cầu \\"mới,}\\" khởi công, ]", "description": "a,  }b",'
              ' "articleSection": "Thời sự",}')
    selector = HtmlResponse(URL, body=shipped(script).encode()).selector
    assert news_article(selector) == {"headline": 'Cầu "mới,}" khởi công, ]', "description": "a,  }b",
                                      "articleSection": "Thời sự"}


@pytest.mark.parametrize(
    ("scripts", "unreadable"),
    [
        (['{"@type": "NewsArticle", "datePublished": "2024-09-21T14:20:35+07:00"'], 1),  # cut off
        (["{'@type': 'NewsArticle'}", "undefined"], 2),  # not JSON at all
        ([f"{LD} {{broken"], 1),  # the first object is read, the rest counted
        (["", "   "], 0),  # an empty script is nothing to read
    ],
)
def test_a_script_that_cannot_be_read_is_counted(scripts: list[str], unreadable: int) -> None:
    from collections import Counter

    from crawl.jsonld import news_article

    html = page(head="".join(f'<script type="application/ld+json">{text}</script>' for text in scripts))
    selector = HtmlResponse(URL, body=html.encode()).selector
    notes = Counter()
    found = news_article(selector, (URL,), notes)
    assert notes == (Counter({"jsonld_unreadable": unreadable}) if unreadable else Counter())
    fields = extract_article(selector, URL, get_profile("tuoitre"))
    assert fields["extraction"].get("notes") == ({"jsonld_unreadable": unreadable} if unreadable else None)
    assert found == ({"datePublished": "2024-09-21T14:20:35+07:00", "articleSection": "Thời sự"}
                     if scripts[0].startswith(LD) else {})
