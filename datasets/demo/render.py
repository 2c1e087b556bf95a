"""Render the demo sample from `datasets/demo/articles/*.md` into the served site and the memory.

Run: `.venv/bin/python datasets/demo/render.py`. Writes
- `datasets/demo/site/`: one folder per profile (vnexpress, dantri, tuoitre) with `sitemap.xml`, an
  RSS feed, a listing page and the article pages in that site's real markup (sapo with the site's
  byline prefix or location stamp, author line and photo caption inside the body), plus a root
  `robots.txt`. URLs use `{{base_url}}`, replaced by `crawl.serve.serve_site` at serve time.
- `datasets/demo/translations.jsonl`: per article one vi->zh line (summary -> summary_zh) and one
  zh->vi line (summary_zh -> summary_back_vi), the translation memory the demo replays.
"""

from __future__ import annotations

import html
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from curate.io import write_jsonl

DEMO = Path(__file__).resolve().parent
ARTICLES, SITE, MEMORY = DEMO / "articles", DEMO / "site", DEMO / "translations.jsonl"
PROFILES = ("vnexpress", "dantri", "tuoitre")
FEEDS = {"vnexpress": "rss/tin-moi-nhat.rss", "dantri": "rss/home.rss", "tuoitre": "rss/tin-moi-nhat.rss"}
LISTINGS = {"vnexpress": "tin-moi-nhat", "dantri": "tin-moi-nhat.htm", "tuoitre": "tin-moi-nhat.htm"}
# Each site's photo block; the caption inside is what the crawler must keep out of `text`.
FIGURES = {
    "vnexpress": ('<figure data-size="true" itemprop="associatedMedia image" class="tplCaption action_thumb_added">'
                  '<div class="fig-picture"><picture><img itemprop="contentUrl" src="/img/photo.jpg" alt=""></picture></div>'
                  '<figcaption itemprop="description"><p class="Image">{caption}</p></figcaption></figure>'),
    "dantri": ('<figure class="image align-center"><img src="/img/photo.jpg" alt="">'
               '<figcaption><p>{caption}</p></figcaption></figure>'),
    "tuoitre": ('<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="/img/photo.jpg" alt=""></div>'
                '<figcaption class="PhotoCMS_Caption"><p data-placeholder="[nhập chú thích]">{caption}</p></figcaption></figure>'),
}
e = html.escape


@dataclass
class Article:
    """One demo article: its front matter and body paragraphs."""

    number: int
    meta: dict
    paragraphs: list[str]

    @property
    def published_at(self) -> datetime:
        """The publication time."""
        return datetime.fromisoformat(self.meta["published"])

    @property
    def path(self) -> str:
        """The article's URL path, in the profile's real URL shape."""
        profile, slug = self.meta["profile"], self.meta["slug"]
        stamp = self.published_at.strftime("%Y%m%d%H%M%S") + f"{self.number:03d}"
        if profile == "vnexpress":
            return f"/vnexpress/{slug}-{4800000 + self.number}.html"
        if profile == "dantri":
            return f"/dantri/{slugify(self.meta['category'])}/{slug}-{stamp}.htm"
        return f"/tuoitre/{slug}-{stamp}.htm"


def slugify(text: str) -> str:
    """ASCII slug of a Vietnamese phrase ("Sức khỏe" -> "suc-khoe")."""
    ascii_text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def load_articles() -> list[Article]:
    """Every `NN-slug.md` file, in number order."""
    articles = []
    for file in sorted(ARTICLES.glob("[0-9][0-9]-*.md")):
        _, front, body = file.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(front)
        if meta["profile"] not in PROFILES:
            raise ValueError(f"{file.name}: unknown profile {meta['profile']!r}")
        paragraphs = [" ".join(p.split()) for p in body.strip().split("\n\n") if p.strip()]
        articles.append(Article(int(file.name[:2]), meta, paragraphs))
    return articles


def head(article: Article, description: str, extra: str) -> str:
    """The <head> every profile shares: title, description/og tags, canonical, dates."""
    meta = article.meta
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(meta['title'])}</title>
<meta name="description" content="{e(description)}">
<meta property="og:title" content="{e(meta['title'])}">
<meta property="og:description" content="{e(description)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{meta['published']}">
<link rel="canonical" href="{{{{base_url}}}}{article.path}">
{extra}</head>
"""


def body_paragraphs(article: Article, tag: str) -> str:
    """Body paragraphs with the site's photo block (and its caption) after the first one."""
    blocks = [tag.format(text=e(p)) for p in article.paragraphs]
    if article.meta.get("caption"):
        blocks.insert(1, FIGURES[article.meta["profile"]].format(caption=e(article.meta["caption"])))
    return "\n".join(blocks)


def category_link(article: Article, suffix: str) -> str:
    """The breadcrumb link to the article's category page."""
    category = e(article.meta["category"])
    href = f"/{article.meta['profile']}/{slugify(article.meta['category'])}{suffix}"
    return f'<a href="{href}" title="{category}">{category}</a>'


def author_line(article: Article, style: str) -> str:
    """The right-aligned author paragraph these sites end the body with."""
    return f'<p {style}><strong>{e(article.meta["author"])}</strong></p>'


def vnexpress_page(article: Article) -> str:
    """VnExpress markup: p.description with span.location-stamp, article.fck_detail p.Normal."""
    meta = article.meta
    stamp = f'<span class="location-stamp">{e(meta["location"])} - </span>' if meta.get("location") else ""
    body = body_paragraphs(article, '<p class="Normal">{text}</p>')
    return head(article, meta["summary"], f'<meta name="pubdate" content="{meta["published"]}">\n') + f"""<body>
<section class="section page-detail top-detail"><div class="container"><div class="sidebar-1">
<div class="header-content width_common">
<ul class="breadcrumb" data-campaign="Header-Breadcrumb"><li>{category_link(article, "")}</li></ul>
<span class="date">{article.published_at.strftime('%d/%m/%Y, %H:%M')} (GMT+7)</span>
</div>
<h1 class="title-detail">{e(meta['title'])}</h1>
<p class="description">{stamp}{e(meta['summary'])}</p>
<article class="fck_detail " data-component-type="">
{body}
{author_line(article, 'class="Normal" style="text-align:right;"')}
</article>
</div></div></section>
</body></html>
"""


