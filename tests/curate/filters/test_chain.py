"""The filter chain (curate.filters.chain) and the registry: counts add up, scores are kept, reasons recorded."""

from __future__ import annotations

import pytest

from curate.filters.base import FilterContext, FilterStep, StepParams
from curate.filters.chain import run_filters
from curate.filters.registry import STEPS, normalize_entry, parse_step, step_columns
from curate.io import read_jsonl, write_jsonl
from tests.curate.filters.helpers import pool

CONTEXT = FilterContext("vi", "zh", "summary_zh")


def test_a_list_of_steps_keeps_scores_records_reasons_and_the_counts_add_up(tmp_path):
    records = pool(10)
    records[3]["summary_zh"] = "The government announced new rules for buses in Hanoi on Monday morning."  # not Chinese
    records[7] = {**records[2], "id": "r07"}  # the same article under another id (a higher one)
    write_jsonl(tmp_path / "pool.jsonl", records)
    steps = [{"step": "language_id"}, {"step": "near_duplicates"}, {"step": "roundtrip_rouge", "k": 5}]
    result = run_filters(tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", steps, CONTEXT, tmp_path / "dropped.jsonl", tmp_path)
    assert [(s.step, s.input, s.kept, s.dropped) for s in result.steps] == [
        ("language_id", 10, 9, {"wrong_language_target": 1}),
        ("near_duplicates", 9, 8, {"duplicate_summary": 1}),
        ("roundtrip_rouge", 8, 5, {"below_top_k": 3}),
    ]
    assert (result.input, result.kept) == (10, 5)
    for step, following in zip(result.steps, result.steps[1:]):
        assert step.input == step.kept + step.dropped.total and following.input == step.kept
    kept = list(read_jsonl(tmp_path / "kept.jsonl"))
    assert [r["id"] for r in kept] == ["r00", "r01", "r02", "r04", "r05"]
    assert all(r["lid_target"] == 1.0 and r["dup_jaccard"] == 0.0 for r in kept)
    dropped = {r["id"]: (r["drop_step"], r["drop_reason"]) for r in read_jsonl(tmp_path / "dropped.jsonl")}
    assert dropped == {
        "r03": ("language_id", "wrong_language_target"),
        "r07": ("near_duplicates", "duplicate_summary"),
        "r06": ("roundtrip_rouge", "below_top_k"),
        "r08": ("roundtrip_rouge", "below_top_k"),
        "r09": ("roundtrip_rouge", "below_top_k"),
    }
    assert result.steps[1].scores["dup_jaccard"].max == 1.0  # r07 vs r02: the same text
    assert result.steps[2].cutoff == 75.0
    assert [s.plot for s in result.steps] == [
        "filter-00-language_id.png", "filter-01-near_duplicates.png", "filter-02-roundtrip_rouge.png"
    ]
    assert all((tmp_path / s.plot).stat().st_size > 1000 for s in result.steps)
    assert result.dropped() == {
        "language_id/wrong_language_target": 1, "near_duplicates/duplicate_summary": 1, "roundtrip_rouge/below_top_k": 3
    }
    assert not list(tmp_path.glob(".kept.step*"))  # intermediate files are removed


def test_roundtrip_step_keeps_what_select_top_k_kept(tmp_path):
    # the ids the removed curate.select.select_top_k chose on this pool (its output was in pool order)
    records = pool(12)
    records[4]["rt_rouge2"] = 10.0
    write_jsonl(tmp_path / "pool.jsonl", records[::-1])
    steps = [{"step": "roundtrip_rouge", "key": "rouge2", "k": 6, "min_scores": {"rouge2": 20}}]
    result = run_filters(tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", steps, CONTEXT, tmp_path / "dropped.jsonl")
    assert [r["id"] for r in read_jsonl(tmp_path / "kept.jsonl")] == ["r06", "r05", "r03", "r02", "r01", "r00"]
    assert result.steps[0].dropped == {"below_min_rt_rouge2": 1, "below_top_k": 5}
    assert result.steps[0].cutoff == 70.0


def test_no_steps_copies_the_pool(tmp_path):
    write_jsonl(tmp_path / "pool.jsonl", pool(3))
    result = run_filters(tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", [], CONTEXT, tmp_path / "dropped.jsonl")
    assert (result.input, result.kept, result.steps) == (3, 3, [])
    assert (tmp_path / "dropped.jsonl").read_text() == ""


def test_registry_rejects_unknown_steps_and_misspelt_parameters_in_one_line():
    with pytest.raises(ValueError, match=r"^unknown filter step 'langid'; known steps: crosslingual_similarity, language_id, "):
        parse_step({"step": "langid"})
    with pytest.raises(ValueError, match=r"^filter step near_duplicates: treshold: Extra inputs are not permitted$"):
        parse_step({"step": "near_duplicates", "treshold": 0.9})
    with pytest.raises(ValueError, match=r"^filter step roundtrip_rouge: k: Input should be greater than or equal to 1$"):
        parse_step({"step": "roundtrip_rouge", "k": 0})
    with pytest.raises(ValueError, match="a filter step is a mapping with a `step` name"):
        parse_step("language_id")
    assert normalize_entry({"step": "near_duplicates"}) == {
        "step": "near_duplicates", "threshold": 0.8, "ngram": 5, "num_perm": 128, "summaries": True, "workers": None
    }


def test_every_step_column_is_registered_once():
    assert set(STEPS) == {
        "roundtrip_rouge", "language_id", "near_duplicates", "crosslingual_similarity", "length_ratio", "summary_in_source"
    }
    assert step_columns() == (
        "lid_text", "lid_summary", "lid_target", "dup_jaccard", "xl_similarity", "xl_lase", "len_ratio",
        "summary_share", "summary_overlap",
    )


def test_step_scores_reach_the_parquet_files_as_float_columns(tmp_path):
    import pyarrow.parquet as pq

    from curate.dataset import validate_dataset
    from curate.splits import write_splits

    write_jsonl(tmp_path / "pool.jsonl", pool(8))
    steps = [{"step": "language_id", "workers": 1}, {"step": "near_duplicates", "workers": 1}]
    run_filters(tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", steps, CONTEXT, tmp_path / "dropped.jsonl")
    write_splits(tmp_path / "kept.jsonl", tmp_path / "ds", "vi", "zh", train_sizes=(4,), validation=2, test=2)
    schema = pq.read_schema(tmp_path / "ds" / "data" / "test.parquet")
    assert schema.names[6:] == ["rt_rouge1", "rt_rouge2", "rt_rougeL", "lid_text", "lid_summary", "lid_target", "dup_jaccard"]
    assert str(schema.field("dup_jaccard").type) == "double"
    assert validate_dataset(tmp_path / "ds") == {"train_4": 4, "validation": 2, "test": 2}


class Failing(FilterStep):
    """A step that fails after the previous step has started writing (as a missing model would)."""

    name = "failing"

    def scores(self, records):
        list(records)
        raise ValueError("failing: no model")

    def drops(self, ids, scores):
        return []


class TitleLength(FilterStep):
    """The docs/curate.md example step, verbatim but for the class layout."""

    class Params(StepParams):
        min_words: int = 3

    name = "title_length"
    columns = ("title_words",)
    plot_column = "title_words"
    plot_range = (0.0, 40.0)

    def scores(self, records):
        return [{"title_words": float(len(str(r.get("title") or "").split()))} for r in records]

    def drops(self, ids, scores):
        return ["short_title" if s["title_words"] < self.params.min_words else None for s in scores]


def test_a_step_that_fails_leaves_no_output_and_no_intermediate_file(tmp_path, monkeypatch):
    monkeypatch.setitem(STEPS, "failing", Failing)
    write_jsonl(tmp_path / "pool.jsonl", pool(4))
    with pytest.raises(ValueError, match="failing: no model"):
        run_filters(
            tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", [{"step": "near_duplicates", "workers": 1}, {"step": "failing"}],
            CONTEXT, tmp_path / "dropped.jsonl",
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pool.jsonl"]


def test_a_new_step_is_one_class_and_one_registry_line(tmp_path, monkeypatch):
    from curate.dataset import read_split
    from curate.splits import write_splits

    monkeypatch.setitem(STEPS, "title_length", TitleLength)  # what register(TitleLength) does
    records = pool(8)
    for i, record in enumerate(records):
        record["title"] = "Tin ngắn" if i == 5 else "Hà Nội thí điểm làn riêng cho xe buýt"
    write_jsonl(tmp_path / "pool.jsonl", records)
    result = run_filters(
        tmp_path / "pool.jsonl", tmp_path / "kept.jsonl", [{"step": "title_length", "min_words": 4}], CONTEXT,
        tmp_path / "dropped.jsonl", tmp_path,
    )
    assert result.steps[0].dropped == {"short_title": 1} and (tmp_path / "filter-00-title_length.png").is_file()
    write_splits(tmp_path / "kept.jsonl", tmp_path / "ds", "vi", "zh", train_sizes=(3,), validation=2, test=2)
    assert {r["title_words"] for r in read_split(tmp_path / "ds" / "data" / "train_3.parquet")} == {9.0}
    with pytest.raises(ValueError, match="filter step title_length: min_word: Extra inputs are not permitted"):
        parse_step({"step": "title_length", "min_word": 4})


def test_the_card_names_a_local_model_folder_not_the_build_machines_path():
    from curate.filters.report import filters_markdown

    step = {"step": "crosslingual_similarity", "params": {"model": "/home/me/models/labse", "min_score": 0.5, "workers": 2},
            "input": 10, "kept": 9, "dropped": {"low_crosslingual_similarity": 1}, "scores": {}}
    table = filters_markdown({"input": 10, "kept": 9, "steps": [step]})
    assert "model=local folder labse, min_score=0.5" in table
    assert "/home/me" not in table
