"""Prefect tasks of the filter list and the leakage audit: each calls one curate.filters function."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from prefect import task

from curate.filters.base import FilterContext
from curate.filters.chain import FilterResult
from flows.caching import cached
from flows.recipe import LeakageSpec


@task(cache_policy=cached(named=("steps",), input=(), outputs={"output": (), "dropped": ()}))  # a step may name a local model
def filter_pool(
    input: Path, output: Path, steps: list[dict], context: FilterContext, dropped: Path, plot_dir: Path
) -> FilterResult:
    """Run the recipe's filter steps in order (curate.filters.chain); return the per-step result."""
    from curate.filters.chain import run_filters

    result = run_filters(input, output, steps, context, dropped, plot_dir)
    # Task results hold no absolute paths: a cached result must stay right when the workdir is moved.
    return replace(result, dropped_file=Path(dropped).name)


@task(cache_policy=cached(named=("spec",), dataset="data/*.parquet", outputs={"output": ()}))  # spec.external: a local dataset
def audit_leakage(dataset: Path, lang: str, spec: LeakageSpec, output: Path, split_counts: dict) -> dict:
    """Near-duplicates of validation/test (and an external test split) in train; also written to `output`.

    `split_counts` (the split task's counts) is not read: it makes the cache key follow the splits.
    """
    from curate.filters.leakage import audit_leakage as audit
    from curate.io import write_text_atomic

    result = audit(dataset, lang, spec.threshold, external=spec.external, external_field=spec.external_field).as_dict()
    write_text_atomic(output, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return result
