"""Field kinds from real markup (issue 11, items 3-5; probe defects D11, D15, D16, D18, D19): the sapo
copy removed from the body when it differs only in what dedup_key ignores, double-escaped meta
entities, whole-element titles and categories on every profile, short right-aligned author lines,
truncated titles, and location stamps that are places."""

from __future__ import annotations

import json
import re

import pytest
from scrapy.http import HtmlResponse

from crawl.extract import extract_article
from crawl.fields import without_summary
from crawl.sites import PROFILES, get_profile
from crawl.text import strip_summary_prefix

SAPO = "Bộ trưởng nói “sẽ khởi công cầu nối phường Thảo Điền với quận Bình Thạnh trong năm nay” tại buổi họp báo chiều 21/9."
P1 = "Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án giao thông."
P2 = "Cầu có sáu làn xe, tĩnh không thông thuyền 11 m, nối đường Nguyễn Văn Hưởng với đường Điện Biên Phủ."
DANTRI_URL = "https://dantri.com.vn/xa-hoi/khoi-cong-cau-20240921142035123.htm"


def extract(site: str, html: str, url: str) -> dict:
    return extract_article(HtmlResponse(url, body=html.encode(), encoding="utf-8").selector, url, get_profile(site))


def dantri_v3(sapo: str, body: str, head: str = "") -> str:
    return (f'<html><head><meta charset="utf-8">{head}</head><body><h1 data-slot="title">Khởi công cầu Thảo Điền</h1>'
            f'<h2 data-slot="sapo">{sapo}</h2><div data-slot="content">{body}</div></body></html>')


# D11: a copy of the sapo at the head of the body, differing only in what crawl.normalize.dedup_key ignores
@pytest.mark.parametrize(
    ("sapo", "copy"),
    [
        (SAPO, f"<p>{SAPO.replace('“', '&quot;').replace('”', '&quot;')}</p>"),  # straight vs curly quotes
        (SAPO, f"<p>{SAPO.upper()}</p>"),  # an all-caps lead paragraph
        ("Người dân hoà mình vào lễ hội thuỷ đăng trên sông Hương tối qua.",
         "<p>Người dân hòa mình vào lễ hội thủy đăng trên sông Hương tối qua.</p>"),  # tone placement
        (SAPO, f"<p>{SAPO.replace(' tại', ' , tại').replace('21/9.', '21/9 .')}</p>"),  # spacing before punctuation
        (SAPO, f"<p>{SAPO[:50]}<br>{SAPO[50:]}</p>"),  # a <br> inside a word
        (SAPO, f"<p>{SAPO[:62]}</p><p>{SAPO[62:].upper()}</p>"),  # two pieces, each on a line of its own
        (SAPO, f"<p>(Dân trí) - {SAPO.upper()}</p>"),  # with the byline prefix
    ],
    ids=["quotes", "case", "tones", "spacing", "br", "pieces", "prefix"],
)
def test_a_sapo_copy_differing_in_what_dedup_key_ignores_leaves_the_body(sapo: str, copy: str) -> None:
    fields = extract("dantri", dantri_v3(f"(Dân trí) - {sapo}", copy + f"<p>{P1}</p><p>{P2}</p>"), DANTRI_URL)
    assert (fields["summary"], fields["text"]) == (sapo, f"{P1}\n{P2}")


def test_a_sapo_copy_heading_or_ending_a_paragraph_leaves_only_the_rest() -> None:
    assert without_summary(f"{SAPO.upper()} {P1}", SAPO) == P1
    assert without_summary(f"{P1} {SAPO.replace('“', '«').replace('”', '»')}", SAPO) == P1
    assert without_summary("Bộ trưởng nói tại buổi họp báo.", SAPO) == "Bộ trưởng nói tại buổi họp báo."
    assert without_summary("Thảo Điền", SAPO) == "Thảo Điền"  # fewer than 4 syllables: may be a coincidence


