"""A generated news site in VnExpress markup (for the crawl benchmark and the resume test).

Pages are synthetic Vietnamese text from a fixed syllable bank, seeded, so every article is unique
and the site is identical from run to run.
"""

from __future__ import annotations

import html
import random
from pathlib import Path

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
    """One article page: sapo with a location stamp, 6 body paragraphs, a caption and an author line."""
    title = sentence(rng, 12).rstrip(".")
    summary = " ".join(sentence(rng, 20) for _ in range(2))
    paragraphs = "\n".join(f'<p class="Normal">{" ".join(sentence(rng, 18) for _ in range(4))}</p>' for _ in range(6))
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title>
<meta name="description" content="{e(summary)}"><meta property="og:description" content="{e(summary)}">
<meta name="pubdate" content="2025-01-{index % 28 + 1:02d}T08:00:00+07:00">
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
