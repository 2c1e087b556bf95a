"""The `build-dataset` and `build-ncls-low` flows: a recipe in, a dataset directory out.

build-dataset: crawl each live site (one task per site, a subprocess each) and read the `source: ccnews`
sites from WARC files (flows/archives.py: one task per file) -> concatenate -> the curate
subflow (shards: translate -> back-translate -> round-trip ROUGE; then the recipe's filter steps ->
splits -> leakage audit -> stats -> card) -> publish when the recipe asks. The curate subflow runs on a
Dask cluster with `dask=`.

Workdir layout: crawl/<NN>-<site>/ (+ crawl/<NN>-<site>.job, Scrapy's resume state; ccnews/ for archives),
pool.jsonl, shards/, cache/ (persistent translation caches), scored.jsonl, selected.jsonl, dropped.jsonl
(what each filter step dropped, and why), dataset/ (the result, with one score plot per filter step and
leakage.json).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.futures import as_completed

from crawl.output import PART_GLOB
from curate.filters.base import FilterContext
from curate.filters.chain import FilterResult, plot_files
from flows import filter_tasks, tasks
from flows.archives import read_archives
from flows.artifacts import artifact_key, card_artifact, crawl_artifact, filter_artifact, stats_artifact
from flows.caching import in_workdir, rerun_if_missing
from flows.preflight import check_ready, short_of_k
from flows.recipe import Recipe, pick_recipe
from flows.runners import ensure_concurrency_limit, task_runner

if TYPE_CHECKING:
    from curate.splits import SplitResult

# The field names the stages agree on (crawl records hold `summary`).
BACK_FIELD = "summary_back"
SELECTED_NAME = "selected.jsonl"  # the records every filter step kept
DROPPED_NAME = "dropped.jsonl"  # every record a filter step dropped, with drop_step and drop_reason
LEAKAGE_NAME = "leakage.json"


def target_field(recipe: Recipe) -> str:
    """The record field holding the forward translation, e.g. `summary_zh`."""
    return f"summary_{recipe.target_lang}"


@flow(name="build-dataset", log_prints=True)
def build_dataset(
    recipe: Recipe | None = None, recipe_path: str | None = None, workdir: str = "work", dask: str | None = None
) -> dict:
    """Crawl, translate, filter, split and document a dataset from a recipe (inline or a YAML path).

    Returns the dataset directory, the record counts of each stage and the warnings.

    Args:
        recipe: the recipe inline (the form below); leave empty when giving `recipe_path`.
        recipe_path: a recipe YAML file on the machine that runs the flow, e.g. datasets/vi2zh_low.yaml.
        workdir: the folder every stage writes to (crawl/, shards/, cache/, dataset/); a rerun in the
            same folder skips every finished stage, and the dataset is WORKDIR/dataset.
        dask: run the curate stages on Dask: a scheduler address (tcp://host:8786), `local`, or
            `local:threads`; empty: threads in the flow's own process.
    """
    recipe = pick_recipe(recipe, recipe_path)
    check_ready(recipe)  # credentials, placeholders, sizes: before the crawl, not an hour later
    work = Path(workdir).resolve()
    pool = work / "pool.jsonl"
    crawled = crawl_sites(recipe, work)
    if crawled:
        crawl_artifact(recipe.name, crawled)
    if any(site.source == "ccnews" for site in recipe.sites):
        crawled += read_archives.with_options(task_runner=task_runner(dask))(recipe, str(work))
    crawl_files = sorted(str(path) for site in crawled for path in Path(site["out"]).glob(PART_GLOB))
    pooled = in_workdir(tasks.concatenate, work, pool)(crawl_files, pool)
    print(f"{recipe.name}: crawled {pooled} articles from {len(crawled)} site(s)")
    curate = curate_pool.with_options(task_runner=task_runner(dask))
    result = curate(recipe, str(work), str(pool), [{"stage": "crawled", "records": pooled}])
    if recipe.publish is not None:
        result["publish"] = tasks.publish(Path(result["dataset"]), recipe.publish)
    return result


def crawl_sites(recipe: Recipe, work: Path) -> list[dict]:
    """One crawl task per `source: live` site, all at once; the recipe's local folder is served meanwhile."""
    crawl = in_workdir(tasks.crawl_site, work)
    with ExitStack() as stack:
        url = None
        if recipe.local_site:
            from crawl.serve import serve_site

            url = stack.enter_context(serve_site(Path(recipe.local_site)))
        live = [(index, site) for index, site in enumerate(recipe.sites) if site.source == "live"]
        folders = [work / "crawl" / f"{index:02d}-{site.site}" for index, site in live]
        futures = [
            rerun_if_missing(crawl, folder).submit(site, folder, folder.with_name(folder.name + ".job"), url, recipe.source_lang)
            for (_, site), folder in zip(live, folders)
        ]
        return [{**future.result(), "out": str(folder)} for future, folder in zip(futures, folders)]


@flow(name="curate-pool", log_prints=True)
def curate_pool(recipe: Recipe, workdir: str, pool: str, counts: list[dict]) -> dict:
    """Translate, back-translate and score the pool in shards, run the filter steps, split, audit, describe.

    Every stage is submitted to the flow's task runner, so with `dask=` all of them run on the cluster.
    """
    work = Path(workdir)
    name = recipe.name
    shard_dir = work / "shards" / "pool"
    shards = in_workdir(tasks.shard, work, shard_dir).submit(Path(pool), shard_dir, recipe.shard_size).result()
    scored = score_shards(recipe, work, [shard_dir / name for name in shards])
    scored_file = work / "scored.jsonl"
    scored_pool = in_workdir(tasks.concatenate, work, scored_file).submit(scored, scored_file).result()
    return dataset_from_scored(recipe, work, scored_file, counts + [{"stage": "scored", "records": scored_pool}])


def dataset_from_scored(recipe: Recipe, work: Path, scored_file: Path, counts: list[dict]) -> dict:
    """Inside a flow: the recipe's filter steps over a scored pool -> splits -> leakage audit -> stats and
    card (`describe`) in `work/dataset`, with their artifacts."""
    filtered = filter_scored(recipe, work, scored_file)
    return dataset_from_selected(recipe, work, filtered, counts)


def filter_scored(recipe: Recipe, work: Path, scored_file: Path) -> FilterResult:
    """Inside a flow: the recipe's filter steps over a scored pool into `work/selected.jsonl` (plots in
    `work/dataset`); returns the per-step result."""
    selected, dataset = work / SELECTED_NAME, work / "dataset"
    context = filter_context(recipe)
    plots = [dataset / plot for plot in plot_files(recipe.filter, context)]
    return in_workdir(filter_tasks.filter_pool, work, selected, *plots).submit(
        scored_file, selected, recipe.filter, context, work / DROPPED_NAME, dataset
    ).result()


def dataset_from_selected(
    recipe: Recipe, work: Path, filtered: FilterResult, counts: list[dict], eval_ids: dict | None = None
) -> dict:
    """Inside a flow: `work/selected.jsonl` (filter_scored's output) -> splits (test and validation:
    `eval_ids` when given, see curate.splits.shared_eval_split) -> leakage audit -> stats and card
    (`describe`) in `work/dataset`, with their artifacts (the build and the filter ablation share it)."""
    name = recipe.name
    selected, dataset = work / SELECTED_NAME, work / "dataset"
    splits = in_workdir(tasks.split, work, dataset / "data").submit(
        selected, dataset, recipe.source_lang, recipe.target_lang, recipe.splits, target_field(recipe), eval_ids
    ).result()
    counts = counts + [
        {"stage": "selected", "records": filtered.kept},
        {"stage": "usable for splits", "records": splits.usable},
    ]
    warnings = short_of_k(recipe, filtered)
    for warning in warnings:
        get_run_logger().warning("%s: %s", name, warning)
    filter_artifact(name, counts, filtered, dataset)
    leakage = None
    if recipe.leakage.enabled:
        leakage_file = dataset / LEAKAGE_NAME
        leakage = in_workdir(filter_tasks.audit_leakage, work, leakage_file).submit(
            dataset, recipe.source_lang, recipe.leakage, leakage_file, splits.splits
        ).result()
    info = build_info(recipe, filtered, splits, leakage) | {"warnings": warnings}
    card = describe(recipe.name, work, dataset, info)
    return {
        "dataset": str(dataset), "counts": counts, "splits": splits.splits, "card": str(card),
        "filters": filtered.as_dict(), "warnings": warnings,
    }


def describe(name: str, work: Path, dataset: Path, info: dict) -> Path:
    """Inside a flow: stats.json and the card of `dataset` through the one `describe` task (crawled and
    NCLS datasets alike), with their artifacts; return the card's path."""
    stats, card = in_workdir(tasks.describe, work, dataset / "stats.json", dataset / "README.md").submit(
        dataset, info
    ).result()
    stats_artifact(name, stats)
    card_artifact(name, dataset / card)
    return dataset / card


def score_shards(recipe: Recipe, work: Path, shards: list[Path]) -> list[Path]:
    """Per shard: forward translation -> back-translation -> round-trip ROUGE; return the scored shards."""
    src, tgt = recipe.source_lang, recipe.target_lang
    for spec in (recipe.translate, recipe.back_translate):
        if spec.backend.startswith("google"):
            ensure_concurrency_limit(tasks.GOOGLE_LIMIT, recipe.google_concurrency)
    translate = in_workdir(tasks.translate_shard, work)
    score = in_workdir(tasks.score_shard, work)
    cache = work / "cache"
    futures, outputs, upstream = [], [], {}
    for path in shards:
        forward, back, scored = (work / "shards" / stage / path.name for stage in ("forward", "back", "scored"))
        f = rerun_if_missing(translate, forward).submit(
            path, forward, "summary", target_field(recipe), src, tgt, recipe.translate, cache / f"{src}-{tgt}.sqlite"
        )
        b = rerun_if_missing(translate, back).submit(
            forward, back, target_field(recipe), BACK_FIELD, tgt, src, recipe.back_translate, cache / f"{tgt}-{src}.sqlite",
            wait_for=[f],
        )
        futures.append(rerun_if_missing(score, scored).submit(back, scored, src, BACK_FIELD, wait_for=[b]))
        upstream[futures[-1].task_run_id] = (f, b)
        outputs.append(scored)
    progress = create_progress_artifact(
        progress=0.0, key=artifact_key(recipe.name, "translate-progress"), description="Shards translated and scored"
    )
    for done, future in enumerate(as_completed(futures), 1):
        for before in upstream[future.task_run_id]:  # a failed translation raises its own error, not the "PENDING" of
            before.result()              # the scoring that never ran
        future.result()
        update_progress_artifact(progress, progress=100.0 * done / len(futures))
    get_run_logger().info("%d shard(s) translated, back-translated and scored", len(futures))
    return outputs


def filter_context(recipe: Recipe) -> FilterContext:
    """The languages and record fields the filter steps read."""
    return FilterContext(recipe.source_lang, recipe.target_lang, target_field(recipe), BACK_FIELD)


def build_info(recipe: Recipe, filtered: FilterResult, splits: SplitResult, leakage: dict | None = None) -> dict:
    """What the dataset card says about how a crawled dataset was made (curate.describe.build_info)."""
    from curate.card import translation_engine
    from curate.describe import build_info as card_info

    sources = ", ".join(site.site + (" (CC-NEWS archives)" if site.source == "ccnews" else "") for site in recipe.sites)
    return card_info(
        recipe.name,
        f"crawled news sites: {sources}",
        recipe.splits.seed,
        splits.skipped.as_dict(),
        engines=[translation_engine(spec) for spec in (recipe.translate, recipe.back_translate)],
        sites=[site.site for site in recipe.sites],
        recipe=recipe.name,
        translator=f"{recipe.translate.backend} ({recipe.source_lang}->{recipe.target_lang}), "
        f"back-translation {recipe.back_translate.backend}",
        filters=filtered.as_dict(),
        leakage=leakage,
        **({"repo_id": recipe.publish.repo_id} if recipe.publish else {}),
    )


@flow(name="build-ncls-low", log_prints=True)
def build_ncls_low(recipe: Recipe | None = None, recipe_path: str | None = None, workdir: str = "work") -> dict:
    """Sample En2ZhLow / Zh2EnLow from the NCLS release (the recipe's `ncls`): splits, stats and card.

    Args:
        recipe: the recipe inline (the form below); leave empty when giving `recipe_path`.
        recipe_path: a recipe YAML file with an `ncls` section, e.g. datasets/en2zh_low.yaml.
        workdir: the folder the dataset is written to (WORKDIR/dataset); a rerun skips what is done.
    """
    from curate.ncls import ncls_build_info

    recipe = pick_recipe(recipe, recipe_path)
    check_ready(recipe)
    if recipe.ncls is None:
        raise ValueError(f"recipe {recipe.name} has no `ncls` section")
    work = Path(workdir).resolve()
    dataset = work / "dataset"
    ncls = recipe.ncls
    sampled = in_workdir(tasks.ncls_sample, work, dataset / "data")(
        Path(ncls.input), ncls.direction, dataset, recipe.splits.train_sizes, recipe.splits.seed,
        Path(ncls.lcsts) if ncls.lcsts else None,
    )
    card = describe(recipe.name, work, dataset, ncls_build_info(sampled, recipe.splits.seed))
    result = {
        "dataset": str(dataset), "splits": sampled.splits, "skipped": sampled.as_dict()["skipped"], "card": str(card),
    }
    if recipe.publish is not None:
        result["publish"] = tasks.publish(dataset, recipe.publish)
    return result
