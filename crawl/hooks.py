"""The base of clsforge's Scrapy components (pipelines, middlewares, extensions)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from typing import Self


class CrawlerComponent:
    """Keeps the crawler (settings, stats, spider) and provides Scrapy's `from_crawler` hook."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        return cls(crawler)
