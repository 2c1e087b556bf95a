"""Crawl benchmark: articles/second end to end and the CPU share of extraction, profile selectors
against trafilatura-only extraction, on the same generated local site in the same run.

    .venv/bin/python -m bench.crawl_bench [--size 2000]

The site (VnExpress markup, sitemap index) is served from 127.0.0.1 by `crawl.serve`; politeness
delays are off (AutoThrottle, download delay), robots.txt is still fetched and obeyed.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.crawl_site import generate_site
from crawl.runner import run_crawl
from crawl.serve import serve_site

POLITENESS_OFF = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "LOG_LEVEL": "ERROR",
}


def measure(base_url: str, out: Path, trafilatura_only: bool) -> dict:
    """One crawl of the site; its throughput and extraction CPU share."""
    settings = {**POLITENESS_OFF, "CLSFORGE_TRAFILATURA_ONLY": trafilatura_only}
    started = time.perf_counter()
    stats = run_crawl("vnexpress", out, [base_url + "/sitemap.xml"], settings=settings)
    wall = time.perf_counter() - started
    return {
        "mode": "trafilatura-only" if trafilatura_only else "profile selectors",
        "articles": stats["articles_kept"],
        "wall_s": round(wall, 2),
        "articles_per_s": round(stats["articles_kept"] / wall, 1),
        "crawl_articles_per_s": round(stats["articles_kept"] / stats["elapsed_s"], 1),
        "extract_cpu_share": round(stats["extract_cpu_s"] / max(stats["process_cpu_s"], 1e-9), 3),
        "extract_ms_per_article": round(1000 * stats["extract_cpu_s"] / max(stats["articles_kept"], 1), 2),
    }


def run(size: int) -> dict:
    """Generate a `size`-article site, crawl it both ways, return both results and the speed ratio."""
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as folder:
        root = Path(folder)
        generate_site(root / "site", size)
        with serve_site(root / "site") as base_url:
            selectors = measure(base_url, root / "selectors", trafilatura_only=False)
            baseline = measure(base_url, root / "trafilatura", trafilatura_only=True)
    return {
        "size": size,
        "selectors": selectors,
        "trafilatura_only": baseline,
        "speedup": round(selectors["articles_per_s"] / max(baseline["articles_per_s"], 1e-9), 2),
        "extraction_cpu_ratio": round(
            baseline["extract_ms_per_article"] / max(selectors["extract_ms_per_article"], 1e-9), 1
        ),
    }


def main() -> None:
    """Print a small table and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="articles in the generated site")
    result = run(parser.parse_args().size)
    print(f"{'mode':<20}{'articles':>9}{'wall s':>9}{'art/s':>9}{'crawl art/s':>13}{'extract CPU':>13}{'ms/article':>12}")
    for row in (result["selectors"], result["trafilatura_only"]):
        print(f"{row['mode']:<20}{row['articles']:>9}{row['wall_s']:>9}{row['articles_per_s']:>9}"
              f"{row['crawl_articles_per_s']:>13}{row['extract_cpu_share']:>13.1%}{row['extract_ms_per_article']:>12}")
    print(f"profile selectors are {result['speedup']}x trafilatura-only end to end; "
          f"extraction itself {result['extraction_cpu_ratio']}x cheaper per article")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