def dantri_page(article: Article) -> str:
    """Dân trí markup: h1.title-page, h2.singular-sapo "(Dân trí) - ...", div.singular-content."""
    meta = article.meta
    sapo, published = f"(Dân trí) - {meta['summary']}", article.published_at
    return head(article, sapo, "") + f"""<body>
<main class="body container">
<ul class="breadcrumbs"><li>{category_link(article, ".htm")}</li></ul>
<article class="singular-container">
  <h1 class="title-page detail">{e(meta['title'])}</h1>
  <div class="author-wrap"><time class="author-time" datetime="{published.strftime('%Y-%m-%d %H:%M')}">{published.strftime('%d/%m/%Y - %H:%M')}</time></div>
  <h2 class="singular-sapo">{e(sapo)}</h2>
  <div class="singular-content">
{body_paragraphs(article, "<p>{text}</p>")}
    {author_line(article, 'style="text-align: right;"')}
  </div>
</article>
</main>
</body></html>
"""


def tuoitre_page(article: Article) -> str:
    """Tuổi Trẻ markup: h1.detail-title, h2.detail-sapo "TTO - ...", div.detail-content."""
    meta = article.meta
    sapo = f"TTO - {meta['summary']}"
    return head(article, meta["summary"], "") + f"""<body>
<div class="detail-container">
<div class="detail-cate">{category_link(article, ".htm")}</div>
<h1 class="detail-title article-title" data-role="title">{e(meta['title'])}</h1>
<div class="detail-time"><div data-role="publishdate">{article.published_at.strftime('%d/%m/%Y %H:%M')} GMT+7</div></div>
<div class="detail-cmain">
<h2 class="detail-sapo" data-role="sapo">{e(sapo)}</h2>
<div class="detail-content afcbc-body" data-role="content" itemprop="articleBody">
{body_paragraphs(article, "<p>{text}</p>")}
{author_line(article, 'style="text-align: right;"')}
</div>
</div>
</div>
</body></html>
"""


PAGES = {"vnexpress": vnexpress_page, "dantri": dantri_page, "tuoitre": tuoitre_page}


def sitemap(articles: list[Article]) -> str:
    """A urlset sitemap of the articles."""
    urls = "\n".join(
        f"  <url><loc>{{{{base_url}}}}{a.path}</loc><lastmod>{a.meta['published']}</lastmod></url>" for a in articles
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'


def feed(profile: str, articles: list[Article]) -> str:
    """An RSS 2.0 feed whose descriptions hold an image link and the sapo, as the real feeds do."""
    items = "\n".join(
        f"""    <item>
      <title>{e(a.meta['title'])}</title>
      <link>{{{{base_url}}}}{a.path}</link>
      <description><![CDATA[<a href="{{{{base_url}}}}{a.path}"><img src="/img/photo.jpg"></a></br>{a.meta['summary']}]]></description>
      <pubDate>{a.published_at.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate>
    </item>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>{profile} - Tin mới nhất</title>
    <link>{{{{base_url}}}}/{profile}/</link>
{items}
  </channel>
</rss>
"""


def listing(profile: str, articles: list[Article]) -> str:
    """A listing page linking every article (plus a video link the crawler must not record)."""
    links = "\n".join(
        f'  <article class="item-news"><h3 class="title-news"><a href="{a.path}" title="{e(a.meta["title"])}">{e(a.meta["title"])}</a></h3></article>'
        for a in articles
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{profile} - Tin mới nhất</title></head>
<body>
<div class="list-news">
{links}
  <a href="/{profile}/video/ban-tin-sang-4899999.html">Video: bản tin sáng</a>
</div>
</body></html>
"""


def translation_memory(articles: list[Article]) -> list[dict]:
    """The vi->zh and zh->vi memory lines of every article."""
    lines = []
    for a in articles:
        lines.append({"src_lang": "vi", "tgt_lang": "zh", "text": a.meta["summary"], "translation": a.meta["summary_zh"]})
        lines.append({"src_lang": "zh", "tgt_lang": "vi", "text": a.meta["summary_zh"], "translation": a.meta["summary_back_vi"]})
    return lines


def render(site: Path = SITE, memory: Path = MEMORY) -> int:
    """Write the site folder and the translation memory; return the number of articles."""
    articles = load_articles()
    if site.exists():
        shutil.rmtree(site)
    for profile in PROFILES:
        mine = [a for a in articles if a.meta["profile"] == profile]
        for a in mine:
            write(site / a.path.lstrip("/"), PAGES[profile](a))
        write(site / profile / "sitemap.xml", sitemap(mine))
        write(site / profile / FEEDS[profile], feed(profile, mine))
        write(site / profile / LISTINGS[profile], listing(profile, mine))
    sitemaps = "\n".join(f"Sitemap: {{{{base_url}}}}/{p}/sitemap.xml" for p in PROFILES)
    write(site / "robots.txt", f"User-agent: *\nDisallow: /admin/\n{sitemaps}\n")
    write_jsonl(memory, translation_memory(articles))
    return len(articles)


def write(path: Path, text: str) -> None:
    """Write a UTF-8 text file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    print(f"rendered {render()} articles into {SITE.relative_to(DEMO.parent.parent)} and {MEMORY.name}")
