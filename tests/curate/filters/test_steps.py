"""Each built-in filter step on a small pool: its scores, its reasons, its rule for what is kept."""

from __future__ import annotations

import pytest

from curate.filters.base import FilterContext
from curate.filters.chain import run_filters
from curate.filters.registry import build_steps
from curate.filters.steps.language import identifier_code
from curate.io import read_jsonl, write_jsonl
from curate.languages import get_language
from tests.curate.filters.helpers import pool

CONTEXT = FilterContext("vi", "zh", "summary_zh")


def run(records, entry):
    """(scores, reasons) of one step over `records`."""
    (step,) = build_steps([entry], CONTEXT)
    scores = step.scores(iter(records))
    return scores, step.drops([r["id"] for r in records], scores)


def test_language_id_scores_the_expected_language_of_each_field():
    records = pool(4)
    records[1]["text"] = "The ministry said on Monday that the new bus lanes would open next month in the capital."
    records[2]["summary"] = "政府周一宣布了新的公交规定，以缩短市民的出行时间。"
    records[3]["summary_zh"] = ""
    scores, reasons = run(records, {"step": "language_id", "workers": 1})
    assert reasons == [None, "wrong_language_text", "wrong_language_summary", "wrong_language_target"]
    assert scores[0] == {"lid_text": 1.0, "lid_summary": 1.0, "lid_target": 1.0}
    assert scores[1]["lid_text"] < 0.01 and scores[2]["lid_summary"] < 0.01 and scores[3]["lid_target"] == 0.0
    assert identifier_code("zh") == "zh" and identifier_code("vi") == "vi"


def test_language_id_counts_chinese_spread_over_zh_and_wu_as_chinese():
    # py3langid gives this Mandarin summary zh 0.49 / wuu 0.50: summed, it is Chinese.
    zh = "今天上午，胡志明市逾9.8万名九年级学生参加公立高中十年级入学考试，考试科目为语文、数学和外语三门，共争夺约7.73万个"
    records = [{**pool(1)[0], "summary_zh": zh}]
    scores, reasons = run(records, {"step": "language_id", "workers": 1})
    assert reasons == [None] and scores[0]["lid_target"] >= 0.99


def test_near_duplicates_keep_the_lowest_id_whatever_the_order(tmp_path):
    records = pool(8)
    words = records[1]["text"].split()
    records[5]["text"] = " ".join(words[:-1] + ["hôm nay."])  # the same article, its last word changed
    records[6]["summary"] = records[0]["summary"].upper() + "!"  # the same summary, case and punctuation aside
    kept = []
    for order in (records, records[::-1]):
        write_jsonl(tmp_path / "pool.jsonl", order)
        result = run_filters(
            tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", [{"step": "near_duplicates", "workers": 1}], CONTEXT,
            tmp_path / "dropped.jsonl",
        )
        assert result.steps[0].dropped == {"duplicate_summary": 1, "near_duplicate_text": 1}
        kept.append(sorted(r["id"] for r in read_jsonl(tmp_path / "kept.jsonl")))
        dropped = {r["id"]: (r["drop_reason"], r["dup_jaccard"]) for r in read_jsonl(tmp_path / "dropped.jsonl")}
        assert dropped["r05"][0] == "near_duplicate_text" and dropped["r05"][1] >= 0.8
        assert dropped["r06"][0] == "duplicate_summary"
    assert kept[0] == kept[1] == ["r00", "r01", "r02", "r03", "r04", "r07"]


def test_near_duplicates_threshold_decides():
    records = pool(3)
    records[2]["text"] = records[1]["text"] + " Ngoài ra, giá vé xe buýt không thay đổi trong năm nay."  # r01 plus a sentence
    default, reasons = run(records, {"step": "near_duplicates", "workers": 1})
    assert reasons == [None, None, "near_duplicate_text"]
    assert 0.8 <= default[2]["dup_jaccard"] < 1.0
    _, strict = run(records, {"step": "near_duplicates", "threshold": 0.98, "workers": 1})
    assert strict == [None, None, None]


def test_signatures_on_two_processes_equal_those_in_one():
    from functools import partial

    import numpy as np

    from curate.filters import minhash
    from curate.filters.parallel import map_batches

    texts = [r["text"] for r in pool(7)] + [""]
    batch = partial(minhash.signature_batch, lang="vi", ngram=5, num_perm=64)
    one = list(map_batches(batch, texts, workers=1, batch_size=2))
    two = list(map_batches(batch, texts, workers=2, batch_size=2))  # 4 batches over 2 processes
    assert len(two) == 8 and two[-1] is None
    assert all(np.array_equal(a, b) for a, b in zip(one[:-1], two[:-1]))


