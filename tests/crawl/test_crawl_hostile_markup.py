"""Markup that used to raise inside the extraction (and lose the article): a JSON-LD URL that is no URL,
a JSON-LD script nested thousands deep, a body nested in 1,500 `<div>`s. Each page gives its record."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawl.extract import extract_article
from crawl.sites import PROFILES

SAPO = "Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh, dài 1,2 km."
BODY = "<p>Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án.</p>"
URL = "https://tuoitre.vn/khoi-cong-cau-20240921142035123.htm"


def page(head: str = "", body: str = BODY) -> str:
    return (f'<html><head><meta charset="utf-8">{head}</head><body><h1 class="detail-title">Khởi công cầu</h1>'
            f'<h2 class="detail-sapo">TTO - {SAPO}</h2><div class="detail-content">{body}</div></body></html>')


@pytest.mark.parametrize("html", [
    page('<script type="application/ld+json">{"@type": "NewsArticle", "url": "http://[::1", '
         '"datePublished": "2024-09-21T14:20:35+07:00"}</script>'),
    page('<script type="application/ld+json">' + "[" * 3000 + "]" * 3000 + "</script>"),
    page(body="<div>" * 1500 + BODY + "</div>" * 1500),
], ids=["jsonld-url-no-url", "jsonld-nested-3000", "divs-nested-1500"])
def test_hostile_markup_still_gives_the_article(html: str) -> None:
    record = extract_article(Selector(text=html), URL, PROFILES["tuoitre"])
    assert (record["title"], record["summary"], record["text"]) == (
        "Khởi công cầu", SAPO, "Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án."
    )
