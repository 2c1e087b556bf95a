"""Invisible characters (Unicode Default_Ignorable_Code_Point) and stray combining marks: removed from
stored text, tokens, ROUGE and dedup keys alike (crawl/normalize.py, issue 12 item 3)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawl.normalize import clean, dedup_key, tokens
from crawl.sites import get_profile
from crawl.text import strip_summary_prefix, word_count
from curate.rouge import RougeScores, score_pairs

CLSFORGE = Path(sys.executable).with_name("clsforge")

# One character of each class that scraped pages carry and that renders as nothing.
INVISIBLES = {
    "zwsp": "\u200b", "zwnj": "\u200c", "zwj": "\u200d", "lrm": "\u200e", "rlm": "\u200f",
    "lre": "\u202a", "rle": "\u202b", "pdf": "\u202c", "lro": "\u202d", "rlo": "\u202e",
    "word_joiner": "\u2060", "function_application": "\u2061", "invisible_times": "\u2062",
    "invisible_separator": "\u2063", "invisible_plus": "\u2064",
    "lri": "\u2066", "rli": "\u2067", "fsi": "\u2068", "pdi": "\u2069",
    "mongolian_vowel_separator": "\u180e", "mongolian_fvs1": "\u180b", "cgj": "\u034f",
    "arabic_letter_mark": "\u061c", "vs1": "\ufe00", "vs16": "\ufe0f",
    "ivs_first": "\U000e0100", "ivs_last": "\U000e01ef", "tag_begin": "\U000e0001", "tag_a": "\U000e0041",
    "tag_cancel": "\U000e007f", "bom": "\ufeff", "soft_hyphen": "\u00ad", "hangul_filler": "\u3164",
    "interlinear_anchor": "\ufff9", "interlinear_separator": "\ufffa", "interlinear_terminator": "\ufffb",
}


@pytest.mark.parametrize("char", INVISIBLES.values(), ids=INVISIBLES.keys())
def test_an_invisible_character_neither_splits_a_word_nor_hides_in_a_token(char: str) -> None:
    assert tokens(f"Vi{char}ệt Nam{char} vô {char}địch") == ["việt", "nam", "vô", "địch"]
    assert tokens(f"疫{char}情{char}已经") == ["疫", "情", "已", "经"]
    assert tokens(f"Cov{char}id-19") == ["covid", "19"]
    assert clean(f"{char}Vi{char}ệt  Nam{char}") == "Việt Nam"
    assert word_count(f"Vi{char}ệt Nam") == 2


def test_a_combining_mark_without_a_letter_before_it_is_no_token() -> None:
    """After a Han character (or a space, punctuation) a combining mark has no base: dropped, not a token."""
    assert tokens("中\u0301国\u0323 人") == ["中", "国", "人"]
    assert tokens("a \u0301b (\u0300) \u0301") == ["a", "b"]
    assert tokens("Vie\u0323\u0302t") == ["việt"]  # marks on a Latin letter stay part of its word


def test_rouge_of_text_with_invisible_characters_equals_rouge_without_them() -> None:
    ref = "Việt Nam vô địch giải bóng đá Đông Nam Á"
    for char in INVISIBLES.values():
        assert score_pairs([f"Vi{char}ệt Nam vô đ{char}ịch"], ["Việt Nam vô địch"], "vi") == [
            RougeScores(100.0, 100.0, 100.0)]
        # hyp 5 tokens, ref 10, 4 shared unigrams (việt nam vô địch), 3 shared bigrams, LCS 4.
        assert score_pairs([f"Vi{char}ệt Nam{char} vô địch rồi"], [ref], "vi")[0] == pytest.approx(
            (100 * 2 * 4 / 15, 100 * 2 * 3 / 13, 100 * 2 * 4 / 15))
    assert score_pairs(["中\u0301国人"], ["中国人"], "zh") == [RougeScores(100.0, 100.0, 100.0)]


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_cli_rouge_is_100_for_each_invisible_character(tmp_path: Path, lang: str) -> None:
    ref = "Việt Nam vô địch" if lang == "vi" else "疫情已经过去"
    hyps = [ref[:2] + char + ref[2:5] + char + ref[5:] for char in INVISIBLES.values()]
    if lang == "zh":
        hyps.append("疫\u0301情已\ufe0f经过去")
    (tmp_path / "hyp.txt").write_text("".join(h + "\n" for h in hyps), encoding="utf-8")
    (tmp_path / "ref.txt").write_text((ref + "\n") * len(hyps), encoding="utf-8")
    result = subprocess.run([str(CLSFORGE), "rouge", "--lang", lang, "--hyp", str(tmp_path / "hyp.txt"),
                             "--ref", str(tmp_path / "ref.txt")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0, "n": len(hyps), "blank": 0}


def test_cli_rouge_of_the_reported_lrm_case(tmp_path: Path) -> None:
    """D1: `Vi\\u200eệt Nam vô địch` against `Việt Nam vô địch` scored rouge1 66.67."""
    (tmp_path / "hyp.txt").write_text("Vi\u200eệt Nam vô địch\nVi\u200eệt Nam thắng\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("Việt Nam vô địch\nViệt Nam vô địch\n", encoding="utf-8")
    result = subprocess.run([str(CLSFORGE), "rouge", "--lang", "vi", "--hyp", str(tmp_path / "hyp.txt"),
                             "--ref", str(tmp_path / "ref.txt")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # Line 2: hyp 3 tokens, ref 4, 2 shared -> R1 = 2*2/7 = 57.14; bigram "việt nam" 1 of 2 and 3 -> 40; LCS 2 -> 57.14.
    assert json.loads(result.stdout) == pytest.approx(
        {"rouge1": (100 + 400 / 7) / 2, "rouge2": 70.0, "rougeL": (100 + 400 / 7) / 2, "n": 2, "blank": 0})


def test_a_sapo_starting_with_lrm_loses_its_site_prefix() -> None:
    patterns = get_profile("dantri").prefix_patterns()
    for char in ("\u200e", "\u200f", "\u2066", "\u202a", "\u034f", "\ufe0f"):
        assert strip_summary_prefix(f"{char}(Dân trí) - Giá vàng{char} tăng.", patterns) == "Giá vàng tăng."


def test_dantri_page_whose_sapo_starts_with_lrm_gives_a_clean_summary() -> None:
    from scrapy.http import HtmlResponse

    from crawl.extract import extract_article

    url = "https://dantri.com.vn/kinh-doanh/gia-vang-tang-20250302080500000.htm"
    body = " ".join(["Giá vàng miếng trong nước hôm nay tăng thêm một triệu đồng mỗi lượng."] * 6)
    html = f"""<html><head><title>Giá vàng tăng</title></head><body>
    <h1 class="title-page">Giá vàng tăng</h1>
    <h2 class="singular-sapo">&lrm;(Dân trí) - Giá vàng&#x2069; tăng mạnh&#8207; sáng nay.</h2>
    <div class="singular-content"><p>{body}</p></div></body></html>"""
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8")
    fields = extract_article(response.selector, url, get_profile("dantri"))
    assert fields["summary"] == "Giá vàng tăng mạnh sáng nay."


def test_summaries_differing_only_by_invisible_characters_are_duplicates(tmp_path: Path) -> None:
    from curate.filters.base import FilterContext
    from curate.filters.chain import run_filters
    from curate.io import read_jsonl, write_jsonl
    from tests.curate.filters.helpers import pool

    records = pool(4)
    summary = records[0]["summary"]
    words = summary.split(" ")
    records[2]["summary"] = "\u200e" + " ".join(w[:1] + "\u034f" + w[1:] for w in words[:3]) + " " + " ".join(
        "\u2066" + w + "\ufe0f\u2069" for w in words[3:])
    assert records[2]["summary"] != summary and dedup_key(records[2]["summary"]) == dedup_key(summary)
    write_jsonl(tmp_path / "pool.jsonl", records)
    result = run_filters(tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", [{"step": "near_duplicates", "workers": 1}],
                         FilterContext("vi", "zh", "summary_zh"), tmp_path / "dropped.jsonl")
    assert result.steps[0].dropped == {"duplicate_summary": 1}
    assert [(r["id"], r["drop_reason"]) for r in read_jsonl(tmp_path / "dropped.jsonl")] == [("r02", "duplicate_summary")]
