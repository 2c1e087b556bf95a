"""Benchmark: round-trip scoring + the filter steps + splitting of a Vi2ZhLow-sized crawl.

    .venv/bin/python -m bench.curate_bench [--size 142000] [--workers N] [--skip-naive] [--similarity-size 2000]

Writes `size` synthetic records of realistic length (a ~700-word Vietnamese-like body, a ~48-word
summary, a ~53-character Chinese translation and a back-translation with a random share of words
changed, 1% duplicates), then runs, each in its own process, timed and with the peak memory of its
whole process tree sampled:
  - clsforge: curate.roundtrip.score_roundtrip -> curate.filters.chain.run_filters with
    [language_id, near_duplicates, roundtrip_rouge top K] -> curate.splits.write_splits
    (streaming; scoring, language ID and MinHash signatures on every core), seconds per step;
  - similarity: the crosslingual_similarity step alone on `--similarity-size` records with a tiny
    random sentence-transformers model (the LaBSE code path; LaBSE itself cannot be downloaded here);
  - naive: pandas reads everything into one DataFrame, scores each row with rouge-score's
    RougeScorer (the same language tokenizer, one process), drops duplicates, sorts, samples
    splits and writes Parquet.
Sizes scale with the recipe: K = 11/142 of the records, test = validation = 3/11 of K, train 5/11.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SYLLABLES = (
    "anh em người nhà nước thành phố hà nội sài gòn kinh tế xã hội chính phủ thủ tướng bộ trưởng "
    "doanh nghiệp thị trường giá vàng xăng dầu học sinh giáo dục bệnh viện bác sĩ sức khỏe giao thông "
    "đường cao tốc dự án đầu tư vốn ngân hàng lãi suất tăng giảm năm tháng ngày tuần qua sáng chiều "
    "tối hôm nay theo cho biết trong khi đó các những một hai ba bốn năm sáu bảy tám chín mười triệu "
    "tỷ đồng phần trăm khu vực miền bắc trung nam mưa bão lũ lụt công an điều tra vụ việc tai nạn xe "
    "máy ô tô người dân chính quyền địa phương tỉnh huyện xã phường quận văn hóa du lịch thể thao bóng "
    "đá đội tuyển trận đấu chiến thắng hòa thua khách sạn nhà hàng món ăn truyền thống lễ hội mùa xuân"
).split()
HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def synthetic_record(index: int, rng: random.Random, body_words: int = 700) -> dict[str, Any]:
    """One crawl record with a translation and a back-translation of realistic length.

    The back-translation changes a random share (0-70%) of the summary's syllables, so round-trip
    scores spread over the whole range; every 100th record repeats an earlier summary and body.
    """
    source = rng.randrange(index) if index and index % 100 == 0 else index
    local = random.Random(source)
    summary_words = local.choices(SYLLABLES, k=max(3, int(local.gauss(48, 10))))
    changed = local.uniform(0.0, 0.7)
    back = [rng.choice(SYLLABLES) if rng.random() < changed else word for word in summary_words]
    return {
        "id": f"{index:08x}",
        "url": f"https://example.vn/bai-viet-{index}.html",
        "site": "synthetic",
        "lang": "vi",
        "title": " ".join(summary_words[:10]).capitalize(),
        "summary": " ".join(summary_words).capitalize() + ".",
        "text": " ".join(local.choices(SYLLABLES, k=max(50, int(local.gauss(body_words, 150))))).capitalize() + ".",
        "summary_zh": "".join(local.choices(HANZI, k=max(5, int(local.gauss(53, 12))))) + "。",
        "summary_back": " ".join(back).capitalize() + ".",
    }


def write_synthetic(path: Path, size: int, seed: int = 0, body_words: int = 700) -> None:
    """Write `size` synthetic records as JSONL."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(size):
            handle.write(json.dumps(synthetic_record(index, rng, body_words), ensure_ascii=False) + "\n")