def test_a_double_escaped_meta_description_is_unescaped_once_more() -> None:
    head = (f'<meta property="og:description" content="{P1} &amp;quot;Trích&amp;quot; &amp;amp; xem">'
            '<meta property="og:title" content="Cầu &amp;quot;Thảo Điền&amp;quot; khởi công">')
    html = f'<html><head><meta charset="utf-8">{head}</head><body><div data-slot="content"><p>{P2}</p></div></body></html>'
    fields = extract("dantri", html, DANTRI_URL)
    assert fields["summary"] == f'{P1} "Trích" & xem'
    assert fields["title"] == 'Cầu "Thảo Điền" khởi công'
    assert fields["extraction"]["sources"]["summary"] == fields["extraction"]["sources"]["title"] == "meta"


# D15: title and category selectors take the element's whole text, on every layout of every profile
def element_html(css: str, inner: str) -> str:
    """Markup matching a simple descendant CSS selector (`ul.breadcrumb li a[title]`) around `inner`."""
    html = inner
    for part in reversed(css.split("::")[0].split()):
        tag = re.match(r"[\w-]+", part).group() if re.match(r"[\w-]+", part) else "div"
        attrs = {"class": " ".join(re.findall(r"\.([\w-]+)", part))} if "." in part else {}
        attrs.update({"id": m} for m in re.findall(r"#([\w-]+)", part))
        for name, value in re.findall(r"\[([\w-]+)(?:=\"?([^\]\"]*)\"?)?\]", part):
            attrs[name] = value or "x"
        rendered = "".join(f' {k}="{v}"' for k, v in attrs.items() if v)
        html = f"<{tag}{rendered}>{html}</{tag}>"
    return html


TITLE = "Giá vàng <strong>tăng mạnh</strong><br>lên mức <span>kỷ lục</span> mới"
LAYOUTS = [(site, layout) for site, profile in sorted(PROFILES.items()) for layout in profile.layouts]


@pytest.mark.parametrize(("site", "layout"), LAYOUTS, ids=[f"{s}-{layout.name}" for s, layout in LAYOUTS])
def test_title_and_category_are_the_whole_element_text_on_every_profile(site: str, layout) -> None:
    parts = [element_html(layout.title[0], TITLE)]
    if layout.category:
        parts.append(element_html(layout.category[0], "<span>Kinh</span> tế"))
    if layout.body:
        parts.append(element_html(layout.body[0], f"<p>Giá vàng tăng mạnh lên mức kỷ lục mới</p><p>{P1}</p><p>{P2}</p>"))
    html = f'<html><head><meta charset="utf-8"></head><body>{"".join(parts)}</body></html>'
    fields = extract(site, html, "https://example.vn/gia-vang-tang-manh-1234567890123456.htm")
    assert fields["extraction"]["layout"] == layout.name
    assert (fields["title"], fields["extraction"]["sources"]["title"]) == ("Giá vàng tăng mạnh lên mức kỷ lục mới", "profile")
    assert fields["category"] == ("Kinh tế" if layout.category else None)
    if layout.body:  # the headline repeated in the body is not body text
        assert fields["text"] == f"{P1}\n{P2}"


# D16: a right-aligned last paragraph is an author/source line only when short
def tuoitre(body: str) -> str:
    return ('<html><head><meta charset="utf-8"></head><body><h1 class="detail-title">Khởi công cầu</h1>'
            f'<h2 class="detail-sapo">TTO - {SAPO}</h2><div class="detail-content">{body}</div></body></html>')


TUOITRE_URL = "https://tuoitre.vn/khoi-cong-cau-20240921142035123.htm"
LONG_RIGHT = "Bảng giá trên được cập nhật lúc 15 giờ chiều nay theo niêm yết của các ngân hàng thương mại lớn."


