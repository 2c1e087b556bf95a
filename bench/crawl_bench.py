"""Crawl benchmark: articles/second end to end and the CPU share of extraction, profile selectors
against trafilatura-only extraction, on the same generated local site in the same run.

    .venv/bin/python -m bench.crawl_bench [--size 2000]

The site (VnExpress markup, sitemap index) is served from 127.0.0.1 by `crawl.serve`; politeness
delays are off (AutoThrottle, download delay), robots.txt is still fetched and obeyed.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import tempfile
import time
from pathlib import Path

from crawl.runner import run_crawl
from crawl.serve import serve_site

# The generated site: synthetic Vietnamese text from a fixed syllable bank, seeded, so every
# article is unique and the site is identical from run to run (also used by the resume test).
SYLLABLES = (
    "người dân thành phố cho biết năm nay giá điện nước tăng mạnh trong khi thu nhập của nhiều hộ gia "
    "đình vẫn chưa phục hồi sau dịch bệnh chính quyền địa phương đã đề xuất hỗ trợ học phí bảo hiểm y tế "
    "và nhà ở xã hội cho công nhân lao động tại các khu công nghiệp đồng thời đẩy nhanh tiến độ xây dựng "
    "đường sắt đô thị cầu vượt sông và bệnh viện tuyến tỉnh theo kế hoạch của bộ xây dựng"
).split()
SITEMAP_CHUNK = 500


def sentence(rng: random.Random, words: int) -> str:
    """One sentence of `words` syllables, capitalised, with a full stop."""
    text = " ".join(rng.choice(SYLLABLES) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article_page(index: int, rng: random.Random) -> str:
    """One article page: JSON-LD, sapo with a location stamp, 6 body paragraphs, a caption and an author line."""
    title = sentence(rng, 12).rstrip(".")
    summary = " ".join(sentence(rng, 20) for _ in range(2))
    paragraphs = "\n".join(f'<p class="Normal">{" ".join(sentence(rng, 18) for _ in range(4))}</p>' for _ in range(6))
    e = html.escape
    # the JSON-LD layer is always read (crawl/jsonld.py), so the benchmark pages carry a NewsArticle
    jsonld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title, "description": summary,
              "datePublished": f"2025-01-{index % 28 + 1:02d}T08:00:00.000 +07:00", "articleSection": "Thời sự"}
    jsonld = json.dumps(jsonld, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title>
<meta name="description" content="{e(summary)}"><meta property="og:description" content="{e(summary)}">
<meta name="pubdate" content="2025-01-{index % 28 + 1:02d}T08:00:00+07:00">
<script type="application/ld+json">{jsonld}</script>
<link rel="canonical" href="{{{{base_url}}}}/bai-viet-{index}-{1000000 + index}.html"></head>
<body><ul class="breadcrumb"><li><a href="/thoi-su">Thời sự</a></li></ul>
<h1 class="title-detail">{e(title)}</h1>
<p class="description"><span class="location-stamp">HÀ NỘI - </span>{e(summary)}</p>
<article class="fck_detail">
{paragraphs}
<figure><img src="/a.jpg"><figcaption><p class="Image">Ảnh minh họa số {index}.</p></figcaption></figure>
<p class="Normal" style="text-align:right;"><strong>Phóng viên {index}</strong></p>
</article></body></html>
"""


def generate_site(root: Path, articles: int, seed: int = 0) -> list[str]:
    """Write `articles` pages, a sitemap index with 500-URL sitemaps and robots.txt under `root`.

    Returns:
        The article paths, in sitemap order.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(articles):
        path = f"/bai-viet-{index}-{1000000 + index}.html"
        (root / path.lstrip("/")).write_text(article_page(index, rng), encoding="utf-8")
        paths.append(path)
    chunks = [paths[start:start + SITEMAP_CHUNK] for start in range(0, len(paths), SITEMAP_CHUNK)]
    for number, chunk in enumerate(chunks):
        urls = "\n".join(f"<url><loc>{{{{base_url}}}}{path}</loc></url>" for path in chunk)
        (root / f"sitemap-{number}.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'
        )
    index_entries = "\n".join(f"<sitemap><loc>{{{{base_url}}}}/sitemap-{n}.xml</loc></sitemap>" for n in range(len(chunks)))
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{index_entries}\n</sitemapindex>\n'
    )
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n")
    return paths


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