def test_length_ratio_and_summary_in_source():
    records = pool(4)
    records[1]["summary_zh"] = "河内。"  # a truncated translation
    records[2]["text"] = records[2]["summary"]  # the summary is the whole text
    records[3]["text"] = "Theo báo cáo. " + records[3]["summary"] + " Ngoài ra, giá vé không đổi."  # the sapo left in the body
    scores, reasons = run(records, {"step": "length_ratio"})
    assert reasons == [None, "length_ratio_low", "summary_not_shorter", None]
    assert scores[1]["len_ratio"] == round(3 / get_language("vi").count_units(records[1]["summary"]), 4)  # 3 characters
    assert scores[2]["summary_share"] == 1.0
    scores, reasons = run(records, {"step": "summary_in_source"})
    assert reasons == [None, None, "summary_in_source", "summary_in_source"]
    assert scores[3]["summary_overlap"] == 1.0 and scores[0]["summary_overlap"] < 0.3
    with pytest.raises(ValueError, match="min_ratio 3.0 must be below max_ratio 2.0"):
        build_steps([{"step": "length_ratio", "min_ratio": 3, "max_ratio": 2}], CONTEXT)


def test_shingle_tokens_use_the_shared_normalisation():
    # Issue 12's kinds reach the MinHash keys too: invisible characters, Ð for Đ, misplaced tone marks.
    from curate.filters.minhash import shingle_tokens

    standard = shingle_tokens("Đà Nẵng bảo đảm giá lượng hòa", "vi")
    assert shingle_tokens("\u00d0à N\u200bẵng baỏ đảm giá lựơng hoà", "vi") == standard
    assert shingle_tokens("二〇\u200b〇八年", "zh") == ["二", "〇", "〇", "八", "年"]


def test_shingle_tokens_fold_case_unicode_form_and_punctuation():
    import unicodedata

    from curate.filters.minhash import shingle_tokens

    composed = "Ông Hùng nói: “Giá vé 7.000 đồng”, từ 1/10."
    assert shingle_tokens(composed, "vi") == ["ông", "hùng", "nói", "giá", "vé", "7.000", "đồng", "từ", "1/10"]
    assert shingle_tokens(unicodedata.normalize("NFD", composed.upper()), "vi") == shingle_tokens(composed, "vi")
    assert shingle_tokens("自10月1日起，ＡＢ公交。", "zh") == ["自", "1", "0", "月", "1", "日", "起", "a", "b", "公", "交"]


def _one_step(tmp_path, records, step, src="vi"):
    from curate.filters.base import FilterContext
    from curate.filters.chain import run_filters
    from curate.io import read_jsonl, write_jsonl

    write_jsonl(tmp_path / "pool.jsonl", records)
    result = run_filters(tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", [step], FilterContext(src, "zh", "summary_zh"),
                         tmp_path / "dropped.jsonl", tmp_path)
    dropped = {r["id"]: r["drop_reason"] for r in read_jsonl(tmp_path / "dropped.jsonl")}
    return [r["id"] for r in read_jsonl(tmp_path / "kept.jsonl")], dropped, result.steps[0]


def test_summary_in_source_matches_whole_tokens_only(tmp_path):
    records = [
        {"id": "a", "text": "Often days pass without rain in the city.", "summary": "ten days", "summary_zh": "十天"},
        {"id": "b", "text": "Ten days pass without rain in the city.", "summary": "ten days", "summary_zh": "十天"},
        {"id": "c", "text": "Mười ngày không mưa ở thành phố.", "summary": "ngày không mưa", "summary_zh": "十天"},
    ]
    kept, dropped, step = _one_step(tmp_path, records, {"step": "summary_in_source"}, src="en")
    assert kept == ["a"]
    assert dropped == {"b": "summary_in_source", "c": "summary_in_source"}
    assert step.input == step.kept + step.dropped.total


def test_length_ratio_names_an_empty_field_whatever_the_bounds(tmp_path):
    base = {"text": "Giá vàng hôm nay tăng mạnh theo đà thế giới và trong nước.", "summary": "Giá vàng tăng mạnh.", "summary_zh": "金价大涨。"}
    records = [
        {"id": "ok", **base},
        {"id": "no-zh", **base, "summary_zh": ""},
        {"id": "no-sum", **base, "summary": " "},
        {"id": "no-text", **base, "text": ""},
        {"id": "stop-only", **base, "summary_zh": "。"},  # punctuation alone is no translation
    ]
    kept, dropped, step = _one_step(tmp_path, records, {"step": "length_ratio", "min_ratio": 0.0})
    assert kept == ["ok"]
    assert dropped == {"no-zh": "empty_target_summary", "no-sum": "empty_summary", "no-text": "empty_text",
                       "stop-only": "empty_target_summary"}


@pytest.mark.parametrize(("entry", "message"), [
    ({"step": "near_duplicates", "threshold": 0.99}, "threshold 0.99 is too high for MinHash LSH with num_perm 128 .* use at most 0.98"),
    ({"step": "near_duplicates", "threshold": 1.0}, "threshold 1.0 is too high"),
    ({"step": "near_duplicates", "threshold": 0.87, "num_perm": 16}, "threshold 0.87 is too high for MinHash LSH with num_perm 16"),
])
def test_a_threshold_lsh_cannot_band_is_refused_at_load(entry, message):
    from curate.filters.registry import parse_step

    with pytest.raises(ValueError, match=message):
        parse_step(entry)


def test_a_leakage_threshold_lsh_cannot_band_is_refused_at_load():
    from flows.recipe import LeakageSpec

    with pytest.raises(ValueError, match="threshold 0.99 is too high for MinHash LSH"):
        LeakageSpec(threshold=0.99)