@pytest.mark.parametrize(
    ("last", "kept", "authors"),
    [
        (f'<p style="text-align:right">{LONG_RIGHT}</p>', LONG_RIGHT, 0),
        (f'<p style="TEXT-ALIGN: right;">{LONG_RIGHT}</p>', LONG_RIGHT, 0),
        ('<p style="text-align: right;">Theo <strong>Báo Chính phủ</strong></p>', None, 1),
        ('<p align="right">Minh Quang</p>', None, 1),
    ],
    ids=["long", "long-upper-style", "short-source", "short-name"],
)
def test_a_right_aligned_last_paragraph_is_an_author_line_only_when_short(last: str, kept: str | None, authors: int) -> None:
    fields = extract("tuoitre", tuoitre(f"<p>{P1}</p><p>{P2}</p>{last}"), TUOITRE_URL)
    assert fields["text"] == "\n".join(filter(None, [P1, P2, kept]))
    assert fields["extraction"]["boxes"] == ({"author": authors} if authors else {})


# D18: a truncated title never wins over the whole one, on every field chain
WHOLE = "Thủ tướng yêu cầu các bộ ngành đẩy nhanh giải ngân vốn đầu tư công, phấn đấu đạt trên 95% kế hoạch năm"


@pytest.mark.parametrize("cut", [WHOLE[:60] + "...", WHOLE[:60] + "…", WHOLE[:60].rstrip() + " ...", WHOLE[:61]])
@pytest.mark.parametrize("whole_in", ["og:title", "title"])
def test_a_truncated_jsonld_headline_never_wins_over_the_whole_title(cut: str, whole_in: str) -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": cut}, ensure_ascii=False)
    whole = f'<meta property="og:title" content="{WHOLE}">' if whole_in == "og:title" else f"<title>{WHOLE} - Báo Lao Động</title>"
    html = (f'<html><head><meta charset="utf-8"><script type="application/ld+json">{ld}</script>{whole}'
            f'<meta property="og:site_name" content="Báo Lao Động"></head><body><article><p>{P1}</p><p>{P2}</p></article></body></html>')
    fields = extract("generic", html, "https://laodong.vn/thoi-su/thu-tuong-yeu-cau-day-nhanh-giai-ngan-1234567.ldo")
    assert (fields["title"], fields["extraction"]["sources"]["title"]) == (WHOLE, "meta")


def test_a_truncated_jsonld_headline_loses_to_the_whole_h1_which_never_wins_alone() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": WHOLE[:60] + "…"}, ensure_ascii=False)
    page = ('<html><head><meta charset="utf-8"><script type="application/ld+json">{ld}</script><title>Báo Lao Động</title>'
            f"</head><body><h1>{{h1}}</h1><article><p>{P1}</p><p>{P2}</p></article></body></html>")
    url = "https://laodong.vn/thoi-su/thu-tuong-yeu-cau-day-nhanh-giai-ngan-1234567.ldo"
    fields = extract("generic", page.format(ld=ld, h1=WHOLE), url)
    assert (fields["title"], fields["extraction"]["sources"]["title"]) == (WHOLE, "meta")
    fields = extract("generic", page.format(ld=ld, h1="Báo Lao Động"), url)  # a logo <h1>: the headline stays
    assert (fields["title"], fields["extraction"]["sources"]["title"]) == (WHOLE[:60] + "…", "jsonld")
    fields = extract("generic", page.format(ld="{}", h1=WHOLE).replace("<title>Báo Lao Động</title>", ""), url)
    assert (fields["title"], fields["extraction"]["sources"]["title"]) == ("", "none")  # <h1> alone is no title layer


def test_a_truncated_title_on_the_profile_layer_loses_to_the_whole_jsonld_headline() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": WHOLE}, ensure_ascii=False)
    html = (f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
            f'<h1 class="detail-title">{WHOLE[:70]}…</h1><h2 class="detail-sapo">{SAPO}</h2>'
            f'<div class="detail-content"><p>{P1}</p><p>{P2}</p></div></body></html>')
    fields = extract("tuoitre", html, TUOITRE_URL)
    assert (fields["title"], fields["extraction"]["sources"]["title"]) == (WHOLE, "jsonld")


