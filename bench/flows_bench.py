"""Benchmark: what Prefect orchestration costs, and what a cached rerun saves, on the curate stages.

    .venv/bin/python -m bench.flows_bench [--size 20000] [--shard-size 1000]

Writes `size` synthetic crawl records and a translation memory for their summaries (so translation
is a replay, as in the demo, and the figure is orchestration, not an API), then times:
  - direct (the baseline): the library calls in a row: translate_file forward and back,
    score_roundtrip, run_filters (the recipe's filter list), write_splits, audit_leakage,
    describe_dataset (stats and card);
  - flow: the same stages as the `curate-pool` flow (shards of `shard-size`, each stage a cached
    Prefect task) against Prefect's ephemeral server, started before the clock starts;
  - rerun: the flow again on the same workdir, every task a cache hit.
Prints one JSON line with the seconds and the ratios flow/direct and rerun/flow.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path

WORDS = ("hà nội giá vàng học sinh bệnh viện giao thông dự án ngân hàng lãi suất người dân chính quyền "
         "tỉnh huyện văn hóa du lịch bóng đá đội tuyển mưa bão công an điều tra doanh nghiệp thị trường").split()


def write_inputs(folder: Path, size: int, seed: int = 0) -> Path:
    """Write `size` crawl records (pool.jsonl) and the translation memory (memory.jsonl); return the pool."""
    from curate.io import write_jsonl

    rng = random.Random(seed)
    records, memory = [], []
    for i in range(size):
        summary = " ".join(rng.choice(WORDS) for _ in range(30)) + f" số {i}"
        back = " ".join(word if rng.random() > 0.2 else rng.choice(WORDS) for word in summary.split())
        records.append({"id": f"r{i:06d}", "url": f"https://example.vn/{i}", "site": "generic", "lang": "vi",
                        "title": summary[:40], "summary": summary, "text": " ".join(rng.choice(WORDS) for _ in range(300))})
        memory.append({"src_lang": "vi", "tgt_lang": "zh", "text": summary, "translation": f"中文摘要{i}"})
        memory.append({"src_lang": "zh", "tgt_lang": "vi", "text": f"中文摘要{i}", "translation": back})
    write_jsonl(folder / "memory.jsonl", memory)
    write_jsonl(folder / "pool.jsonl", records)
    return folder / "pool.jsonl"


def bench_recipe(size: int, shard_size: int, memory: Path):
    """A vi -> zh recipe sized like Vi2ZhLow relative to `size` (K = 80%, test = validation = 10% of K)."""
    from flows.recipe import Recipe

    k = int(size * 0.8)
    held_out = max(1, k // 10)
    translator = {"backend": "memory", "memory": str(memory)}
    return Recipe(
        name="BenchVi2Zh", source_lang="vi", target_lang="zh", sites=[{"site": "generic"}], shard_size=shard_size,
        translate=translator, back_translate=translator, filter={"k": k},
        splits={"train_sizes": [max(1, (k - 2 * held_out) // 2), k - 2 * held_out], "validation": held_out, "test": held_out},
    )


def run_direct(recipe, pool: Path, work: Path) -> None:
    """The baseline: the library functions called one after another on the whole pool."""
    from curate.describe import describe_dataset
    from curate.roundtrip import score_roundtrip
    from curate.filters.base import FilterContext
    from curate.filters.chain import run_filters
    from curate.filters.leakage import audit_leakage
    from curate.splits import write_splits
    from curate.translate.run import translate_file

    translate_file(pool, work / "fwd.jsonl", "summary", "vi", "zh", recipe.translate, to_field="summary_zh")
    translate_file(work / "fwd.jsonl", work / "back.jsonl", "summary_zh", "zh", "vi", recipe.back_translate, to_field="summary_back")
    score_roundtrip(work / "back.jsonl", work / "scored.jsonl", "vi")
    context = FilterContext("vi", "zh", "summary_zh", "summary_back")
    run_filters(work / "scored.jsonl", work / "selected.jsonl", recipe.filter, context, work / "dropped.jsonl", work / "dataset")
    split = recipe.splits
    write_splits(work / "selected.jsonl", work / "dataset", "vi", "zh", train_sizes=split.train_sizes,
                 validation=split.validation, test=split.test)
    audit_leakage(work / "dataset", "vi", recipe.leakage.threshold)
    describe_dataset(work / "dataset", {"pretty_name": recipe.name})


def timed(function, *args) -> float:
    """Seconds one call of `function(*args)` takes."""
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000, help="records in the pool")
    parser.add_argument("--shard-size", type=int, default=1000, help="records per translate/score task")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flows-bench-") as tmp:
        folder = Path(tmp)
        os.environ.update(PREFECT_HOME=str(folder / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                          PREFECT_LOGGING_LEVEL="WARNING",
                          # Prefect's default 20 s is too short for a loaded 2-core machine (15 s seen at load 1.8).
                          PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120")
        os.environ.pop("PREFECT_API_URL", None)
        from prefect import flow

        from flows.build import curate_pool

        pool = write_inputs(folder, args.size)
        recipe = bench_recipe(args.size, args.shard_size, folder / "memory.jsonl")
        flow(name="warm-up")(lambda: None)()  # starts the ephemeral server before the clock runs
        direct = timed(run_direct, recipe, pool, folder / "direct")
        counts = [{"stage": "crawled", "records": args.size}]
        first = timed(curate_pool, recipe, str(folder / "flow"), str(pool), counts)
        rerun = timed(curate_pool, recipe, str(folder / "flow"), str(pool), counts)
    print(json.dumps({
        "size": args.size, "shard_size": args.shard_size, "direct_s": round(direct, 2), "flow_s": round(first, 2),
        "rerun_s": round(rerun, 2), "flow_over_direct": round(first / direct, 2), "rerun_over_flow": round(rerun / first, 3),
    }))


if __name__ == "__main__":
    main()
