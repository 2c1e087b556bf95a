"""One describe path: crawled and NCLS datasets get stats.json and their card from curate.describe
(`describe_dataset`, through the flows' one `describe` task), and the card sections they share have
the same shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from curate.filters.chain import FilterResult
from curate.io import write_jsonl
from flows.recipe import Recipe, bundled_recipe, load_recipe

NCLS_RELEASE = Path(__file__).resolve().parents[1] / "curate" / "fixtures" / "ncls"


@pytest.fixture
def described(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, dict]]:
    """Every card written through curate.describe.describe_dataset, as (directory, build_info)."""
    import curate.describe

    calls: list[tuple[Path, dict]] = []
    write_card = curate.describe.write_card

    def spy(directory, build_info):
        calls.append((Path(directory), build_info))
        return write_card(directory, build_info)

    monkeypatch.setattr(curate.describe, "write_card", spy)
    return calls


def card_shape(card: Path) -> dict:
    """What the two kinds of card share, with the values that differ (names, numbers, languages) left out."""
    text = card.read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("---\n")[1])
    stats_table = re.search(r"## Statistics\n\n.*?\n\n(\|.*?)\n\n", text, re.S).group(1).splitlines()
    skipped = [json.loads(line.split(": ", 1)[1]) for line in text.splitlines() if line.startswith("- Skipped records, by reason: ")]
    return {
        "header keys": sorted(set(header) - {"license_name"}),
        "configs": [
            [(f["split"], re.sub(r"\d+", "N", f["path"])) for f in config["data_files"]] for config in header["configs"]
        ],
        "stats columns": [re.sub(r"\(\w+, \w+\)", "(LANG, UNIT)", c.strip()) for c in stats_table[0].strip("|").split("|")],
        "stats rows": len(stats_table) - 2,
        "skipped lines": len(skipped),
        "skipped counts are ints": all(_leaves_are_ints(s) for s in skipped),
        "sections": re.findall(r"^## (Use|Columns|Statistics|Construction|Citation)$", text, re.M),
    }


def _leaves_are_ints(value) -> bool:
    return all(_leaves_are_ints(v) for v in value.values()) if isinstance(value, dict) else isinstance(value, int)


def crawl_pool(path: Path) -> None:
    records = [
        {"id": f"id{i:02d}", "text": f"Nội dung bài báo số {i} .", "summary": f"Tóm tắt số {i} .", "summary_zh": f"第{i}号摘要。"}
        for i in range(12)
    ]
    records[0]["text"] = ""
    records[1]["id"] = records[2]["id"]
    write_jsonl(path, records)


def test_crawl_and_ncls_build_info_come_from_one_function(tmp_path: Path) -> None:
    from curate.ncls import sample_ncls_low, ncls_build_info
    from curate.splits import write_splits
    from flows.build import build_info

    crawl_pool(tmp_path / "pool.jsonl")
    splits = write_splits(tmp_path / "pool.jsonl", tmp_path / "crawl", "vi", "zh", train_sizes=(4, 6), validation=2, test=2)
    recipe = load_recipe(bundled_recipe("demo"))
    crawl = build_info(recipe, FilterResult(12, 12, [], "dropped.jsonl"), splits)
    sampled = sample_ncls_low(NCLS_RELEASE, "en2zh", tmp_path / "ncls", train_sizes=(2, 4), seed=0)
    ncls = ncls_build_info(sampled, seed=0)
    assert ncls == {
        "pretty_name": "En2ZhLow", "source": "NCLS EN2ZHSUM (valid/test in full; train: seeded uniform sample of 12 usable "
        "records, reservoir sampling)", "seed": 0, "skipped": {"train": {"no_zh_summary": 1, "overlaps_validation_or_test": 1}},
        "license": "other", "license_name": "ncls-research-only", "ncls": True,
    }
    assert crawl == {
        "pretty_name": "DemoVi2Zh", "source": "crawled news sites: vnexpress, dantri, tuoitre", "seed": 0,
        "skipped": {"duplicate": 1, "empty_text": 1},
        "engine": "a translation memory replayed from translations.jsonl",
        "back_engine": "a translation memory replayed from translations.jsonl",
        "sites": ["vnexpress", "dantri", "tuoitre"], "recipe": "DemoVi2Zh", "translator": "memory (vi->zh), back-translation memory",
        "filters": {"input": 12, "kept": 12, "steps": [], "dropped_file": "dropped.jsonl"}, "leakage": None,
        "repo_id": "clsforge/DemoVi2Zh",
    }


def test_both_cards_go_through_describe_dataset_and_share_their_shape(tmp_path: Path, described) -> None:
    from curate.describe import describe_dataset
    from curate.ncls import build_ncls_low
    from curate.splits import write_splits
    from flows.build import build_info

    crawl_pool(tmp_path / "pool.jsonl")
    splits = write_splits(tmp_path / "pool.jsonl", tmp_path / "crawl", "vi", "zh", train_sizes=(4, 6), validation=2, test=2)
    info = build_info(load_recipe(bundled_recipe("demo")), FilterResult(12, 12, [], "dropped.jsonl"), splits)
    describe_dataset(tmp_path / "crawl", info)
    build_ncls_low(NCLS_RELEASE, "en2zh", tmp_path / "ncls", train_sizes=(2, 4))
    assert [directory.name for directory, _ in described] == ["crawl", "ncls"]
    crawl, ncls = card_shape(tmp_path / "crawl" / "README.md"), card_shape(tmp_path / "ncls" / "README.md")
    assert crawl == ncls
    assert crawl["configs"] == [[("train", "data/train_N.parquet"), ("validation", "data/validation.parquet"),
                                 ("test", "data/test.parquet")]] * 2
    assert crawl["stats columns"] == [
        "split", "records", "source text (LANG, UNIT)", "source summary (LANG, UNIT)", "target summary (LANG, UNIT)"
    ]
    assert (crawl["stats rows"], crawl["skipped lines"], crawl["skipped counts are ints"]) == (4, 1, True)


@pytest.mark.slow
def test_the_crawl_and_ncls_flows_write_their_card_through_describe_dataset(
    prefect_api: str, demo_site: Path, tmp_path: Path, described
) -> None:
    from flows.build import build_dataset, build_ncls_low

    demo = load_recipe(bundled_recipe("demo")).model_dump()
    for site in demo["sites"]:
        site["max_articles"] = 4
    demo |= {"publish": None, "training": None, "splits": {"train_sizes": [4], "validation": 2, "test": 2}}
    crawled = build_dataset(recipe=Recipe.model_validate(demo), workdir=str(tmp_path / "crawl"))
    ncls = load_recipe(bundled_recipe("en2zh_low")).model_dump()
    ncls |= {"ncls": {"input": str(NCLS_RELEASE), "direction": "en2zh"}, "splits": {"train_sizes": [2, 4]}, "publish": None,
             "training": None}
    sampled = build_ncls_low(recipe=Recipe.model_validate(ncls), workdir=str(tmp_path / "ncls"))
    assert [directory for directory, _ in described] == [Path(crawled["dataset"]), Path(sampled["dataset"])]
    assert [info["pretty_name"] for _, info in described] == ["DemoVi2Zh", "En2ZhLow"]
    crawl_card, ncls_card = card_shape(Path(crawled["card"])), card_shape(Path(sampled["card"]))
    for key in ("stats columns", "sections"):
        assert crawl_card[key] == ncls_card[key]
    assert crawl_card["configs"] == [[("train", "data/train_N.parquet"), ("validation", "data/validation.parquet"),
                                      ("test", "data/test.parquet")]]
    assert json.loads((Path(sampled["dataset"]) / "stats.json").read_text())["splits"]["train_4"]["records"] == 4
