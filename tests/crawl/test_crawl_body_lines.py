"""Body lines that are no article text (issue 11, kind 5; probe defect D34): ">> Xem thêm" stubs,
photo captions and credits with or without parentheses, and a short last source credit ("Nguồn: X",
"Theo X") are removed and counted in `boxes_dropped`; real sentences that start with "Theo" or "Ảnh"
stay. A piece of the sapo on a body line of its own is a leak only from about 4 words on, in the
language's length unit (characters for Chinese and Thai)."""

from __future__ import annotations

from collections import Counter

import pytest
from parsel import Selector

from crawl.extract import extract_article
from crawl.fields import body_lines, without_summary
from crawl.lengths import LengthUnit, script_unit
from crawl.sites import PROFILES

THANHNIEN = PROFILES["thanhnien"]
KEEP = dict(summary="", title="", drop=THANHNIEN.all_drop_lines(), prefixes=THANHNIEN.prefix_patterns())
TEXT = "Đoạn văn chính của bài báo về giá vàng."


def test_the_reviewer_s_lines_are_dropped_and_counted() -> None:
    dropped: Counter = Counter()
    lines = [TEXT, ">> Xem thêm: Giá vàng hôm nay tăng mạnh", "(Ảnh: Ngọc Quý)", "Ảnh minh họa", "Nguồn: VnExpress", "Theo VTV"]
    assert body_lines(lines, **KEEP, dropped=dropped) == TEXT
    assert dropped == {"read_more_line": 1, "caption_line": 2, "credit_line": 2}
    assert body_lines(lines, **KEEP) == TEXT  # counting is optional


@pytest.mark.parametrize(
    ("line", "name"),
    [
        (">> Xem thêm: Giá vàng hôm nay tăng mạnh", "read_more_line"),
        (">>Giá vàng hôm nay tăng mạnh", "read_more_line"),
        ("XEM THÊM: Giá vàng hôm nay", "read_more_line"),
        ("Tin liên quan", "read_more_line"),
        ("Ảnh: Ngọc Quý", "caption_line"),
        ("(Ảnh: Ngọc Quý)", "caption_line"),
        ("( Ảnh : TTXVN )", "caption_line"),
        ("Ảnh minh họa", "caption_line"),
        ("Ảnh minh hoạ", "caption_line"),  # the old tone placement
        ("(Ảnh minh họa)", "caption_line"),
        ("Ảnh minh họa: Internet", "caption_line"),
        ("Video: Hoàng Anh", "caption_line"),
    ],
)
def test_stub_and_caption_lines_are_dropped_anywhere(line: str, name: str) -> None:
    dropped: Counter = Counter()
    assert body_lines([TEXT, line, TEXT + " Hết."], **KEEP, dropped=dropped) == f"{TEXT}\n{TEXT} Hết."
    assert dropped == {name: 1}


@pytest.mark.parametrize(
    "credit",
    ["Theo VTV", "Theo VTV.", "(Theo VnExpress)", "THEO TTXVN", "Theo báo Tuổi Trẻ", "Theo Reuters, AFP",
     "Nguồn: VnExpress", "Nguồn tin: Bộ Y tế", "(Nguồn: Báo Chính phủ)", "Theo Thời báo Kinh tế Việt Nam"],
)
def test_a_short_last_source_credit_is_dropped(credit: str) -> None:
    dropped: Counter = Counter()
    assert body_lines([TEXT, credit], **KEEP, dropped=dropped) == TEXT
    assert dropped == {"credit_line": 1}


@pytest.mark.parametrize(
    "line",
    [
        "Theo Bộ Y tế, số ca mắc sốt xuất huyết trong tuần qua tăng 20% so với cùng kỳ năm ngoái.",
        "Theo kế hoạch, cầu thông xe cuối năm 2026.",
        "Theo Bộ Y tế, số ca mắc tăng.",
        "Theo ông Minh",
        "Ảnh hưởng của bão số 3 khiến nhiều tuyến đường ngập sâu.",
        "Nguồn vốn cho dự án chủ yếu từ ngân sách.",
    ],
)
def test_real_sentences_stay_even_as_the_last_line(line: str) -> None:
    dropped: Counter = Counter()
    assert body_lines([TEXT, line], **KEEP, dropped=dropped) == f"{TEXT}\n{line}"
    assert dropped == {}


def test_a_credit_that_is_not_last_stays() -> None:
    assert body_lines(["Theo VTV", TEXT], **KEEP) == f"Theo VTV\n{TEXT}"


def test_dropped_lines_reach_boxes_dropped_of_the_record() -> None:
    sapo = "Giá vàng miếng SJC sáng nay tăng thêm 500.000 đồng mỗi lượng, lên mức cao nhất từ trước đến nay."
    html = (
        '<html><head><meta charset="utf-8"></head><body><h1 class="detail-title">Giá vàng tăng mạnh</h1>'
        f'<h2 class="detail-sapo">{sapo}</h2><div class="detail-cmain"><p>{TEXT}</p>'
        "<p>&gt;&gt; Xem thêm: Giá vàng hôm nay tăng mạnh</p><p>(Ảnh: Ngọc Quý)</p><p>Ảnh minh họa</p>"
        "<p>Theo Bộ Y tế, số ca mắc sốt xuất huyết trong tuần qua tăng 20% so với cùng kỳ.</p>"
        "<p>Theo VTV</p></div></body></html>"
    )
    url = "https://thanhnien.vn/gia-vang-tang-manh-185241002100000456.htm"
    fields = extract_article(Selector(html), url, THANHNIEN)
    assert fields["text"] == f"{TEXT}\nTheo Bộ Y tế, số ca mắc sốt xuất huyết trong tuần qua tăng 20% so với cùng kỳ."
    assert fields["extraction"]["boxes"] == {"caption_line": 2, "credit_line": 1, "read_more_line": 1}


ZH_SAPO = "今年以来全国新冠疫情防控形势总体平稳，各地持续优化防控措施。"
TH_SAPO = "กรมอุตุนิยมวิทยาเตือนประชาชนในภาคเหนือให้ระวังฝนตกหนักและน้ำท่วมฉับพลันในช่วงสัปดาห์นี้"


@pytest.mark.parametrize(
    ("line", "summary", "rest"),
    [
        ("新冠疫情", ZH_SAPO, "新冠疫情"),  # 4 characters: about 2.4 words, may be a coincidence
        ("新冠疫情防控形势", ZH_SAPO, ""),  # 8 characters: about 4.8 words, a leak
        ("ฝนตกหนัก", TH_SAPO, "ฝนตกหนัก"),  # 7 letters: about 2 words
        ("ให้ระวังฝนตกหนักและน้ำท่วม", TH_SAPO, ""),  # 21 letters: about 6.5 words
        ("Thảo Điền", "Cầu nối phường Thảo Điền với quận Bình Thạnh.", "Thảo Điền"),  # 2 syllables
        ("phường Thảo Điền với", "Cầu nối phường Thảo Điền với quận Bình Thạnh.", ""),  # 4 syllables
    ],
)
def test_a_sapo_piece_is_a_leak_from_about_four_words(line: str, summary: str, rest: str) -> None:
    assert without_summary(line, summary) == rest


def test_script_unit_tells_the_unit_from_the_letters() -> None:
    assert script_unit("新冠疫情防控") == LengthUnit("chars", 1.66)
    assert script_unit("ให้ระวังฝนตก") == LengthUnit("chars", 3.22)
    assert script_unit("Giá vàng 新") == LengthUnit("words")
    assert script_unit("2024") == LengthUnit("words")
