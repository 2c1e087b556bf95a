"""Charsets (issue 11, item 10): UTF-8 bytes served with a lying `charset=iso-8859-1` header decode
as UTF-8, with or without a `<meta charset>`; a windows-1258 page declared in its meta but served as
iso-8859-1 decodes by its meta; a page the site itself double-encoded is dropped as `mojibake`.

The fixture (`fixtures/charset/`, VnExpress markup) is served with the headers of `_responses.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse

from crawl.encoding import looks_like_mojibake, page_encoding
from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.stats import page_outcomes
from crawl.warc.run import extract_warcs
from crawl.warc.writer import Page, write_warc

from .conftest import FAST_SETTINGS, FIXTURES, read_records

EXPECTED = {
    "/thu-tuong-yeu-cau-day-nhanh-giai-ngan-4796501.html": {  # UTF-8, meta utf-8, header iso-8859-1
        "title": "Thủ tướng yêu cầu đẩy nhanh giải ngân vốn đầu tư công",
        "summary": "Thủ tướng Phạm Minh Chính yêu cầu các bộ, ngành và địa phương đẩy nhanh tiến độ giải ngân vốn đầu tư công, phấn đấu đạt trên 95% kế hoạch trong năm nay.",
        "text": "Tại hội nghị trực tuyến sáng nay, Thủ tướng cho biết tỷ lệ giải ngân của nhiều bộ, ngành vẫn thấp hơn mức bình quân cả nước, trong khi nhu cầu vốn cho các công trình giao thông trọng điểm rất lớn.\n"
                "Người đứng đầu Chính phủ yêu cầu xử lý dứt điểm vướng mắc về giải phóng mặt bằng, nguồn vật liệu xây dựng và thủ tục thanh toán, đồng thời xử lý nghiêm cán bộ gây chậm trễ.",
        "published": "2025-04-02T09:00:00+07:00",
    },
    "/tuong-dai-thuong-tuong-phuc-hoi-4796502.html": {  # UTF-8, no meta charset, header ISO-8859-1
        "title": "Tượng đài thương tướng được phục hồi",
        "summary": "Sau hai năm trùng tu, tượng đài thượng tướng ở trung tâm thành phố được phục hồi nguyên trạng và mở cửa đón khách tham quan miễn phí từ cuối tuần này.",
        "text": "Công trình do các nghệ nhân đúc đồng làng Đại Bái thực hiện, sử dụng hơn hai tấn đồng và giữ nguyên các chi tiết hoa văn của bản gốc dựng từ những năm đầu thế kỷ trước.\n"
                "Ban quản lý di tích cho biết khu vực quanh tượng đài cũng được lát lại đá, trồng thêm cây xanh và lắp hệ thống chiếu sáng nghệ thuật phục vụ du khách buổi tối.",
        "published": "2025-04-03T08:30:00+07:00",
    },
    "/truong-hoc-vung-cao-don-hoc-sinh-4796504.html": {  # windows-1258, meta windows-1258, header iso-8859-1
        "title": "Trường học vùng cao đón học sinh trở lại",
        "summary": "Sau đợt nghỉ tránh rét kéo dài một tuần, các trường học vùng cao ở Lào Cai đón học sinh trở lại lớp, nhiều điểm trường được hỗ trợ thêm chăn ấm và bếp sưởi.",
        "text": "Tại điểm trường Séo Mý Tỷ, các thầy cô đã đến từ sớm để nhóm lửa sưởi ấm lớp học. Hơn chín mươi phần trăm học sinh đi học trở lại ngay trong ngày đầu tiên.\n"
                "Ngành giáo dục tỉnh cho biết đã phân bổ thêm gạo và thực phẩm cho các trường bán trú, bảo đảm bữa ăn nóng cho học sinh trong những ngày nhiệt độ xuống thấp.",
        "published": "2025-04-05T07:00:00+07:00",
    },
}


def test_lying_charset_headers_and_mojibake_pages(tmp_path: Path) -> None:
    with serve_site(FIXTURES / "charset") as base:
        stats = run_crawl("vnexpress", tmp_path, [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    records = {urlsplit(record["url"]).path: record for record in read_records(tmp_path)}
    assert sorted(records) == sorted(EXPECTED)
    for path, fields in EXPECTED.items():
        assert {key: records[path][key] for key in fields} == fields, path
    assert stats["dropped"] == {"mojibake": 1}  # /trang-ma-hai-lan-4796503.html, double-encoded by the site
    assert stats["decoding"] == {"header_overridden": 3, "non_utf8": 1}
    assert (stats["pages_fetched"], stats["articles_new"], stats["discovery_pages"]) == (5, 3, {"feed": 1})
    assert page_outcomes(stats) == stats["pages_fetched"]


def page(body: bytes, content_type: str) -> HtmlResponse:
    return HtmlResponse("http://a/", body=body, headers={"Content-Type": content_type})


def test_page_encoding_prefers_valid_utf8_then_the_meta_over_a_default_header() -> None:
    vietnamese = "<p>Thủ tướng phát biểu</p>"
    assert page_encoding(page(vietnamese.encode(), "text/html; charset=iso-8859-1")) == "utf-8"
    assert page_encoding(page(vietnamese.encode(), "text/html; charset=utf-8")) is None  # already right
    assert page_encoding(page(b"<p>ASCII only</p>", "text/html; charset=iso-8859-1")) is None  # reads the same
    cp1258 = '<meta charset="windows-1258"><p>Giá cà phê</p>'.encode("cp1258")
    assert page_encoding(page(cp1258, "text/html; charset=iso-8859-1")) == "cp1258"
    # a header naming a real, non-default charset is believed when the bytes are not UTF-8
    assert page_encoding(page(cp1258, "text/html; charset=windows-1258")) is None


def test_mojibake_is_recognised_and_clean_vietnamese_is_not() -> None:
    clean = "Thủ tướng yêu cầu đẩy nhanh giải ngân vốn đầu tư công trong năm nay."
    assert looks_like_mojibake(clean.encode().decode("cp1252", "replace"))
    assert looks_like_mojibake(clean.encode().decode("latin-1"))
    assert not looks_like_mojibake(clean)
    assert not looks_like_mojibake("")
    # one unlikely sequence in clean text (a name ending in "Â ", like a mojibake no-break space) is not enough
    assert not looks_like_mojibake("ĐÀ NẴNG – Ông Nguyễn Văn Â cho biết giá lúa tăng 5% so với tuần trước.")


CP1258_PATH = "/truong-hoc-vung-cao-don-hoc-sinh-4796504.html"  # windows-1258 bytes, <meta charset="windows-1258">


def test_bytes_that_are_not_utf8_under_a_utf8_header_decode_by_the_meta() -> None:
    cp1258 = '<meta charset="windows-1258"><p>Giá cà phê</p>'.encode("cp1258")
    assert page_encoding(page(cp1258, "text/html; charset=utf-8")) == "cp1258"
    assert page_encoding(page(cp1258, "text/html; charset=UTF8")) == "cp1258"
    latin = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>Café</p>'.encode("latin-1")
    assert page_encoding(page(latin, "text/html; charset=utf-8")) == "cp1252"
    # valid UTF-8 stays UTF-8 whatever the meta says; no meta: nothing to go by (dropped downstream)
    assert page_encoding(page('<meta charset="windows-1258"><p>Giá cà phê</p>'.encode(), "text/html; charset=utf-8")) is None
    assert page_encoding(page("<p>Giá cà phê</p>".encode("cp1258"), "text/html; charset=utf-8")) is None


def lying_utf8_site(root: Path) -> Path:
    """The windows-1258 fixture page served with `Content-Type: text/html; charset=utf-8`."""
    (root / "rss").mkdir(parents=True)
    (root / CP1258_PATH[1:]).write_bytes((FIXTURES / "charset" / CP1258_PATH[1:]).read_bytes())
    (root / "_responses.json").write_text(json.dumps(
        {CP1258_PATH: {"file": True, "headers": {"Content-Type": "text/html; charset=utf-8"}}}))
    (root / "rss" / "tin-moi-nhat.rss").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
        f"<item><link>{{{{base_url}}}}{CP1258_PATH}</link></item></channel></rss>")
    return root


def test_a_windows_1258_page_served_as_utf8_is_kept_by_crawl_and_warc(tmp_path: Path) -> None:
    with serve_site(lying_utf8_site(tmp_path / "site")) as base:
        stats = run_crawl("vnexpress", tmp_path / "crawl", [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    expected = EXPECTED[CP1258_PATH]
    assert [{key: record[key] for key in expected} for record in read_records(tmp_path / "crawl")] == [expected]
    assert (stats["articles_new"], stats["dropped"]) == (1, {})
    assert stats["decoding"] == {"header_overridden": 1, "non_utf8": 1}
    assert page_outcomes(stats) == stats["pages_fetched"] == 2

    body = (FIXTURES / "charset" / CP1258_PATH[1:]).read_bytes()
    warc = write_warc(tmp_path / "a.warc.gz", [Page("https://vnexpress.net" + CP1258_PATH, body, "text/html; charset=utf-8")])
    stats = extract_warcs(["vnexpress"], [str(warc)], tmp_path / "warc", progress=False)
    assert stats["outcomes"] == {"kept": 1}
    assert stats["decoding"] == {"header_overridden": 1, "non_utf8": 1}
    assert [{key: record[key] for key in expected} for record in read_records(tmp_path / "warc")] == [expected]
