"""Splitting long texts, rejoining their translations, packing requests to the API limits."""

from __future__ import annotations

import math

from curate.translate.base import BatchLimits
from curate.translate.segment import join_pieces, pack_batches, split_long


def test_short_text_is_one_piece():
    assert split_long("Một câu ngắn.", 100) == ["Một câu ngắn."]
    assert split_long("x" * 500, None) == ["x" * 500]


def test_long_text_is_cut_at_sentence_ends():
    text = "Câu một dài. Câu hai! Câu ba? Câu bốn."
    assert split_long(text, 20) == ["Câu một dài.", "Câu hai! Câu ba?", "Câu bốn."]


def test_chinese_sentences_cut_after_full_stops_without_spaces():
    assert split_long("今天下雨。明天晴天。后天多云。", 10) == ["今天下雨。明天晴天。", "后天多云。"]


def test_sentence_longer_than_the_limit_is_cut_at_spaces_then_anywhere():
    assert split_long("aaa bbb ccc ddd", 7) == ["aaa bbb", "ccc ddd"]
    assert split_long("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_join_uses_no_space_for_chinese_and_one_space_otherwise():
    assert join_pieces(["今天下雨。", " 明天晴天。"], "zh") == "今天下雨。明天晴天。"
    assert join_pieces(["It rains.", "Tomorrow sun."], "en") == "It rains. Tomorrow sun."


def test_packing_respects_segment_limit_and_reaches_the_minimum():
    texts = [f"t{i}" for i in range(1000)]
    batches = pack_batches(texts, BatchLimits(max_segments=128, max_chars=None, max_piece_chars=None))
    assert [len(batch) for batch in batches] == [128] * 7 + [104]
    assert [text for batch in batches for text in batch] == texts


def test_packing_respects_code_point_limit_and_target_size():
    texts = ["x" * 250] * 400  # 100,000 code points
    limits = BatchLimits(max_segments=1024, max_chars=30_000, max_piece_chars=30_000)
    batches = pack_batches(texts, limits)
    assert len(batches) == math.ceil(100_000 / 30_000)
    assert max(sum(map(len, batch)) for batch in batches) == 30_000
    smaller = pack_batches(texts, limits, target_chars=5_000)
    assert len(smaller) == 20 and all(sum(map(len, batch)) == 5_000 for batch in smaller)


def test_rate_limiter_waits_for_the_sliding_minute(monkeypatch):
    from curate.translate import ratelimit

    clock = [0.0]
    sleeps = []
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(ratelimit.time, "sleep", fake_sleep)
    limiter = ratelimit.CharsPerMinuteLimiter(100)
    limiter.acquire(60)
    clock[0] = 10.0
    limiter.acquire(40)  # 100 in the window: allowed at once
    assert sleeps == []
    limiter.acquire(30)  # must wait until the first 60 leave the window at t=60
    assert sum(sleeps) == 50.0 and clock[0] == 60.0
