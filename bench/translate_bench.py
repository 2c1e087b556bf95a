"""Benchmark: translating 20,000 realistic Vietnamese summaries through the official v3 client.

Runs against the local Google Translate emulator (tests/google_emulator.py) with 100 ms of latency a
request, so the figures measure what the translation layer controls: how few requests it sends (the
minimum the v3 limits allow is max(texts / 1,024, code points / 30,000)), how full they are, the
throughput with requests in flight, and, in the same run, one-text-per-request sequential calls
(measured on a sample and extrapolated: 20,000 x 100 ms would take over half an hour). A second run
on the same cache must send nothing. The emulator lives in tests/, which is not installed with the
package, so run it from a checkout's root:

    python -m bench.translate_bench [--size 20000] [--latency 0.1] [--baseline-sample 50]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import tempfile
import time
from pathlib import Path

from curate.translate.run import make_translator
from curate.translate.spec import TranslatorSpec
from tests.google_emulator import EmulatorConfig, GoogleTranslateEmulator, V3_MAX_CODE_POINTS, V3_MAX_CONTENTS

# Phrases of real Vietnamese news leads: summaries of 2-4 sentences, about 150-400 characters.
SUBJECTS = [
    "Thủ tướng", "Bộ Y tế", "UBND TP Hà Nội", "Ngân hàng Nhà nước", "Bộ Giáo dục và Đào tạo", "Công an tỉnh Nghệ An",
    "Tổng cục Thống kê", "Sở Giao thông vận tải TP HCM", "Bộ Tài chính", "Trung tâm Dự báo khí tượng thủy văn quốc gia",
]
ACTIONS = [
    "yêu cầu các địa phương khẩn trương hoàn thiện hồ sơ dự án đường sắt tốc độ cao trên trục Bắc Nam",
    "công bố phương án thi tốt nghiệp trung học phổ thông với ba môn bắt buộc và hai môn tự chọn",
    "cho biết giá xăng dầu trong nước giảm nhẹ từ chiều nay sau khi giá thế giới đi xuống",
    "cảnh báo mưa lớn kéo dài khiến nhiều tuyến đường ở miền Trung ngập sâu",
    "đề xuất tăng lương tối thiểu vùng thêm 6% từ ngày 1/7",
    "bắt giữ nhóm đối tượng lừa đảo chiếm đoạt hơn 20 tỷ đồng qua mạng xã hội",
    "ghi nhận tăng trưởng kinh tế quý ba đạt mức cao nhất trong ba năm",
    "triển khai thu phí không dừng tại tất cả trạm trên các tuyến cao tốc",
]
DETAILS = [
    "Hàng nghìn hộ dân phải sơ tán đến nơi an toàn.",
    "Người dân và doanh nghiệp vận tải được hưởng lợi.",
    "Kế hoạch dự kiến hoàn thành trước cuối năm 2025.",
    "Nhiều chuyên gia cho rằng đây là bước đi cần thiết để ổn định thị trường.",
    "Lực lượng chức năng đang tiếp tục điều tra làm rõ vụ việc.",
    "Bệnh viện tuyến tỉnh tiếp nhận thêm thiết bị hiện đại giúp giảm tải cho tuyến trung ương.",
]


def make_summaries(n: int, seed: int = 0) -> list[str]:
    """n distinct Vietnamese news-lead summaries of realistic length (about 250 characters on average)."""
    rng = random.Random(seed)
    summaries = []
    for number in range(n):
        lead = f"Ngày {number % 28 + 1}/{number % 12 + 1}, {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}."
        summaries.append(" ".join([lead, *rng.sample(DETAILS, rng.randint(1, 3))]) + f" (Bản tin số {number}.)")
    return summaries


def sequential_seconds(endpoint: str, texts: list[str]) -> float:
    """Seconds to send `texts` one per request, one after another, with the bare official v3 client."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import translate_v3

    client = translate_v3.TranslationServiceClient(
        credentials=AnonymousCredentials(), transport="rest", client_options={"api_endpoint": endpoint}
    )
    start = time.perf_counter()
    for text in texts:
        client.translate_text(
            request={"parent": "projects/local/locations/global", "contents": [text], "mime_type": "text/plain",
                     "source_language_code": "vi", "target_language_code": "zh-CN"}
        )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> dict:
    """Run the benchmark, print its figures and return them (for the smoke test)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000, help="summaries to translate")
    parser.add_argument("--latency", type=float, default=0.1, help="emulated seconds per request")
    parser.add_argument("--baseline-sample", type=int, default=50, help="texts sent one per request, extrapolated to --size")
    args = parser.parse_args(argv)
    texts = make_summaries(args.size)
    code_points = sum(map(len, texts))
    minimum = max(math.ceil(len(texts) / V3_MAX_CONTENTS), math.ceil(code_points / V3_MAX_CODE_POINTS))

    with GoogleTranslateEmulator(EmulatorConfig(latency_s=args.latency)) as emulator, tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache.sqlite"
        spec = TranslatorSpec(backend="google-v3", google_endpoint=emulator.url)
        translator = make_translator(spec, cache=cache, progress=False)
        start = time.perf_counter()
        translator.translate(texts, "vi", "zh")
        seconds = time.perf_counter() - start
        translator.close()
        counters = translator.counters
        rerun = make_translator(spec, cache=cache, progress=False)
        rerun.translate(texts, "vi", "zh")
        rerun.close()
        sample = texts[: max(1, min(args.baseline_sample, len(texts)))]
        baseline = sequential_seconds(emulator.url, sample) * len(texts) / len(sample)

    figures = {
        "texts": len(texts),
        "code_points": code_points,
        "latency_s": args.latency,
        "requests": counters.requests,
        "minimum_requests": minimum,
        "requests_over_minimum_pct": round(100 * (counters.requests - minimum) / minimum, 2),
        "chars_per_request": round(counters.characters_sent / counters.requests),
        "seconds": round(seconds, 2),
        "texts_per_second": round(len(texts) / seconds),
        "chars_per_second": round(code_points / seconds),
        "concurrency": translator.concurrency,
        "rerun_requests": rerun.counters.requests,
        "rerun_cache_hits": rerun.counters.cache_hits,
        "baseline_seconds": round(baseline, 1),
        "baseline_extrapolated_from": len(sample),
        "speedup": round(baseline / seconds, 1),
        "estimated_cost_usd": counters.estimated_cost_usd,
    }
    print(
        f"clsforge google-v3: {len(texts)} summaries ({code_points} code points) in {seconds:.1f} s with "
        f"{args.latency * 1000:.0f} ms a request: {counters.requests} requests (minimum {minimum}, "
        f"+{figures['requests_over_minimum_pct']}%), {figures['chars_per_request']} chars/request, "
        f"{figures['texts_per_second']} texts/s, {translator.concurrency} in flight\n"
        f"cached rerun: {rerun.counters.requests} requests, {rerun.counters.cache_hits} cache hits\n"
        f"one text per request, sequential: {baseline:.1f} s (measured on {len(sample)} texts, extrapolated to {len(texts)})\n"
        f"ratio: {figures['speedup']}x faster, {len(texts) / counters.requests:.0f}x fewer requests"
    )
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
