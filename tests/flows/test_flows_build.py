"""build-dataset end to end on the demo site with the Google emulator, for a vi -> en recipe.

Crawl (the real spiders, a subprocess per site) -> concatenate -> translate (v3 client) ->
back-translate (v2 client) -> round-trip ROUGE -> top K -> splits -> stats -> card; then a rerun that
hits the cache everywhere, and a run killed during translation that resumes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from curate.io import read_jsonl
from flows.recipe import Recipe, bundled_recipe, load_recipe

PROFILES = ("vnexpress", "dantri", "tuoitre")
pytestmark = pytest.mark.slow


def vi2en_recipe(site: Path, endpoint: str) -> Recipe:
    """datasets/vi2en_low.yaml pointed at the served demo site and the emulator, with demo-sized splits."""
    recipe = load_recipe(bundled_recipe("vi2en_low"))
    return Recipe.model_validate(
        recipe.model_dump()
        | {
            "local_site": str(site),
            "sites": [{"site": name, "start_urls": [f"{{local_site}}/{name}/sitemap.xml"]} for name in PROFILES],
            "translate": {"backend": "google-v3", "google_endpoint": endpoint, "google_project": "test-project"},
            "back_translate": {"backend": "google-v2", "google_endpoint": endpoint},
            "shard_size": 10,
            "filter": {"key": "rouge2", "k": 32, "min_scores": {"rouge2": 20}},
            "splits": {"train_sizes": [8, 24], "validation": 4, "test": 4, "seed": 0},
        }
    )


def crawled_summaries(workdir: Path) -> list[str]:
    """Every crawled record's summary, over all sites."""
    return [record["summary"] for path in sorted((workdir / "crawl").glob("*/*.jsonl")) for record in read_jsonl(path)]


