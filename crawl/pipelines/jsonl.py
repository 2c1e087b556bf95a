"""JSONL output: the record contract's fields, one line per record, flushed as it goes."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawl.hooks import CrawlerComponent
from crawl.pipelines import drop

RECORD_FIELDS = ("id", "url", "site", "lang", "title", "summary", "text", "published", "category", "crawled_at")


class JsonlWriterPipeline(CrawlerComponent):
    """Writes kept records to the output folder and stops the crawl at CLSFORGE_MAX_ARTICLES."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.max_articles = crawler.settings.getint("CLSFORGE_MAX_ARTICLES")

    def process_item(self, item: dict) -> dict:
        """Write `item` (contract fields only); close the spider once the cap is reached."""
        output = self.crawler.spider.output
        if self.max_articles and output.total >= self.max_articles:
            raise drop(self.crawler, "over_max_articles")
        output.write({key: item[key] for key in RECORD_FIELDS})
        if self.max_articles and output.total >= self.max_articles:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_articles"))
        return item

    def close_spider(self) -> None:
        """Close the part file."""
        self.crawler.spider.output.close()
