"""The language registry and the ROUGE tokenization contract of DESIGN.md."""

import unicodedata

import pytest
from rouge_score import tokenize as rouge_default_tokenize

from curate.languages import LANGUAGES, Language, UnknownLanguageError, WordTokenizer, get_language, normalize_vietnamese, register


def test_registry_codes():
    assert {(l.code, l.google, l.mbart, l.unit) for l in LANGUAGES.values()} >= {
        ("vi", "vi", "vi_VN", "words"),
        ("zh", "zh-CN", "zh_CN", "chars"),
        ("en", "en", "en_XX", "words"),
    }


def test_unknown_language_lists_known_codes():
    with pytest.raises(UnknownLanguageError, match=r"unknown language 'th'; known languages: en, vi, zh"):
        get_language("th")


def test_adding_a_language_is_one_entry(monkeypatch):
    monkeypatch.setitem(LANGUAGES, "lo", LANGUAGES["en"])  # restored after the test
    register(Language("lo", "Lao", google="lo", mbart="lo_LA", tokenizer=WordTokenizer(), unit="words"))
    assert get_language("lo").mbart == "lo_LA"


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"), ("Hoá", "hóa"), ("loạ", "lọa"), ("toả", "tỏa")],
)
def test_old_tone_placement_becomes_new(old, new):
    assert normalize_vietnamese(old) == new
    assert get_language("vi").tokenizer.tokenize(f"{old} bình") == [new, "bình"]


@pytest.mark.parametrize("word", ["quý", "hoàng", "thuyền", "hòa", "của"])
def test_tone_placement_left_alone(word):
    assert normalize_vietnamese(word) == word


def test_vietnamese_tokens_are_syllables_with_punctuation_dropped():
    text = "Thủ tướng: “Đẩy nhanh” dự án, năm 2024!"
    assert get_language("vi").tokenizer.tokenize(text) == ["thủ", "tướng", "đẩy", "nhanh", "dự", "án", "năm", "2024"]


def test_nfd_input_tokenizes_like_nfc():
    text = "Hòa bình và Thủy lợi ở Đà Nẵng"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert get_language("vi").tokenizer.tokenize(nfd) == get_language("vi").tokenizer.tokenize(text)


def test_chinese_tokens_are_characters_and_latin_runs():
    assert get_language("zh").tokenizer.tokenize("COVID-19疫情，已经过去。") == ["covid", "19", "疫", "情", "已", "经", "过", "去"]
    # Full-width Latin letters and digits fold to ASCII.
    assert get_language("zh").tokenizer.tokenize("ＧＤＰ增长５%") == ["gdp", "增", "长", "5"]


def test_english_tokens_are_lowercased_word_runs():
    assert get_language("en").tokenizer.tokenize("The U.S. GDP grew 2.5%.") == ["the", "u", "s", "gdp", "grew", "2", "5"]


def test_count_units_words_and_chars():
    assert get_language("vi").count_units("Thủ tướng  chính phủ, hôm nay.") == 6
    assert get_language("zh").count_units("疫情 已经过去。") == 7
    assert get_language("en").count_units("Hello, big world") == 3


def test_count_units_counts_nfd_text_like_nfc():
    text = "Thủ tướng chính phủ"
    assert get_language("vi").count_units(unicodedata.normalize("NFD", text)) == 4


def test_rouge_score_default_tokenizer_fails_on_these_languages():
    """Regression guard: rouge-score's own tokenizer must never be used for vi or zh."""
    assert rouge_default_tokenize.tokenize("疫情已经过去", None) == []
    assert rouge_default_tokenize.tokenize("Thủ tướng", None) == ["th", "t", "ng"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # misplaced tone marks in closed syllables, U+00D0 for Đ, invisible characters inside words
        ("baỏ lựơng nghịêm Ðà", ["bảo", "lượng", "nghiệm", "đà"]),
        ("Vi\u200bệt Nam\ufeff khu\u00adyến\u200c mãi\u200d", ["việt", "nam", "khuyến", "mãi"]),
    ],
)
def test_vietnamese_tokens_exact(text, expected):
    assert get_language("vi").tokenizer.tokenize(text) == expected


def test_chinese_tokens_exact_for_han_outside_the_basic_block():
    text = "二〇〇八年\U00020000\U0002b740\U00031350，Ｇ２０峰会\u200b。"
    assert get_language("zh").tokenizer.tokenize(text) == [
        "二", "〇", "〇", "八", "年", "\U00020000", "\U0002b740", "\U00031350", "g20", "峰", "会",
    ]


def test_count_units_skip_invisible_characters():
    assert get_language("zh").count_units("疫\u200b情\ufeff") == 2
    assert get_language("vi").count_units("Vi\u200bệt Nam") == 2
