"""`source: ccnews` recipes: the demo dataset built from WARC files of the demo site instead of a crawl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawl.warc.writer import site_pages, write_warc
from flows.recipe import Recipe, bundled_recipe, load_recipe

DEMO_HOSTS = {"vnexpress": "https://vnexpress.net", "dantri": "https://dantri.com.vn", "tuoitre": "https://tuoitre.vn"}


def demo_warcs(site: Path, folder: Path) -> list[str]:
    """The demo site archived at the sites' real hosts, in two WARC files (vnexpress + dantri, tuoitre)."""
    pages = {name: site_pages(site / name, base, prefix=f"/{name}") for name, base in DEMO_HOSTS.items()}
    first = write_warc(folder / "CC-NEWS-20241113-00001.warc.gz", pages["vnexpress"] + pages["dantri"])
    second = write_warc(folder / "CC-NEWS-20241113-00002.warc.gz", pages["tuoitre"])
    return [str(first), str(second)]


def ccnews_demo_recipe(inputs: list[str]) -> Recipe:
    """datasets/demo.yaml with its three sites read from `inputs` instead of crawled; no publish, no training."""
    recipe = load_recipe(bundled_recipe("demo"))
    sites = [{"site": name, "source": "ccnews", "ccnews": {"inputs": inputs}} for name in DEMO_HOSTS]
    return Recipe.model_validate(recipe.model_dump() | {"local_site": None, "sites": sites, "publish": None, "training": None})


@pytest.mark.slow
def test_the_demo_dataset_builds_from_warc_files_of_the_demo_site(
    prefect_api: str, demo_site: Path, task_states, tmp_path: Path
) -> None:
    from flows.build import build_dataset

    recipe = ccnews_demo_recipe(demo_warcs(demo_site, tmp_path / "warc"))
    workdir = tmp_path / "work"
    state = build_dataset(recipe=recipe, workdir=str(workdir), return_state=True)
    result = state.result()

    # the memory translator fails on any summary it does not hold: these are the demo's 40 summaries
    assert [count["records"] for count in result["counts"]] == [40, 40, 32, 32]
    assert result["splits"] == {"test": 4, "validation": 4, "train_8": 8, "train_24": 24}
    kept = {name: json.loads((workdir / "crawl" / f"{i:02d}-{name}" / "crawl_stats.json").read_text()) for i, name in enumerate(DEMO_HOSTS)}
    assert {name: stats["articles_kept"] for name, stats in kept.items()} == {"vnexpress": 14, "dantri": 14, "tuoitre": 12}
    for stats in kept.values():
        assert (stats["files_done"], stats["files_total"]) == (2, 2)
        assert sum(stats["outcomes"].values()) == stats["records"]
    states = task_states(state.state_details.flow_run_id)
    assert states["extract_warc_file"] == ["Completed"] * 2
    assert states["merge_warc_outputs"] == ["Completed"]
    assert "crawl_site" not in states
    assert "(CC-NEWS archives)" in (Path(result["dataset"]) / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("site", "message"),
    [
        ({"site": "vnexpress", "source": "ccnews"}, "`source: ccnews` needs a `ccnews:` section"),
        ({"site": "vnexpress", "ccnews": {"inputs": ["a.warc.gz"]}}, "a `ccnews:` section needs `source: ccnews`"),
        ({"site": "vnexpress", "source": "ccnews", "ccnews": {}}, "`ccnews` needs `inputs`, a `paths_file` or a `from_month`"),
        ({"site": "vnexpress", "source": "ccnews", "ccnews": {"from_month": "2024-13"}}, "String should match pattern"),
        ({"site": "vnexpress", "source": "ccnews", "ccnews": {"inputs": ["a"], "from_month": "2024-01"}}, "not both"),
        ({"site": "vnexpress", "source": "ccnews", "max_articles": 5, "ccnews": {"inputs": ["a"]}}, "apply to a live crawl"),
    ],
)
def test_a_ccnews_site_entry_is_checked_on_load(site: dict, message: str, tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text(json.dumps({"name": "X", "source_lang": "vi", "target_lang": "zh", "sites": [site]}))
    with pytest.raises(ValueError, match=message):
        load_recipe(recipe)


def test_relative_warc_paths_are_read_from_the_recipe_folder(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    site = {"site": "dantri", "source": "ccnews", "ccnews": {"inputs": ["warc/a.warc.gz", "https://h/b.warc.gz"]}}
    recipe.write_text(json.dumps({"name": "X", "source_lang": "vi", "target_lang": "zh", "sites": [site]}))
    assert load_recipe(recipe).sites[0].ccnews.inputs == [str(tmp_path / "warc" / "a.warc.gz"), "https://h/b.warc.gz"]


def test_the_bundled_ccnews_recipe_reads_all_seven_sites_from_one_archive_spec() -> None:
    recipe = load_recipe(bundled_recipe("vi2zh_low_ccnews"))
    assert [site.site for site in recipe.sites] == [site.site for site in load_recipe(bundled_recipe("vi2zh_low")).sites]
    assert {(site.source, site.ccnews.from_month, site.ccnews.to_month) for site in recipe.sites} == {("ccnews", "2024-01", "2024-12")}


@pytest.mark.slow
def test_the_warc_file_tasks_run_on_a_dask_cluster(prefect_api: str, demo_site: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    from flows.archives import read_archives
    from flows.runners import task_runner

    recipe = ccnews_demo_recipe(demo_warcs(demo_site, tmp_path / "warc"))
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        reader = read_archives.with_options(task_runner=task_runner(cluster.scheduler_address))
        entries = reader(recipe, str(tmp_path / "work"))
        ran = set(cluster.scheduler.task_prefixes)
    assert {entry["site"]: entry["articles"] for entry in entries} == {"vnexpress": 14, "dantri": 14, "tuoitre": 12}
    assert [Path(entry["out"]).name for entry in entries] == ["00-vnexpress", "01-dantri", "02-tuoitre"]
    assert any("extract_warc_file" in name for name in ran), sorted(ran)
