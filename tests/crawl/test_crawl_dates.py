"""Date strings as news pages write them (issue 11, kind 2): zone words, 12-hour clocks, offsets that
are not offsets, and RFC 2822 / month-name forms. A wrong date is worse than none, so each case
asserts the exact value or None."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from crawl.dates import parse_date, parse_offset
from crawl.extract import extract_article
from crawl.sites import get_profile

VN = parse_offset("+07:00")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # a zone word without a signed offset is UTC, not the site's +07:00
        ("2024-09-21 07:20:35 UTC", "2024-09-21T07:20:35+00:00"),
        ("2024-09-21T07:20:35 GMT", "2024-09-21T07:20:35+00:00"),
        ("21/09/2024 07:20 (GMT)", "2024-09-21T07:20:00+00:00"),
        ("21/09/2024 07:20 GMT+7", "2024-09-21T07:20:00+07:00"),
        ("21/09/2024 07:20 UTC -05:00", "2024-09-21T07:20:00-05:00"),
        # 12-hour clocks: read right, or nothing
        ("21/09/2024 02:20 PM", "2024-09-21T14:20:00+07:00"),
        ("21/09/2024 2:20 p.m.", "2024-09-21T14:20:00+07:00"),
        ("21/09/2024 12:05 AM", "2024-09-21T00:05:00+07:00"),
        ("21/09/2024 12:05 PM", "2024-09-21T12:05:00+07:00"),
        ("21/09/2024 08:15 SA", "2024-09-21T08:15:00+07:00"),  # sáng
        ("21/09/2024 02:20 CH", "2024-09-21T14:20:00+07:00"),  # chiều
        ("02:20 CH 21/09/2024", "2024-09-21T14:20:00+07:00"),
        ("21/09/2024 15:20 AM", None),  # a contradiction: no date rather than a wrong one
        ("21/09/2024 00:20 PM", None),
        # numbers after the time that are not offsets
        ("02/03/2025 08:05 - 12 bình luận", "2025-03-02T08:05:00+07:00"),
        ("Thứ sáu, 14/03/2025 - 08:15 - 3 phút đọc", "2025-03-14T08:15:00+07:00"),
        ("14/03/2025 08:15 +1 lượt thích", "2025-03-14T08:15:00+07:00"),
        ("14/03/2025 08:15 -3", "2025-03-14T08:15:00+07:00"),
        ("14/03/2025 08:15-12 bình luận", "2025-03-14T08:15:00+07:00"),
        ("2025-03-14T08:15+07", "2025-03-14T08:15:00+07:00"),  # hours alone, at the end
        ("2025-03-14T08:15:00+07)", "2025-03-14T08:15:00+07:00"),
        # offsets glued to the time count
        ("2025-03-14 08:15+07:00", "2025-03-14T08:15:00+07:00"),
        ("2025-03-14 08:15 +0700", "2025-03-14T08:15:00+07:00"),
        ("2025-03-14T08:15:00-0300", "2025-03-14T08:15:00-03:00"),
        # the offset's own "07:00" is not the clock
        ("08:15 14/03/2025 (GMT+07:00)", "2025-03-14T08:15:00+07:00"),
        ("14/03/2025 (GMT+07:00)", "2025-03-14T00:00:00+07:00"),
        ("14/03/2025 UTC+07:00 08:15", "2025-03-14T08:15:00+07:00"),
        # zone abbreviations after the time: known ones read, unknown or ambiguous ones give no date
        ("21/09/2024 14:20 ICT", "2024-09-21T14:20:00+07:00"),
        ("21/09/2024 14:20 (ICT)", "2024-09-21T14:20:00+07:00"),
        ("2024-09-21 07:20 PDT", "2024-09-21T07:20:00-07:00"),
        ("Sep 21, 2024, 2:20 p.m. ET", None),  # EST or EDT: not said
        ("21/09/2024 14:20 TP HCM", "2024-09-21T14:20:00+07:00"),  # not a zone
        # RFC 2822 (feeds, some meta tags)
        ("Sat, 21 Sep 2024 14:20:35 +0700", "2024-09-21T14:20:35+07:00"),
        ("21 Sep 2024 07:20:35 GMT", "2024-09-21T07:20:35+00:00"),
        ("Sat, 21 Sep 2024 09:20:35 EST", "2024-09-21T09:20:35-05:00"),
        ("Sat, 21 Sep 2024 14:20:35 XYZ", None),  # a zone nobody can read
        # month names, English and Vietnamese
        ("September 21, 2024 2:20 PM", "2024-09-21T14:20:00+07:00"),
        ("Sep 21, 2024", "2024-09-21T00:00:00+07:00"),
        ("21 September 2024 14:20", "2024-09-21T14:20:00+07:00"),
        ("Thứ bảy, ngày 21 tháng 9 năm 2024, 14:20", "2024-09-21T14:20:00+07:00"),
        ("21 Tháng 09, 2024 | 08:15", "2024-09-21T08:15:00+07:00"),
        ("tháng 9 năm 2024", None),  # no day
        ("Sep 31, 2024", None),
    ],
)
def test_date_faults(text: str, iso: str | None) -> None:
    parsed = parse_date(text, VN)
    assert (parsed.iso() if parsed else None) == iso


TT_PAGE = """<html><head><meta charset="utf-8">{head}</head><body><h1 class="detail-title">Khởi công cầu</h1>
<h2 class="detail-sapo">TTO - Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh.</h2>
<div class="detail-content"><p>Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án.</p></div></body></html>"""
TT_URL = "https://tuoitre.vn/khoi-cong-cau-20240921142035123.htm"


@pytest.mark.parametrize(
    ("head", "published", "layer"),
    [
        ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-09-21 07:20:35 UTC"}</script>',
         "2024-09-21T07:20:35+00:00", "jsonld"),
        ('<meta property="article:published_time" content="21/09/2024 02:20 PM">', "2024-09-21T14:20:00+07:00", "meta"),
        ('<meta property="article:published_time" content="Sat, 21 Sep 2024 14:20:35 +0700">', "2024-09-21T14:20:35+07:00", "meta"),
    ],
)
def test_a_tuoitre_page_date_from_json_ld_or_meta(head: str, published: str, layer: str) -> None:
    fields = extract_article(HtmlResponse(TT_URL, body=TT_PAGE.format(head=head).encode()).selector, TT_URL,
                             get_profile("tuoitre"))
    assert (fields["published"], fields["extraction"]["sources"]["published"]) == (published, layer)
