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


# D28: only the article's own <time> is its date; the page's first <time> may be a ticker's, a related
# article's or a comment's. Tuổi Trẻ has no date selector of its own, so these reach the meta layer.
TICKER = '<ul class="ticker"><li><a href="/tin-khac.htm">Tin khác</a><time datetime="2020-01-01T08:00:00+07:00">1/1</time></li></ul>'
RELATED_LIST = ('<div class="box-tinlienquan"><a href="/cu-20200101.htm">Bài cũ</a>'
                '<time datetime="2020-01-01T08:00:00+07:00">1/1</time></div>')
TEASER = '<article class="box-item"><h3>Bài khác</h3><time class="time-published" datetime="2020-01-01T08:00:00+07:00">1/1</time></article>'
COMMENTS = '<div class="comments"><p>Hay quá</p><time datetime="2020-01-01T08:00:00+07:00">1/1</time></div>'
MICRODATA_TEASER = ('<div class="most-read" ><div itemscope itemtype="https://schema.org/NewsArticle"><h3 itemprop="headline">Bài khác</h3>'
                    '<meta itemprop="datePublished" content="2020-01-01T08:00:00+07:00"></div></div>')
OWN_TIME = '<time datetime="2024-09-21T14:20:35+07:00">21/09/2024 14:20</time>'
SAPO_TT = "TTO - Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh."
BODY_P = "<p>Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án.</p>"


def tt_page(before: str = "", after_title: str = "", in_body: str = "", after: str = "", wrap: bool = False) -> str:
    article = (f'<h1 class="detail-title">Khởi công cầu</h1>{after_title}<h2 class="detail-sapo">{SAPO_TT}</h2>'
               f'<div class="detail-content">{in_body}{BODY_P}</div>')
    article = f"<article>{article}</article>" if wrap else article
    return f'<html><head><meta charset="utf-8"></head><body>{before}{article}{after}</body></html>'


@pytest.mark.parametrize(
    ("html", "published"),
    [
        (tt_page(before=TICKER, in_body=OWN_TIME), "2024-09-21T14:20:35+07:00"),  # inside the body container
        (tt_page(before=TICKER, after_title=OWN_TIME, wrap=True), "2024-09-21T14:20:35+07:00"),  # the <article> with the h1
        (tt_page(before=TICKER, after_title=OWN_TIME.replace("<time", '<time itemprop="datePublished"')),
         "2024-09-21T14:20:35+07:00"),
        (tt_page(before=TICKER, after_title=OWN_TIME.replace("<time", "<time pubdate")), "2024-09-21T14:20:35+07:00"),
        (tt_page(before=TICKER, after_title=OWN_TIME.replace("<time", '<time class="entry-date published"')),
         "2024-09-21T14:20:35+07:00"),
        (tt_page(before=TICKER, after_title=f'<div class="publish-date">{OWN_TIME}</div>'), "2024-09-21T14:20:35+07:00"),
        (tt_page(before=TEASER, after_title=OWN_TIME, wrap=True), "2024-09-21T14:20:35+07:00"),  # a teaser card is not it
        (tt_page(in_body=RELATED_LIST + OWN_TIME), "2024-09-21T14:20:35+07:00"),  # nor a related box in the body
        (tt_page(in_body=OWN_TIME.replace("2024-09-21T14:20:35", "2024-09-22T09:00:00").replace("<time", '<time itemprop="dateModified"')
                 + OWN_TIME), "2024-09-21T14:20:35+07:00"),  # the update time is not the publication date
        (tt_page(before=MICRODATA_TEASER, after_title=OWN_TIME.replace("<time", '<time itemprop="datePublished"')),
         "2024-09-21T14:20:35+07:00"),
        # no time of the article's own: no date rather than another's
        (tt_page(before=MICRODATA_TEASER), None),  # another article's microdata
        (tt_page(before=TICKER.replace("<time", '<time class="published"')), None),  # a marked time in a ticker's list
        (tt_page(before=TICKER, in_body=OWN_TIME.replace("<time", '<time class="updated"')), None),
        (tt_page(before=TICKER), None),
        (tt_page(after_title=OWN_TIME), None),  # unmarked, outside any article container
        (tt_page(in_body=RELATED_LIST), None),
        (tt_page(before=TEASER), None),
        (tt_page(after=COMMENTS), None),
        (tt_page(before=TICKER, after=COMMENTS, wrap=True), None),
    ],
)
def test_only_the_articles_own_time_element_is_its_date(html: str, published: str | None) -> None:
    fields = extract_article(HtmlResponse(TT_URL, body=html.encode()).selector, TT_URL, get_profile("tuoitre"))
    assert (fields["published"], fields["extraction"]["sources"]["published"]) == (published, "meta" if published else "none")


def test_a_generic_page_takes_the_time_in_its_article_not_the_sidebars() -> None:
    html = ('<html><body><aside><time datetime="2020-01-01T08:00:00+07:00">1/1</time></aside><main><article>'
            '<h1>Nông dân trúng mùa</h1><time datetime="2025-03-27T16:40:00+07:00">27/03/2025</time>'
            '<div class="entry-content"><p>Nông dân Sóc Trăng trúng mùa lúa thơm năm nay.</p></div></article></main></body></html>')
    url = "https://example.vn/tin-tuc/13/bai-13.html"
    fields = extract_article(HtmlResponse(url, body=html.encode()).selector, url, get_profile("generic"))
    assert (fields["published"], fields["extraction"]["sources"]["published"]) == ("2025-03-27T16:40:00+07:00", "meta")
