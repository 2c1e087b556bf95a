"""Benchmark: the round-trip filter's ROUGE scoring of 142,000 Vietnamese summary pairs.

Scores synthetic-but-realistic pairs (an original lead of 40-50 syllables and a "back-translation"
that keeps, swaps, drops and reorders some of it) with `curate.rouge.score_pairs` on every core,
and, in the same run, with single-process rouge-score and its default tokenizer (the baseline
research scripts use). Prints pairs/second, peak memory and the speed ratio.

    python -m bench.rouge_bench [--pairs 142000] [--baseline-pairs N]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time

from rouge_score import rouge_scorer

from curate.rouge import PARALLEL_THRESHOLD, score_pairs

# Syllables of real Vietnamese news leads, so token lengths and diacritics are realistic.
LEAD_TEXT = (
    "Thủ tướng yêu cầu các bộ ngành và địa phương khẩn trương hoàn thiện hồ sơ dự án đường sắt tốc độ cao "
    "trên trục Bắc Nam, bảo đảm khởi công trong năm nay. Giá xăng dầu trong nước giảm nhẹ từ chiều nay sau "
    "khi giá thế giới đi xuống, người dân và doanh nghiệp vận tải được hưởng lợi. Bộ Giáo dục công bố phương "
    "án thi tốt nghiệp trung học phổ thông với ba môn bắt buộc và hai môn tự chọn. Mưa lớn kéo dài khiến nhiều "
    "tuyến đường ở miền Trung ngập sâu, hàng nghìn hộ dân phải sơ tán đến nơi an toàn. Bệnh viện tuyến tỉnh "
    "tiếp nhận thêm thiết bị hiện đại giúp giảm tải cho các bệnh viện trung ương ở thủ đô Hà Nội."
)
SYLLABLES = LEAD_TEXT.replace(".", "").replace(",", "").split()


def make_pairs(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """n (back-translation, original) pairs of 40-50 syllables with realistic overlap."""
    rng = random.Random(seed)
    hyps, refs = [], []
    for _ in range(n):
        original = rng.choices(SYLLABLES, k=rng.randint(40, 50))
        back = [w if rng.random() < 0.75 else rng.choice(SYLLABLES) for w in original if rng.random() > 0.08]
        cut = rng.randrange(len(back))
        if rng.random() < 0.3:
            back = back[cut:] + back[:cut]
        refs.append(" ".join(original).capitalize() + ".")
        hyps.append(" ".join(back).capitalize() + ".")
    return hyps, refs


def peak_memory_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child (a worker), in MiB.

    getrusage gives the children's maximum, not their sum: workers run at once, so the whole
    scoring's peak is at most this process plus one such maximum per worker.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, largest_child / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (workers), in seconds.

    On a machine shared with other jobs, wall time grows with their load; CPU time much less so.
    """
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark and print its figures; return them for tests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=142_000)
    parser.add_argument("--baseline-pairs", type=int, default=None, help="score only this many with the baseline and extrapolate (default: all)")
    args = parser.parse_args(argv)
    hyps, refs = make_pairs(args.pairs)

    start, cpu_start = time.perf_counter(), cpu_seconds()
    scores = score_pairs(hyps, refs, "vi")
    ours = time.perf_counter() - start
    ours_cpu = cpu_seconds() - cpu_start
    assert len(scores) == args.pairs

    baseline_n = min(args.baseline_pairs or args.pairs, args.pairs)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"])
    start = time.perf_counter()
    for hyp, ref in zip(hyps[:baseline_n], refs[:baseline_n]):
        scorer.score(ref, hyp)
    baseline = (time.perf_counter() - start) * args.pairs / baseline_n

    cores = os.cpu_count() or 1
    workers = cores if args.pairs >= PARALLEL_THRESHOLD else 0
    parent_mib, worker_mib = peak_memory_mib()
    figures = {
        "pairs": args.pairs,
        "cores": cores,
        "seconds": ours,
        "cpu_seconds": ours_cpu,
        "pairs_per_second": args.pairs / ours,
        "baseline_seconds": baseline,
        "baseline_extrapolated_from": baseline_n,
        "speedup": baseline / ours,
        "peak_memory_parent_mib": parent_mib,
        "peak_memory_worker_mib": worker_mib,
        "peak_memory_mib": parent_mib + workers * worker_mib,  # an upper bound: peaks need not coincide
    }
    print(
        f"clsforge score_pairs: {args.pairs} pairs in {ours:.1f} s ({figures['pairs_per_second']:.0f} pairs/s, "
        f"{cores} cores, {ours_cpu:.1f} s CPU), peak memory at most {figures['peak_memory_mib']:.0f} MiB "
        f"(this process {parent_mib:.0f} MiB + {workers} workers of at most {worker_mib:.0f} MiB)\n"
        f"rouge-score default tokenizer, 1 process: {baseline:.1f} s"
        + (f" (measured on {baseline_n} pairs, extrapolated)" if baseline_n < args.pairs else "")
        + f"\nratio: {figures['speedup']:.1f}x faster"
    )
    return figures


if __name__ == "__main__":
    main()
