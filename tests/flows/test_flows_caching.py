"""Task cache keys: input files by content, workdir paths relative (flows/caching.py).

The unit tests call the policy directly (no server); the slow test builds the demo recipe twice in one
workdir with more articles the second time, then moves the workdir and reruns it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.caching import CACHE_FOLDER, cached, content_fingerprint


def key(policy, workdir: Path, **inputs) -> str:
    placed = policy.configure(key_storage=workdir.resolve() / CACHE_FOLDER)
    return placed.compute_key(None, inputs, {})


def test_the_key_follows_an_input_files_content_not_its_path(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    pool = work / "pool.jsonl"
    pool.write_text('{"id": 1}\n')
    policy = cached(pool=())
    first = key(policy, work, pool=pool, out_dir=work / "shards", size=10)
    assert key(policy, work, pool=pool, out_dir=work / "shards", size=10) == first
    pool.write_text('{"id": 1}\n{"id": 2}\n')  # same path, more records
    assert key(policy, work, pool=pool, out_dir=work / "shards", size=10) != first
    pool.write_text('{"id": 1}\n')  # back to the first content: the first key again
    assert key(policy, work, pool=pool, out_dir=work / "shards", size=10) == first
    assert key(policy, work, pool=pool, out_dir=work / "shards", size=11) != first


def test_outputs_are_keyed_by_relative_path_only(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "in.jsonl").write_text("a\n")
    policy = cached(input=())
    first = key(policy, work, input=work / "in.jsonl", output=work / "out.jsonl")
    (work / "out.jsonl").write_text("written by the task\n")  # an output appearing does not change the key
    assert key(policy, work, input=work / "in.jsonl", output=work / "out.jsonl") == first
    assert key(policy, work, input=work / "in.jsonl", output=work / "other.jsonl") != first


def test_a_moved_workdir_keeps_its_keys(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "dataset" / "data").mkdir(parents=True)
    (work / "dataset" / "data" / "test.parquet").write_bytes(b"PAR1")
    (work / "dataset" / "notes.txt").write_text("not an input")
    policy = cached(dataset="data/*.parquet")
    first = key(policy, work, dataset=work / "dataset", info={"out": str(work / "dataset" / "README.md")})
    moved = tmp_path / "elsewhere" / "moved"
    moved.parent.mkdir()
    shutil.move(work, moved)
    assert key(policy, moved, dataset=moved / "dataset", info={"out": str(moved / "dataset" / "README.md")}) == first
    (moved / "dataset" / "notes.txt").write_text("a file the glob does not name")
    assert key(policy, moved, dataset=moved / "dataset", info={"out": str(moved / "dataset" / "README.md")}) == first
    (moved / "dataset" / "data" / "test.parquet").write_bytes(b"PAR2")
    assert key(policy, moved, dataset=moved / "dataset", info={"out": str(moved / "dataset" / "README.md")}) != first


def test_content_fingerprint_lists_size_and_sha256_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b"abc")
    assert content_fingerprint([tmp_path / "a.jsonl", tmp_path / "gone.jsonl"], (), tmp_path) == [
        ("<workdir>/a.jsonl", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("<workdir>/gone.jsonl", None, None),
    ]


@pytest.mark.slow
def test_more_articles_reach_every_stage_and_a_moved_workdir_reruns_nothing(
    prefect_api: str, demo_site: Path, task_states, tmp_path: Path
) -> None:
    from flows.build import build_dataset
    from flows.recipe import Recipe, bundled_recipe, load_recipe

    def demo(max_articles: int) -> Recipe:
        recipe = load_recipe(bundled_recipe("demo")).model_dump()
        for site in recipe["sites"]:
            site["max_articles"] = max_articles
        recipe |= {"publish": None, "training": None, "splits": {"train_sizes": [4], "validation": 2, "test": 2}}
        return Recipe.model_validate(recipe)

    workdir = tmp_path / "work"
    small = build_dataset(recipe=demo(4), workdir=str(workdir))
    assert [count["records"] for count in small["counts"]] == [12, 12, 12, 12]

    bigger = build_dataset(recipe=demo(8), workdir=str(workdir), return_state=True)
    assert [count["records"] for count in bigger.result()["counts"]] == [24, 24, 24, 24]
    states = task_states(bigger.state_details.flow_run_id)
    assert {name for name, names in states.items() if "Cached" in names} == set()
    assert states["translate_shard"] == ["Completed"] * 6  # 3 shards of 10, both directions
    assert len(list((workdir / "shards" / "scored").glob("*.jsonl"))) == 3

    moved = tmp_path / "moved" / "work"
    moved.parent.mkdir()
    shutil.move(workdir, moved)
    rerun = build_dataset(recipe=demo(8), workdir=str(moved), return_state=True)
    assert rerun.result()["dataset"] == str(moved / "dataset")
    assert rerun.result()["card"] == str(moved / "dataset" / "README.md")
    states = task_states(rerun.state_details.flow_run_id)
    assert {name for name, names in states.items() if set(names) != {"Cached"}} == set()
    assert len(states["crawl_site"]) == 3 and len(states["translate_shard"]) == 6
