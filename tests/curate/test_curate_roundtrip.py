"""Round-trip scoring (curate.roundtrip) and top-K selection (curate.select)."""

import pytest

from curate.io import read_jsonl, write_jsonl
from curate.roundtrip import score_roundtrip
from curate.select import select_top_k


def test_scores_are_added_per_record_and_shards_do_not_change_them(tmp_path):
    records = [
        {"id": "a", "summary": "Thủ tướng thăm Hà Nội", "summary_back": "thủ tướng thăm hà nội"},
        {"id": "b", "summary": "giá vàng tăng mạnh", "summary_back": "bóng đá Việt Nam"},
        # 4 syllables, 3 shared in order: R1 = RL = 75; bigrams 2 of 3 shared: R2 = 66.6667
        {"id": "c", "summary": "học sinh đi học", "summary_back": "học sinh đi làm"},
        {"id": "d", "summary": "mưa lớn", "summary_back": ""},
    ]
    write_jsonl(tmp_path / "in.jsonl", records)
    result = score_roundtrip(tmp_path / "in.jsonl", tmp_path / "one.jsonl", "vi")
    assert result.records == 4 and result.shards == 1 and result.empty_back == 1
    scored = list(read_jsonl(tmp_path / "one.jsonl"))
    assert [(r["rt_rouge1"], r["rt_rouge2"], r["rt_rougeL"]) for r in scored] == [
        (100.0, 100.0, 100.0),
        (0.0, 0.0, 0.0),
        (75.0, 66.6667, 75.0),
        (0.0, 0.0, 0.0),
    ]
    assert scored[0]["summary_back"] == records[0]["summary_back"]
    assert result.mean["rt_rouge1"] == pytest.approx(43.75)
    sharded = score_roundtrip(tmp_path / "in.jsonl", tmp_path / "sharded.jsonl", "vi", shard_size=3)
    assert sharded.shards == 2
    assert (tmp_path / "sharded.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()


def test_back_field_is_configurable_and_a_missing_one_names_the_record(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "lead": "a b", "lead_rt": "a b"}, {"id": "b", "lead": "c"}])
    with pytest.raises(ValueError, match=r"record 2 \(id 'b'\) has no text field 'lead_rt'"):
        score_roundtrip(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "en", field="lead", back_field="lead_rt")
    assert not (tmp_path / "out.jsonl").exists()
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        score_roundtrip(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "xx")


def scored(id, r1, r2, rl, summary=None, text=None):
    return {
        "id": id,
        "summary": summary or f"tóm tắt {id}",
        "text": text or f"nội dung bài {id}",
        "rt_rouge1": r1,
        "rt_rouge2": r2,
        "rt_rougeL": rl,
    }


POOL = [
    scored("e", 60, 30, 60),  # mean 50
    scored("a", 90, 60, 90),  # mean 80
    scored("d", 50, 40, 60),  # mean 50, ties with e: id order puts d first
    scored("b", 70, 10, 70),  # mean 50, but rouge2 10 is below the minimum of the threshold test
    scored("dup1", 99, 99, 99, summary="TÓM TẮT a!"),  # near-exact duplicate summary of a
    scored("dup2", 99, 99, 99, text="nội dung bài e"),  # same body as e
    {"id": "x", "summary": "chưa chấm", "text": "chưa chấm điểm"},  # no scores
    scored("c", 20, 10, 30),  # mean 20
]


def test_selection_keeps_the_best_of_each_duplicate_group_then_ranks_with_id_tie_break(tmp_path):
    write_jsonl(tmp_path / "pool.jsonl", POOL)
    result = select_top_k(tmp_path / "pool.jsonl", tmp_path / "top.jsonl", 3, plot=tmp_path / "plot.png")
    assert result == {
        "input": 8,
        "kept": 3,
        "short": 0,
        "key": "mean",
        "cutoff": 50.0,
        "dropped": {"below_top_k": 2, "duplicate_summary": 1, "duplicate_text": 1, "unscored": 1},
    }
    # dup1 (99) beats its duplicate a (80), dup2 (99) beats e; then the best 50 by id: b (d loses the
    # tie); kept in input order
    assert [r["id"] for r in read_jsonl(tmp_path / "top.jsonl")] == ["b", "dup1", "dup2"]
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_selection_does_not_depend_on_input_order(tmp_path):
    # p and q: equal scores, the same summary spelled two ways (tone placement, an invisible
    # character): p survives by id whichever comes first; r and s: same text, s scores better.
    pool = POOL + [
        scored("q", 70, 70, 70, summary="Giá xăng giảm, thuỷ lợi"),
        scored("p", 70, 70, 70, summary="giá xăng\u200b giảm thủy lợi"),
        scored("s", 65, 65, 65, text="Mưa lớn ở miền Trung"),
        scored("r", 40, 40, 40, text="mưa lớn ở miền trung"),
    ]
    write_jsonl(tmp_path / "fwd.jsonl", pool)
    write_jsonl(tmp_path / "rev.jsonl", list(reversed(pool)))
    forward = select_top_k(tmp_path / "fwd.jsonl", tmp_path / "a.jsonl", 5)
    backward = select_top_k(tmp_path / "rev.jsonl", tmp_path / "b.jsonl", 5)
    assert forward == backward
    assert forward["dropped"] == {"below_top_k": 2, "duplicate_summary": 2, "duplicate_text": 2, "unscored": 1}
    lines = lambda p: p.read_text(encoding="utf-8").splitlines()  # noqa: E731
    assert lines(tmp_path / "a.jsonl") == list(reversed(lines(tmp_path / "b.jsonl")))
    assert [r["id"] for r in read_jsonl(tmp_path / "a.jsonl")] == ["b", "dup1", "dup2", "p", "s"]


def test_thresholds_and_key_choice(tmp_path):
    write_jsonl(tmp_path / "pool.jsonl", POOL)
    result = select_top_k(tmp_path / "pool.jsonl", tmp_path / "top.jsonl", 10, key="rouge2", min_scores={"rt_rouge2": 25})
    # dup1 and dup2 (rouge2 99) replace their duplicates a and e
    assert [r["id"] for r in read_jsonl(tmp_path / "top.jsonl")] == ["d", "dup1", "dup2"]
    assert result["cutoff"] == 40
    assert result["short"] == 7
    assert result["dropped"] == {"below_min_rt_rouge2": 2, "duplicate_summary": 1, "duplicate_text": 1, "unscored": 1}


def test_bad_key_and_k_are_clear_errors(tmp_path):
    write_jsonl(tmp_path / "pool.jsonl", POOL)
    with pytest.raises(ValueError, match="unknown score key 'bleu'"):
        select_top_k(tmp_path / "pool.jsonl", tmp_path / "top.jsonl", 3, key="bleu")
    with pytest.raises(ValueError, match="k must be at least 1"):
        select_top_k(tmp_path / "pool.jsonl", tmp_path / "top.jsonl", 0)
    assert not (tmp_path / "top.jsonl").exists()
