"""Which layout holds the article (D30), and a sapo the HTML parser moved out of its element (D31).

D30: Dân trí pages in transition carry an empty element of the new template (`<div data-slot="content">`,
a skeleton or placeholder) next to the complete v2 markup: the layout whose containers yield text
holds the article, and every field falls through the layouts on the page before JSON-LD and meta.
D31: a sapo an editor wrapped in `<p>` or `<div>` inside its `<h2>` (lxml closes the `<h2>` at the
`<p>`): the paragraphs right after the empty element are the sapo, counted as a note.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from crawl.extract import extract_article, matching_layout
from crawl.sites import get_profile

DT_URL = "https://dantri.com.vn/xa-hoi/x-20240921142035123.htm"
DT_SAPO = "Sáng 21/9, Hà Nội khánh thành cầu vượt nút giao Vành đai 2,5 với đường Giải Phóng, rút ngắn thời gian đi lại."
DT_BODY = ["Cầu vượt dài 440 m, rộng 9 m, gồm hai làn xe, tổng vốn đầu tư khoảng 250 tỷ đồng.",
           "Theo Sở Xây dựng, công trình giúp giảm ùn tắc cho khu vực phía nam thành phố vào giờ cao điểm."]
V2 = (f'<ul class="breadcrumbs"><li><a href="/xa-hoi.htm">Xã hội</a></li></ul>'
      f'<h1 class="title-page">Khánh thành cầu vượt Vành đai 2,5</h1>'
      f'<time class="author-time" datetime="2024-09-21 14:20">21/09/2024</time>'
      f'<h2 class="singular-sapo">(Dân trí) - {DT_SAPO}</h2>'
      f'<div class="singular-content">{"".join(f"<p>{p}</p>" for p in DT_BODY)}</div>')
V2_FIELDS = {
    "title": "Khánh thành cầu vượt Vành đai 2,5", "summary": DT_SAPO, "text": "\n".join(DT_BODY),
    "published": "2024-09-21T14:20:00+07:00", "category": "Xã hội",
}
ALL_PROFILE = {field: "profile" for field in ("title", "summary", "text", "published", "category")}


def dantri(body: str, url: str = DT_URL) -> dict:
    html = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    return extract_article(HtmlResponse(url, body=html.encode()).selector, url, get_profile("dantri"))


def fields_of(record: dict) -> dict:
    return {key: record[key] for key in V2_FIELDS}


@pytest.mark.parametrize(
    "skeleton",
    [
        '<div data-slot="content"></div>',
        '<div data-slot="content"><div class="skeleton-line"></div><script>load()</script></div>',
        '<h1 data-slot="title"></h1><h2 data-slot="sapo"></h2><div data-slot="content">  </div>',
        '<div data-slot="content"><figure><img src="p.jpg"><figcaption>Ảnh</figcaption></figure></div>',  # a box only
    ],
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_an_empty_newer_layout_element_does_not_hide_the_older_layout(skeleton: str, where: str) -> None:
    record = dantri(skeleton + V2 if where == "before" else V2 + skeleton)
    assert fields_of(record) == V2_FIELDS
    assert record["extraction"]["sources"] == ALL_PROFILE
    assert record["extraction"]["layout"] == "v2"


def test_fields_fall_through_the_layouts_on_the_page_before_json_ld_and_meta() -> None:
    """A v3 page whose template still writes the sapo and the date in v2's elements: the body is
    v3's (the layout counted), the sapo and date come from v2's elements, not from the meta tags."""
    v3 = (f'<h1 data-slot="title">Khánh thành cầu vượt Vành đai 2,5</h1>'
          f'<h2 class="singular-sapo">(Dân trí) - {DT_SAPO}</h2>'
          f'<time class="author-time" datetime="2024-09-21 14:20">21/09/2024</time>'
          f'<div data-slot="content">{"".join(f"<p>{p}</p>" for p in DT_BODY)}</div>'
          '<div class="singular-content"></div>')
    record = dantri(v3 + '<meta property="og:description" content="Mô tả khác cho máy tìm kiếm">')
    assert fields_of(record) == V2_FIELDS | {"category": None}
    assert record["extraction"]["sources"] == ALL_PROFILE | {"category": "none"}
    assert record["extraction"]["layout"] == "v3"


def test_a_page_whose_layout_elements_are_all_empty_has_no_layout() -> None:
    html = ('<div data-slot="content"></div><h1 class="news-title">Khánh thành cầu vượt</h1>'
            f'<div class="news-body">{"".join(f"<p>{p}</p>" for p in DT_BODY)}</div>')
    record = dantri(html)
    assert record["extraction"]["layout"] is None
    assert record["extraction"]["sources"]["summary"] == "none"
    selector = HtmlResponse(DT_URL, body=html.encode()).selector
    assert matching_layout(selector, get_profile("dantri")) is None
    assert matching_layout(HtmlResponse(DT_URL, body=(html + V2).encode()).selector, get_profile("dantri")).name == "v2"


TT_URL = "https://tuoitre.vn/khoi-cong-cau-20240921142035123.htm"
TT_SAPO = "Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh, dài 1,2 km, vốn đầu tư hơn 3.000 tỷ đồng."
TT_BODY = ["Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án giao thông.",
           "Cầu có sáu làn xe, tĩnh không thông thuyền 11 m, hai đầu cầu nối với đường Nguyễn Văn Hưởng."]


def tuoitre(sapo: str, body: list[str] = TT_BODY) -> dict:
    html = (f'<html><head><meta charset="utf-8"></head><body><h1 class="detail-title">Khởi công cầu vượt sông Sài Gòn</h1>'
            f'{sapo}\n<div class="detail-content" data-role="content">{"".join(f"<p>{p}</p>" for p in body)}</div></body></html>')
    return extract_article(HtmlResponse(TT_URL, body=html.encode()).selector, TT_URL, get_profile("tuoitre"))


@pytest.mark.parametrize(
    ("sapo", "note"),
    [
        (f'<h2 class="detail-sapo" data-role="sapo"><p>TTO - {TT_SAPO}</p></h2>', "sapo_moved_out"),
        (f'<h2 class="detail-sapo" data-role="sapo">\n  <p><strong>TTO</strong> - {TT_SAPO}</p>\n</h2>', "sapo_moved_out"),
        (f'<h2 class="detail-sapo" data-role="sapo"><!-- sapo --><p>TTO - {TT_SAPO[:60]}</p><p>{TT_SAPO[61:]}</p></h2>',
         "sapo_moved_out"),
        (f'<h2 class="detail-sapo" data-role="sapo"><span class="tto">TTO</span><p> - {TT_SAPO}</p></h2>', "sapo_moved_out"),
        (f'<h2 class="detail-sapo" data-role="sapo"><div>TTO - {TT_SAPO}</div></h2>', "sapo_in_block"),
        (f'<h2 class="detail-sapo"><div class="sapo-inner"><b>TTO</b> - {TT_SAPO}</div></h2>', "sapo_in_block"),
        (f'<h2 class="detail-sapo"><span>TTO</span><div> - {TT_SAPO}</div></h2>', "sapo_in_block"),
    ],
)
def test_a_sapo_wrapped_in_a_paragraph_or_div_inside_its_heading_is_read_and_counted(sapo: str, note: str) -> None:
    record = tuoitre(sapo)
    assert (record["summary"], record["text"]) == (TT_SAPO, "\n".join(TT_BODY))
    assert record["extraction"]["sources"]["summary"] == "profile"
    assert record["extraction"]["notes"] == {note: 1}


def test_a_vnexpress_lead_paragraph_holding_a_paragraph_is_read() -> None:
    """A <p> cannot hold a <p> either: `<p class="description"><p>...</p></p>` is an empty
    description followed by the lead."""
    url = "https://vnexpress.net/khoi-cong-cau-4796501.html"
    html = (f'<html><body><h1 class="title-detail">Khởi công cầu</h1><p class="description"><p>{TT_SAPO}</p></p>'
            f'<article class="fck_detail">{"".join(f"<p>{p}</p>" for p in TT_BODY)}</article></body></html>')
    record = extract_article(HtmlResponse(url, body=html.encode()).selector, url, get_profile("vnexpress"))
    assert (record["summary"], record["text"]) == (TT_SAPO, "\n".join(TT_BODY))
    assert record["extraction"]["notes"] == {"sapo_moved_out": 1}


def test_an_empty_sapo_followed_by_the_body_container_takes_nothing_from_it() -> None:
    record = tuoitre('<h2 class="detail-sapo" data-role="sapo"></h2>')
    assert (record["summary"], record["text"]) == ("", "\n".join(TT_BODY))
    assert record["extraction"]["sources"]["summary"] == "none" and "notes" not in record["extraction"]


def test_an_unclosed_sapo_heading_swallowing_the_body_still_keeps_the_body_out_of_the_sapo() -> None:
    html = (f'<html><body><h1 class="detail-title">Khởi công cầu</h1><h2 class="detail-sapo"><div>TTO - {TT_SAPO}</div>'
            f'<div class="detail-content">{"".join(f"<p>{p}</p>" for p in TT_BODY)}</div></body></html>')
    record = extract_article(HtmlResponse(TT_URL, body=html.encode()).selector, TT_URL, get_profile("tuoitre"))
    assert (record["summary"], record["text"]) == (TT_SAPO, "\n".join(TT_BODY))
    assert record["extraction"]["notes"] == {"sapo_in_block": 1}


def test_a_crawl_counts_what_extraction_repaired_or_could_not_read(tmp_path) -> None:
    """Dân trí pages as shipped (fixtures/shipped_markup): an empty 2025 placeholder above the v2
    article and a JSON-LD script cut off (counted jsonld_unreadable); a v3 page whose sapo is a <p>
    inside its <h2> and whose JSON-LD is CDATA-wrapped, typed with a charset, two objects with
    trailing commas; a v3 page whose sapo is a <div> inside its <h2> and whose only <time> is a
    header ticker's (no date). Every field exact, every page counted."""
    from urllib.parse import urlsplit

    from crawl.runner import run_crawl
    from crawl.serve import serve_site
    from crawl.stats import page_outcomes

    from .conftest import FAST_SETTINGS, FIXTURES, read_records

    with serve_site(FIXTURES / "shipped_markup") as base:
        stats = run_crawl("dantri", tmp_path, [base + "/sitemap.xml"], settings=FAST_SETTINGS)
    records = {urlsplit(record["url"]).path.split("/")[-1]: record for record in read_records(tmp_path)}
    keys = ("title", "summary", "text", "published", "category")
    assert {name: {key: record[key] for key in keys} for name, record in records.items()} == {
        "khanh-thanh-cau-vuot-vanh-dai-25-20240921142035123.htm": {
            "title": "Khánh thành cầu vượt Vành đai 2,5",
            "summary": "Sáng 21/9, Hà Nội khánh thành cầu vượt nút giao Vành đai 2,5 với đường Giải Phóng, rút ngắn "
                       "thời gian đi lại cho người dân phía nam thành phố.",
            "text": "Cầu vượt dài 440 m, rộng 9 m, gồm hai làn xe, tổng vốn đầu tư khoảng 250 tỷ đồng từ ngân sách thành "
                    "phố. Công trình được khởi công từ tháng 3 năm ngoái và hoàn thành sớm hơn kế hoạch hai tháng.\n"
                    "Theo Sở Xây dựng Hà Nội, cầu vượt giúp giảm ùn tắc cho khu vực phía nam thành phố vào giờ cao điểm, "
                    "nhất là đoạn qua bến xe Giáp Bát và các khu đô thị mới.",
            "published": "2024-09-21T14:20:00+07:00", "category": "Xã hội"},
        "ha-noi-trong-them-cay-xanh-20250320080000123.htm": {
            "title": "Hà Nội trồng thêm 10.000 cây xanh",
            "summary": "Hà Nội sẽ trồng thêm 10.000 cây xanh trên các tuyến phố nội đô trong năm nay, ưu tiên những tuyến "
                       "đường mới mở và các khu dân cư thiếu bóng mát.",
            "text": "Theo kế hoạch của Sở Xây dựng, các loài cây được chọn gồm sao đen, lim xanh, giáng hương và muồng hoa "
                    "vàng, phù hợp với khí hậu và có tán rộng, ít đổ gãy khi mưa bão.\n"
                    "Thành phố cũng sẽ thay thế những cây đã già cỗi, sâu mục trên các tuyến phố cũ để bảo đảm an toàn "
                    "cho người đi đường trong mùa mưa bão sắp tới.",
            "published": "2025-03-20T08:00:00+07:00", "category": "Xã hội"},
        "mo-rong-duong-vanh-dai-3-20250321090000456.htm": {
            "title": "Mở rộng đường Vành đai 3",
            "summary": "Đường Vành đai 3 đoạn qua quận Hoàng Mai sẽ được mở rộng lên tám làn xe, dự kiến khởi công vào "
                       "quý III năm nay với tổng vốn hơn 1.000 tỷ đồng.",
            "text": "Dự án dài 3,5 km, đi qua bốn phường, cần thu hồi khoảng 12 ha đất của hơn 300 hộ dân. Thành phố yêu "
                    "cầu hoàn thành công tác giải phóng mặt bằng trước tháng 7.\n"
                    "Khi hoàn thành, tuyến đường sẽ kết nối thuận lợi với cao tốc Pháp Vân - Cầu Giẽ và giảm tải cho "
                    "nút giao Pháp Vân vốn thường xuyên ùn tắc vào giờ cao điểm.",
            "published": None, "category": None},
    }
    assert stats["extraction_notes"] == {"jsonld_unreadable": 1, "sapo_in_block": 1, "sapo_moved_out": 1}
    assert stats["layouts"] == {"v2": 1, "v3": 2}
    assert stats["field_sources"]["published"] == {"jsonld": 1, "none": 1, "profile": 1}
    assert stats["field_sources"]["summary"] == {"profile": 3}
    assert (stats["pages_fetched"], stats["articles_new"], stats["dropped"], stats["discovery_pages"]) == (
        4, 3, {}, {"sitemap": 1})
    assert page_outcomes(stats) == stats["pages_fetched"]