def test_a_title_with_an_unknown_site_suffix_is_no_truncation_of_it() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": WHOLE}, ensure_ascii=False)
    html = (f'<html><head><script type="application/ld+json">{ld}</script>'
            f'<meta property="og:title" content="{WHOLE} | Chuyên trang Thời sự"></head><body><article><p>{P1}</p>'
            f"<p>{P2}</p></article></body></html>")
    fields = extract("generic", html, "https://laodong.vn/thoi-su/thu-tuong-yeu-cau-day-nhanh-giai-ngan-1234567.ldo")
    assert (fields["title"], fields["extraction"]["sources"]["title"]) == (WHOLE, "jsonld")


# D19: only a place is a location stamp
@pytest.mark.parametrize(
    ("sapo", "expected"),
    [
        ("HÀ NỘI - Mưa lớn kéo dài gây ngập nhiều tuyến phố.", "Mưa lớn kéo dài gây ngập nhiều tuyến phố."),
        ("TP.HCM – Mưa lớn kéo dài gây ngập nhiều tuyến phố.", "Mưa lớn kéo dài gây ngập nhiều tuyến phố."),
        ("TP HỒ CHÍ MINH - Mưa lớn.", "Mưa lớn."),
        ("ĐÀ NẴNG — Mưa lớn.", "Mưa lớn."),
        ("THỪA THIÊN - HUẾ - Mưa lớn.", "Mưa lớn."),
        ("BÀ RỊA - VŨNG TÀU - Mưa lớn.", "Mưa lớn."),
        ("WASHINGTON - Tổng thống Mỹ phát biểu.", "Tổng thống Mỹ phát biểu."),
        ("ASEAN - Nhật Bản ký kết hiệp định thương mại mới.", "ASEAN - Nhật Bản ký kết hiệp định thương mại mới."),
        ("U23 VIỆT NAM - THÁI LAN: chiến thắng nghẹt thở ở phút cuối.", "U23 VIỆT NAM - THÁI LAN: chiến thắng nghẹt thở ở phút cuối."),
        ("EU – Việt Nam: thương mại hai chiều tăng mạnh.", "EU – Việt Nam: thương mại hai chiều tăng mạnh."),
        ("HAGL - SLNA: trận cầu tâm điểm vòng 5.", "HAGL - SLNA: trận cầu tâm điểm vòng 5."),
        ("VIỆT NAM - TRUNG QUỐC: hợp tác mới.", "VIỆT NAM - TRUNG QUỐC: hợp tác mới."),
    ],
)
def test_only_a_place_is_stripped_as_a_location_stamp(sapo: str, expected: str) -> None:
    assert strip_summary_prefix(sapo, []) == expected


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("ASEAN - Nhật Bản ký kết hiệp định thương mại mới", "ASEAN - Nhật Bản ký kết hiệp định thương mại mới"),
        ("HAGL - SLNA: trận cầu tâm điểm vòng 5 giải bóng đá", "HAGL - SLNA: trận cầu tâm điểm vòng 5 giải bóng đá"),
        ("TPO - HÀ NỘI - Nông dân thu hoạch vụ khóm cuối năm", "Nông dân thu hoạch vụ khóm cuối năm"),
        ("VTC News - Nông dân thu hoạch vụ khóm cuối năm", "Nông dân thu hoạch vụ khóm cuối năm"),
        ("(NLĐO) - TP.HCM - Nông dân thu hoạch vụ khóm cuối năm", "Nông dân thu hoạch vụ khóm cuối năm"),
    ],
)
def test_byline_prefixes_are_agencies_not_any_acronym_on_the_generic_path(lead: str, expected: str) -> None:
    html = (f'<html><head><meta property="og:description" content="{lead}."></head><body><article><p>{P1}</p>'
            f"<p>{P2}</p></article></body></html>")
    fields = extract("generic", html, "https://laodong.vn/thoi-su/thu-tuong-yeu-cau-day-nhanh-giai-ngan-1234567.ldo")
    assert fields["summary"] == expected + "."
