"""crawl/normalize.py: the one normalisation behind crawl cleaning, ROUGE, statistics and dedup keys."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import pytest

from crawl.normalize import INVISIBLE, clean, dedup_key, fold_vietnamese, place_tone_marks, tokens
from crawl.sites import get_profile
from crawl.text import body_key, clean_text, strip_summary_prefix, word_count

# (misplaced or look-alike spelling, standard spelling): identical words typed two ways.
SPELLINGS = [
    ("baỏ", "bảo"),
    ("lựơng", "lượng"),
    ("nghịêm", "nghiệm"),
    ("hoà", "hòa"),
    ("thuỷ", "thủy"),
    ("khoẻ", "khỏe"),
    ("tíên", "tiến"),
    ("chủân", "chuẩn"),
    ("nghịêng", "nghiệng"),
    ("thủơ", "thuở"),
    ("qúy", "quý"),
    ("gìa", "già"),
    ("hòang", "hoàng"),
    ("dàì", "dài"),
    ("HOÀ", "HÒA"),
    ("Lựơng", "Lượng"),
]


@pytest.mark.parametrize(("typed", "standard"), SPELLINGS)
def test_tone_marks_move_to_their_standard_place(typed: str, standard: str) -> None:
    assert place_tone_marks(typed) == standard
    assert place_tone_marks(standard) == standard


@pytest.mark.parametrize(
    "word",
    ["quý", "gìn", "của", "mùa", "giữa", "khuỷu", "ngoằn", "hoạch", "xoáy", "thuyền",
     "café", "José", "tìến", "2024"],
)
def test_standard_syllables_and_other_words_are_left_alone(word: str) -> None:
    """Standard spellings stay; non-syllables (café, José) and two different tones (tìến) are not guessed at."""
    assert place_tone_marks(word) == word


def test_underthesea_table_agrees_with_the_rule() -> None:
    """Every tone-placement entry of underthesea's text_normalize table (2,556 tokens) gives the same
    syllable, except six where the table contradicts its own `hoà` -> `hòa` (it writes `loà`, `noà`)."""
    joblib = pytest.importorskip("joblib")
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        pytest.skip("underthesea is not installed (pip install -e .[dev])")
    table_file = max((Path(spec.origin).parent / "pipeline" / "text_normalize").glob("tn_rules_*.bin"))
    table = joblib.load(table_file)["token"]
    marks = "\u0300\u0301\u0303\u0309\u0323"

    def letters(word: str) -> str:
        return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in marks))

    def tones(word: str) -> list[str]:
        return [c for c in unicodedata.normalize("NFD", word) if c in marks]

    compared = {
        typed: standard
        for typed, standard in table.items()
        if letters(typed) == letters(standard) and len(set(tones(typed))) == 1 and len(tones(standard)) == 1
        and table.get(standard, standard) == standard
    }
    disagree = {typed: standard for typed, standard in compared.items() if place_tone_marks(typed) != standard}
    assert len(compared) == 2556
    assert disagree == {"lòa": "loà", "nòa": "noà", "Lòa": "Loà", "LÒA": "LOÀ", "Nòa": "Noà", "NÒA": "NOÀ"}


def test_tokens_fold_case_width_invisible_characters_and_lookalikes() -> None:
    text = "Vi\u200bỆT  Nam, ＧＤＰ５% Ðà\u00adNẵng baỏ\ufeff \u200cthuỷ\u200d lợi_ích"
    assert tokens(text) == ["việt", "nam", "gdp5", "đànẵng", "bảo", "thủy", "lợi", "ích"]


def test_every_han_character_is_one_token() -> None:
    # U+3007 in a date, then one character of each CJK extension plane B..H, then a basic one.
    text = "二〇〇八年 \U00020000\U0002a700\U0002b740\U0002b820\U0002ceb0\U00030000\U00031350中"
    assert tokens(text) == ["二", "〇", "〇", "八", "年", "\U00020000", "\U0002a700", "\U0002b740", "\U0002b820",
                            "\U0002ceb0", "\U00030000", "\U00031350", "中"]


def test_clean_removes_invisible_characters_and_keeps_spelling() -> None:
    assert INVISIBLE == r"[\p{Default_Ignorable_Code_Point}\uFFF9-\uFFFB]"
    assert clean("\ufeff  Vi\u200bệt\u00ad Nam \u2060hoà\n") == "Việt Nam hoà"
    assert clean_text(unicodedata.normalize("NFD", "Thủ\u200b tướng")) == "Thủ tướng"
    assert fold_vietnamese("Ðà Nẵng, HOÀ bình") == "đà nẵng, hòa bình"


def test_dedup_keys_ignore_every_normalised_difference() -> None:
    a = "Giá lúa TĂNG mạnh, thuỷ lợi Ðồng Tháp: ２０２４"
    b = "gia\u0301 lu\u0301a tăng\u200b mạnh thủy lợi Đồng Tháp 2024"
    assert dedup_key(a) == dedup_key(b) == "giá lúa tăng mạnh thủy lợi đồng tháp 2024"
    assert body_key(a) == body_key(b)
    assert body_key("giá lúa tăng") != body_key("giá lúa giảm")


def test_word_count_counts_normalised_tokens() -> None:
    assert word_count("Vi\u200bệt Nam năm 二〇〇八") == 7


def test_invisible_characters_are_removed_before_prefix_patterns() -> None:
    """A Dân trí sapo that starts with "&#8203;" (a zero-width space once parsed) loses both."""
    patterns = get_profile("dantri").prefix_patterns()
    assert strip_summary_prefix("\u200b(Dân trí) - Giá vàng tăng.", patterns) == "Giá vàng tăng."
    assert strip_summary_prefix("\ufeff\u200b (Dân trí) - Giá vàng tăng.", patterns) == "Giá vàng tăng."


def test_dantri_sapo_with_an_encoded_zero_width_space_loses_it_and_the_prefix() -> None:
    from scrapy.http import HtmlResponse

    from crawl.extract import extract_article

    url = "https://dantri.com.vn/kinh-doanh/gia-vang-tang-20250302080500000.htm"
    body = " ".join(["Giá vàng miếng trong nước hôm nay tăng thêm một triệu đồng mỗi lượng."] * 6)
    html = f"""<html><head><title>Giá vàng tăng</title></head><body>
    <h1 class="title-page">Giá vàng tăng</h1>
    <h2 class="singular-sapo">&#8203;(Dân trí) - Giá vàng tăng mạnh&#8203; sáng nay.</h2>
    <div class="singular-content"><p>{body}</p></div></body></html>"""
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8")
    fields = extract_article(response.selector, url, get_profile("dantri"))
    assert fields["summary"] == "Giá vàng tăng mạnh sáng nay."


def test_fast_path_blocks_split_words_like_the_regex_path() -> None:
    """tokens() uses the stdlib engine for text inside _FAST_BLOCKS: it must agree on every character."""
    import re

    import regex

    from crawl import normalize

    fast, full = re.compile(r"[^\W_]"), regex.compile(r"[^\W_\p{Han}]")
    inside = [chr(cp) for cp in range(0x2060) if not normalize._OUTSIDE_FAST_BLOCKS.match(chr(cp))]
    assert len(inside) == 886
    assert [c for c in inside if bool(fast.match(c)) != bool(full.match(c))] == []


def test_scripts_without_word_spaces_are_one_token_per_letter() -> None:
    # Thai / Lao: a whole phrase is one \w run; per letter (marks attached), like Han, counts mean something.
    assert tokens("ข้าว ดี") == ["ข้", "า", "ว", "ดี"]
    assert tokens("ສະບາຍດີ") == ["ສ", "ະ", "ບ", "າ", "ຍ", "ດີ"]
    assert tokens("Việt 二〇 ข้") == ["việt", "二", "〇", "ข้"]