def test_build_vi2en_on_the_demo_site_then_rerun_from_cache(
    prefect_api: str, demo_site: Path, google_emulator, task_states, tmp_path: Path
) -> None:
    from flows.build import build_dataset

    recipe = vi2en_recipe(demo_site, google_emulator.url)
    workdir = tmp_path / "work"
    state = build_dataset(recipe=recipe, workdir=str(workdir), return_state=True)
    result = state.result()

    crawled = crawled_summaries(workdir)
    assert len(crawled) == 40
    assert [count["records"] for count in result["counts"]] == [40, 40, 32, 32]
    assert result["splits"] == {"test": 4, "validation": 4, "train_8": 8, "train_24": 24}
    # Every summary went out once each way: forward through v3, back through v2.
    sent = {(request.api, request.source, request.target): 0 for request in google_emulator.answered}
    for request in google_emulator.answered:
        sent[request.api, request.source, request.target] += len(request.contents)
    assert sent == {("v3", "vi", "en"): 40, ("v2", "en", "vi"): 40}

    dataset = Path(result["dataset"])
    rows = pq.read_table(dataset / "data" / "train_24.parquet").to_pylist()
    assert len(rows) == 24
    for row in rows:
        assert (row["source_lang"], row["target_lang"]) == ("vi", "en")
        assert row["target_summary"] == "<en>" + row["source_summary"]  # the emulator's reversible translation
        assert row["rt_rouge2"] == 100.0
    assert set(pq.read_table(dataset / "data" / "train_8.parquet").column("id").to_pylist()) < {r["id"] for r in rows}
    assert json.loads((dataset / "stats.json").read_text())["splits"]["test"]["records"] == 4
    card = (dataset / "README.md").read_text(encoding="utf-8")
    assert "config_name: n8" in card and "Vi2EnLow" in card
    # The old filter mapping of this recipe runs as [near_duplicates, roundtrip_rouge]; the card shows both.
    assert (dataset / "filter-01-roundtrip_rouge.png").stat().st_size > 0
    assert "| 2 | `roundtrip_rouge` | key=rouge2, k=32, min_scores={'rouge2': 20.0} | 40 | 32 | below_top_k 8 |" in card
    assert "against train_24): none found; records with a near-duplicate in train: validation 0 of 4, test 0 of 4" in card
    assert json.loads((dataset / "leakage.json").read_text())["clean"] is True
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:  # every Google call held a slot of this limit
        assert client.read_global_concurrency_limit_by_name("google-translate").limit == 4
    first = task_states(state.state_details.flow_run_id)
    assert first["crawl_site"] == ["Completed"] * 3
    assert first["translate_shard"] == ["Completed"] * 8

    # The rerun: every task is a cache hit, the emulator sees no request, the outputs stay as they were.
    google_emulator.reset()
    before = {path: path.stat().st_mtime_ns for path in dataset.rglob("*")}
    rerun = build_dataset(recipe=recipe, workdir=str(workdir), return_state=True)
    assert rerun.result()["splits"] == result["splits"]
    assert google_emulator.requests == []
    assert {path: path.stat().st_mtime_ns for path in dataset.rglob("*")} == before
    states = task_states(rerun.state_details.flow_run_id)
    assert set(states) == {
        "crawl_site", "concatenate", "shard", "translate_shard", "score_shard", "filter_pool", "split", "audit_leakage",
        "describe",
    }
    assert {name for name, names in states.items() if set(names) != {"Cached"}} == set()

    # The dataset folder deleted by hand: only the stages that write into it (the filter steps draw
    # their score plots there, the audit writes leakage.json) run again, to the same bytes.
    contents = {path.relative_to(dataset): path.read_bytes() for path in dataset.rglob("*") if path.is_file()}
    shutil.rmtree(dataset)
    rebuilt = build_dataset(recipe=recipe, workdir=str(workdir), return_state=True)
    assert rebuilt.result()["splits"] == result["splits"]
    assert {path.relative_to(dataset): path.read_bytes() for path in dataset.rglob("*") if path.is_file()} == contents
    assert google_emulator.requests == []
    states = task_states(rebuilt.state_details.flow_run_id)
    rerun = {"filter_pool", "split", "audit_leakage", "describe"}
    assert {name for name, names in states.items() if set(names) != {"Cached"}} == rerun
    assert all(states[name] == ["Completed"] for name in rerun)


def test_a_build_killed_during_translation_resumes(prefect_api: str, demo_site: Path, google_emulator, task_states, tmp_path: Path) -> None:
    from flows.build import build_dataset

    recipe = vi2en_recipe(demo_site, google_emulator.url)
    recipe_file = tmp_path / "vi2en.yaml"
    recipe_file.write_text(yaml.safe_dump(recipe.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
    workdir = tmp_path / "work"
    google_emulator.config.latency_s = 60  # translation hangs: the kill lands in the middle of it
    command = [str(Path(sys.executable).parent / "clsforge"), "build", "--recipe", str(recipe_file), "--workdir", str(workdir)]
    with (tmp_path / "killed.log").open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=os.environ)
    try:
        deadline = time.monotonic() + 180
        while not google_emulator.requests:
            assert process.poll() is None, (tmp_path / "killed.log").read_text()
            assert time.monotonic() < deadline, "the build never reached translation"
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert len(crawled_summaries(workdir)) == 40
    assert not (workdir / "dataset").exists()

    google_emulator.config.latency_s = 0
    google_emulator.reset()
    state = build_dataset(recipe_path=str(recipe_file), workdir=str(workdir), return_state=True)
    assert state.result()["splits"] == {"test": 4, "validation": 4, "train_8": 8, "train_24": 24}
    states = task_states(state.state_details.flow_run_id)
    # Crawling, concatenation and sharding finished before the kill: they come from the cache.
    assert states["crawl_site"] == ["Cached"] * 3
    assert sorted(states["concatenate"]) == ["Cached", "Completed"] and states["shard"] == ["Cached"]
    assert states["translate_shard"] == ["Completed"] * 8
