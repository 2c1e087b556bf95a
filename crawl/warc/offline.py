"""The live crawl's own code without Scrapy's engine: the spider's `parse` and the item pipelines.

A WARC record becomes a Scrapy response (as the downloader would have built it) and goes through
the very `NewsSpider.parse` and the `ITEM_PIPELINES` (quality gates, dedup) of a live crawl, so an
archived page gives field for field the record the live crawl makes of the same HTML, and a change
to extraction, gates or dedup applies to both sources. Only the JSONL writer is replaced: WARC
output is written per input file (crawl/warc/run.py).
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import build_from_crawler, load_object

from crawl.output import OutputState
from crawl.pipelines.jsonl import JsonlWriterPipeline
from crawl.sites import get_profile
from crawl.spiders.news import NewsSpider

# Scrapy's HttpErrorMiddleware keeps only 2xx responses from the spider; the same here.
OK_STATUSES = range(200, 300)


class OfflineCrawler:
    """The parts of a Scrapy `Crawler` that clsforge's spider and pipelines use, for one site.

    Attributes:
        settings: the crawl project's settings (crawl/settings.py) with this site and `overrides`.
        stats: a Scrapy stats collector; the spider and the pipelines count into it as in a crawl.
        spider: a real `NewsSpider`, built by its own `from_crawler`, sharing `output`.
        compression: Scrapy's HttpCompressionMiddleware (None when COMPRESSION_ENABLED is off).
        pipelines: the ITEM_PIPELINES in their order, less the JSONL writer.
    """

    def __init__(self, site: str, output: OutputState, overrides: dict | None = None):
        profile = get_profile(site)
        self.settings = Settings()
        self.settings.setmodule("crawl.settings", priority="project")
        self.settings.set("CLSFORGE_SITE", site, priority="cmdline")
        self.settings.set("CLSFORGE_OUT", str(output.folder), priority="cmdline")
        if not profile.start_urls:  # the spider needs a start point; an archive has none to fetch
            self.settings.set("CLSFORGE_START_URLS", ["https://archive.invalid/"], priority="cmdline")
        self.settings.setdict(overrides or {}, priority="cmdline")
        self.signals = SignalManager(self)
        self.stats = MemoryStatsCollector(self)
        self.spider = NewsSpider.from_crawler(self)
        self.spider.output = output  # one state for every site of a run: dedup across them
        try:  # the live crawl's Content-Encoding decoder (crawl/warc/payload.py); none when COMPRESSION_ENABLED is off
            self.compression = build_from_crawler(HttpCompressionMiddleware, self)
        except NotConfigured:
            self.compression = None
        self.pipelines = [
            build_from_crawler(load_object(path), self)
            for path, order in sorted(self.settings.getdict("ITEM_PIPELINES").items(), key=lambda item: item[1])
            if order is not None and load_object(path) is not JsonlWriterPipeline
        ]

    def records(self, response: Response) -> list[dict]:
        """The records the spider makes of `response` (none for a page that is not an article)."""
        return [item for item in self.spider.parse(response) if isinstance(item, dict)]

    def gate(self, item: dict) -> str | None:
        """Run `item` through the pipelines; the drop reason (counted in `stats`), or None to keep it."""
        try:
            for pipeline in self.pipelines:
                item = pipeline.process_item(item)
        except DropItem as drop:
            return str(drop)
        return None
