"""Prefect tasks: each is a few lines that call a library function and return paths and counts.

The work itself lives in crawl/, curate/ and train/; a task only names its inputs and outputs. Its
cache key (see caching.py) holds its arguments, the content of the input files it declares with
`cached(...)` and its source, so a changed input file reruns it and an unchanged one hits. A task
returns paths relative to its output folder (never absolute ones): a cached result then stays true
in a moved workdir. Crawling and
translation can fail transiently (sites, the Google API) and are retried with exponential backoff.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.concurrency.sync import concurrency
from prefect.tasks import exponential_backoff

from flows.caching import cached
from flows.recipe import LOCAL_SITE, PublishSpec, SiteSpec, SplitSpec, TranslatorSpec
from flows.runners import GOOGLE_LIMIT  # the Prefect global concurrency limit every Google call holds a slot of

if TYPE_CHECKING:  # curate is imported inside the tasks (its imports are heavy)
    from curate.ncls import NclsResult
    from curate.roundtrip import RoundtripResult
    from curate.splits import SplitResult


def retry_unless_bad_input(task, task_run, state) -> bool:
    """Retry transient failures, but not a ValueError: bad input or a clean stop (daily quota,
    permission, a translation-memory miss, a translator that already gave up retrying), which
    another attempt cannot mend and, for a quota stop, would only hit again."""
    return not isinstance(state.result(raise_on_failure=False), ValueError)


# The local site's address changes from run to run (a free port): it is not part of the cache key.
@task(
    cache_policy=cached(code=()) - "local_site_url",  # a resumed crawl skips what it saw: new code changes nothing
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=10),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_unless_bad_input,
)
def crawl_site(spec: SiteSpec, out: Path, jobdir: Path, local_site_url: str | None = None, lang: str | None = None) -> dict:
    """Crawl one site in a subprocess (resumable from `jobdir`), keeping records in `lang` (the recipe's
    source language; default the profile's); return its output folder and counts."""
    from crawl.runner import run_crawl

    start_urls = [url.replace(LOCAL_SITE, local_site_url or LOCAL_SITE) for url in spec.start_urls] or None
    stats = run_crawl(spec.site, out, start_urls=start_urls, max_articles=spec.max_articles, jobdir=jobdir, lang=lang)
    return {"site": spec.site, "articles": stats["articles_kept"], "stats": stats}


@task(cache_policy=cached(inputs=(), outputs={"output": ()}))
def concatenate(inputs: list[Path], output: Path) -> int:
    """Concatenate JSONL files into one (in order); return the record count."""
    from curate.io import read_jsonl, write_jsonl

    return write_jsonl(output, (record for path in inputs for record in read_jsonl(path)))


@task(cache_policy=cached(pool=(), outputs={"out_dir": "shard-*.jsonl"}))
def shard(pool: Path, out_dir: Path, size: int) -> list[str]:
    """Cut a JSONL pool into shards of `size` records (shard-00000.jsonl, ...); return their names."""
    from itertools import islice

    from curate.io import read_jsonl, write_jsonl

    records = read_jsonl(pool)
    paths = []
    while chunk := list(islice(records, size)):
        path = Path(out_dir) / f"shard-{len(paths):05d}.jsonl"
        write_jsonl(path, chunk)
        paths.append(path.name)
    return paths


@task(
    # `cache` is the translation cache: read and written, not an input
    cache_policy=cached(named=("spec",), input=(), outputs={"output": ()}),
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=5),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_unless_bad_input,
)
def translate_shard(
    input: Path, output: Path, field: str, to_field: str, src: str, tgt: str, spec: TranslatorSpec, cache: Path
) -> dict:
    """Translate one shard's `field` into `to_field`; Google calls hold a global concurrency slot."""
    from curate.translate.run import translate_file

    with concurrency(GOOGLE_LIMIT, occupy=1) if spec.backend.startswith("google") else nullcontext():
        return translate_file(
            input, output, field, src, tgt, spec, to_field=to_field, cache=cache,
            progress=False,  # shards run concurrently; their progress is the flow's progress artifact
        )


@task(cache_policy=cached(input=(), outputs={"output": ()}))
def score_shard(input: Path, output: Path, lang: str, back_field: str) -> RoundtripResult:
    """Round-trip ROUGE of one shard: the original summary against its back-translation."""
    from curate.roundtrip import score_roundtrip

    return score_roundtrip(input, output, lang, field="summary", back_field=back_field)


@task(cache_policy=cached(pool=(), outputs={"out_dir": "data/*.parquet"}))
def split(
    pool: Path, out_dir: Path, source_lang: str, target_lang: str, spec: SplitSpec, target_field: str,
    eval_ids: dict | None = None,
) -> SplitResult:
    """Write the nested train subsets, validation and test Parquet files of the dataset directory
    (test and validation: the records `eval_ids` names, when given)."""
    from curate.splits import write_splits

    return write_splits(
        pool, out_dir, source_lang, target_lang, train_sizes=tuple(spec.train_sizes), validation=spec.validation,
        test=spec.test, seed=spec.seed, target_field=target_field, eval_ids=eval_ids,
    )


@task(cache_policy=cached(pools=(), outputs={"output": ()}))
def shared_eval(pools: list[Path], output: Path, source_lang: str, target_lang: str, spec: SplitSpec, target_field: str) -> dict:
    """One test and validation draw from the records every pool kept (the filter ablation); also written to `output`."""
    import json

    from curate.io import write_text_atomic
    from curate.splits import shared_eval_split

    shared = shared_eval_split(
        pools, source_lang, target_lang, validation=spec.validation, test=spec.test, seed=spec.seed, target_field=target_field
    )
    write_text_atomic(output, json.dumps(shared, ensure_ascii=False, indent=1) + "\n")
    return shared


@task(cache_policy=cached(input="**/*", lcsts="**/*", outputs={"out": "data/*.parquet"}))
def ncls_sample(input: Path, direction: str, out: Path, train_sizes: list[int], seed: int, lcsts: Path | None) -> NclsResult:
    """Sample En2ZhLow / Zh2EnLow from the NCLS release into the dataset's split files (`describe` writes
    its stats and card)."""
    from curate.ncls import sample_ncls_low

    return sample_ncls_low(input, direction, out, tuple(train_sizes), seed, lcsts)


@task(cache_policy=cached(dataset=("data/*.parquet", "*.png"), outputs={"dataset": ("README.md", "stats.json")}))
def describe(dataset: Path, build_info: dict) -> tuple[dict, str]:
    """Write DIR/stats.json and the dataset card DIR/README.md (curate.describe); return the stats and the
    card's name. Crawled and NCLS datasets both go through it."""
    from curate.describe import describe_dataset

    stats, card = describe_dataset(dataset, build_info)
    return stats, card.name


@task(retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=10), retry_condition_fn=retry_unless_bad_input)
def publish(dataset: Path, spec: PublishSpec) -> dict:
    """Push the dataset directory to the Hub (or check it, with dry_run); never cached: the Hub may change."""
    from curate.publish import publish as publish_dataset

    return publish_dataset(dataset, spec.repo_id, private=spec.private, dry_run=spec.dry_run)