def recipe_sizes(size: int) -> dict[str, Any]:
    """Split sizes for a pool of `size` records, scaled from the recipe (142k -> K 11k, 3k/3k/5k)."""
    k = max(11, size * 11_000 // 142_000)
    test = k * 3 // 11
    train = k - 2 * test
    return {"k": k, "test": test, "validation": test, "train_sizes": (train // 5, train * 3 // 5, train)}


def run_clsforge(data: Path, work: Path, workers: int | None, size: int) -> dict[str, Any]:
    """The streaming pipeline: score, select, split (`size`: the records in `data`)."""
    from curate.filters.base import FilterContext
    from curate.filters.chain import run_filters
    from curate.roundtrip import score_roundtrip
    from curate.splits import write_splits

    sizes = recipe_sizes(size)
    start = time.perf_counter()
    scored = score_roundtrip(data, work / "scored.jsonl", "vi", workers=workers)
    scoring = time.perf_counter() - start
    steps = [
        {"step": "language_id", "workers": workers},
        {"step": "near_duplicates", "workers": workers},
        {"step": "roundtrip_rouge", "k": sizes["k"]},
    ]
    context = FilterContext("vi", "zh", "summary_zh")
    filtered = run_filters(work / "scored.jsonl", work / "pool.jsonl", steps, context, work / "dropped.jsonl", work)
    splits = write_splits(
        work / "pool.jsonl", work / "dataset", "vi", "zh", sizes["train_sizes"], sizes["validation"], sizes["test"]
    )
    return {
        "scored": scored.records, "kept": filtered.kept, "dropped": filtered.dropped(), "splits": splits.splits,
        "seconds": {"roundtrip_scoring": round(scoring, 1), **{s.step: s.seconds for s in filtered.steps}},
    }


def run_similarity(data: Path, work: Path, size: int) -> dict[str, Any]:
    """The crosslingual_similarity step alone on the first `size` records, with a tiny random model."""
    from itertools import islice

    from curate.filters.base import FilterContext
    from curate.filters.registry import build_steps
    from curate.filters.tiny import build_tiny_sentence_model
    from curate.io import read_jsonl

    records = list(islice(read_jsonl(data), size))
    model = build_tiny_sentence_model(work / "tiny-st", (r[f] for r in records[:500] for f in ("summary", "summary_zh")))
    context = FilterContext("vi", "zh", "summary_zh")
    (step,) = build_steps([{"step": "crosslingual_similarity", "model": str(model), "device": "cpu"}], context)
    start = time.perf_counter()
    scores = step.scores(iter(records))
    seconds = time.perf_counter() - start
    return {"records": len(scores), "seconds": round(seconds, 1), "records_per_s": round(len(scores) / seconds, 1)}


def run_naive(data: Path, work: Path) -> dict[str, Any]:
    """What one would write first: everything in one DataFrame, row-by-row rouge-score."""
    import pandas as pd
    from rouge_score import rouge_scorer

    from curate.dataset import normalized_text
    from curate.languages import get_language

    frame = pd.read_json(data, lines=True, dtype=False)
    sizes = recipe_sizes(len(frame))
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=get_language("vi").tokenizer)
    scores = frame.apply(lambda row: scorer.score(row["summary"], row["summary_back"]), axis=1)
    for name in ("rouge1", "rouge2", "rougeL"):
        frame[f"rt_{name}"] = [100 * s[name].fmeasure for s in scores]
    frame["mean"] = frame[["rt_rouge1", "rt_rouge2", "rt_rougeL"]].mean(axis=1)
    for column in ("summary", "text"):
        frame = frame[~frame[column].map(normalized_text).duplicated()]
    pool = frame.sort_values(["mean", "id"], ascending=[False, True]).head(sizes["k"]).sample(frac=1, random_state=0)
    test, validation = sizes["test"], sizes["validation"]
    (work / "naive").mkdir(exist_ok=True)
    pool.iloc[:test].to_parquet(work / "naive" / "test.parquet")
    pool.iloc[test : test + validation].to_parquet(work / "naive" / "validation.parquet")
    for n in sizes["train_sizes"]:
        pool.iloc[test + validation : test + validation + n].to_parquet(work / "naive" / f"train_{n}.parquet")
    return {"scored": len(scores), "kept": len(pool)}


def measure(args: list[str]) -> tuple[float, float, dict[str, Any]]:
    """Run this module with `args` in a child process; return (seconds, peak MB of its process tree, result).

    The result gains `cpu_s`: CPU seconds (user + system) of the whole tree, workers included (last
    sample of each process), a figure that does not grow when other jobs share the cores as wall time does."""
    import psutil  # a declared clsforge dependency (pyproject)

    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.curate_bench", *args], stdout=subprocess.PIPE, text=True)
    process, peak, cpu = psutil.Process(child.pid), 0, {}
    while child.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            for p in tree:
                times = p.cpu_times()
                cpu[p.pid] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.05)
    output = child.stdout.read()
    if child.returncode:
        raise SystemExit(f"benchmark phase {args} failed with exit status {child.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    return time.perf_counter() - start, peak / 2**20, result | {"cpu_s": round(sum(cpu.values()), 1)}


def main() -> None:
    """Parse arguments; run one phase (in a child) or the whole comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=142_000, help="synthetic records (default 142000)")
    parser.add_argument("--workers", type=int, default=None, help="scoring processes (default: every core)")
    parser.add_argument("--body-words", type=int, default=700, help="mean body length in words")
    parser.add_argument("--skip-naive", action="store_true", help="do not run the naive pandas pipeline")
    parser.add_argument("--similarity-size", type=int, default=2000, help="records for the similarity step (0: skip)")
    parser.add_argument("--phase", choices=("clsforge", "naive", "similarity"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "clsforge":
        print(json.dumps(run_clsforge(args.data, args.work, args.workers, args.size)))
        return
    if args.phase == "naive":
        print(json.dumps(run_naive(args.data, args.work)))
        return
    if args.phase == "similarity":
        print(json.dumps(run_similarity(args.data, args.work, args.similarity_size)))
        return
    with tempfile.TemporaryDirectory(prefix="curate-bench-") as tmp:
        work, data = Path(tmp), Path(tmp) / "crawl.jsonl"
        start = time.perf_counter()
        write_synthetic(data, args.size, body_words=args.body_words)
        print(f"{args.size} synthetic records, {data.stat().st_size / 2**20:.0f} MB JSONL "
              f"(written in {time.perf_counter() - start:.1f} s), {os.cpu_count()} cores", flush=True)
        common = ["--data", str(data), "--work", str(work), "--size", str(args.size)]
        workers = ["--workers", str(args.workers)] if args.workers else []
        runs = {"clsforge": measure(["--phase", "clsforge", *common, *workers])}
        if not args.skip_naive:
            runs["naive"] = measure(["--phase", "naive", *common])
        if args.similarity_size:
            runs["similarity"] = measure(["--phase", "similarity", *common, "--similarity-size", str(args.similarity_size)])
    print(f"{'pipeline':<10} {'wall s':>8} {'peak MB':>9}  result")
    for name, (seconds, peak, result) in runs.items():
        print(f"{name:<10} {seconds:8.1f} {peak:9.0f}  {json.dumps(result)}")
    if "naive" in runs:
        ours, naive = runs["clsforge"], runs["naive"]
        print(f"speed-up x{naive[0] / ours[0]:.2f}, peak memory ratio naive/clsforge x{naive[1] / ours[1]:.2f}")


if __name__ == "__main__":
    main()
