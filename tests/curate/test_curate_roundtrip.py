"""Round-trip scoring (curate.roundtrip); top-K selection is the roundtrip_rouge step (tests/curate/filters/test_roundtrip_step.py)."""

import pytest

from curate.io import read_jsonl, write_jsonl
from curate.roundtrip import score_roundtrip


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
