"""`clsforge crawl`: crawl one site profile into article records."""

from __future__ import annotations

from pathlib import Path

import typer

from crawl.sites import PROFILES


def crawl(
    site: str = typer.Option(..., "--site", help="Site profile: " + ", ".join(PROFILES) + "."),
    start_url: list[str] = typer.Option(None, "--start-url", help="Sitemap, RSS feed or listing page to start from (repeatable)."),
    out: Path = typer.Option(..., "--out", help="Output folder for *.jsonl records and crawl_stats.json."),
    max_articles: int = typer.Option(None, "--max-articles", help="Stop after this many kept articles."),
    jobdir: Path = typer.Option(None, "--jobdir", help="Scrapy job folder; rerun with the same one to resume."),
    lang: str = typer.Option(None, "--lang", help="Language the records must be in (vi, th, lo, ...); default the profile's."),
) -> None:
    """Crawl one news site into article + lead-summary records (resumable with --jobdir)."""
    import json

    from crawl.runner import run_crawl

    stats = run_crawl(site, out, start_urls=start_url or None, max_articles=max_articles, jobdir=jobdir, lang=lang)
    summary = {key: stats[key] for key in ("articles_kept", "articles_new", "pages_fetched", "dropped", "bad_pages", "layout_drift")}
    typer.echo(json.dumps(summary, ensure_ascii=False))
