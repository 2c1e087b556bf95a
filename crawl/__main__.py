"""`python -m crawl`: one crawl in this process (what `crawl.runner.run_crawl` starts as a subprocess,
because Scrapy's reactor cannot restart within one process)."""

from __future__ import annotations

import argparse
import json

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


def crawl_settings(args: argparse.Namespace) -> Settings:
    """The project settings with this run's site, start points, output, cap, job folder and overrides."""
    settings = Settings()
    settings.setmodule("crawl.settings", priority="project")
    settings.set("CLSFORGE_SITE", args.site, priority="cmdline")
    settings.set("CLSFORGE_START_URLS", args.start_url or [], priority="cmdline")
    settings.set("CLSFORGE_OUT", args.out, priority="cmdline")
    settings.set("CLSFORGE_MAX_ARTICLES", args.max_articles or 0, priority="cmdline")
    if args.lang:
        settings.set("CLSFORGE_LANG", args.lang, priority="cmdline")
    if args.jobdir:
        settings.set("JOBDIR", args.jobdir, priority="cmdline")
    settings.setdict(json.loads(args.settings_json), priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> None:
    """Parse the runner's arguments and run the crawl to its end."""
    parser = argparse.ArgumentParser(prog="python -m crawl", description=__doc__)
    parser.add_argument("--site", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--start-url", action="append")
    parser.add_argument("--max-articles", type=int)
    parser.add_argument("--jobdir")
    parser.add_argument("--lang", help="language the records must be in (default: the profile's)")
    parser.add_argument("--settings-json", default="{}", help="JSON object of Scrapy setting overrides")
    args = parser.parse_args(argv)

    from crawl.spiders.news import NewsSpider

    process = CrawlerProcess(crawl_settings(args))
    process.crawl(NewsSpider)
    process.start()


if __name__ == "__main__":
    main()
