"""Dedup: one record per canonical URL (the id) and per normalized body, across resumed runs too."""

from __future__ import annotations

from crawl.hooks import CrawlerComponent
from crawl.pipelines import drop
from crawl.text import body_key


class DedupPipeline(CrawlerComponent):
    """Drops a record whose id or body fingerprint is already in the output folder or this run."""

    def process_item(self, item: dict) -> dict:
        """Pass `item` on unless it duplicates a record already kept."""
        output = self.crawler.spider.output
        if item["id"] in output.ids:
            raise drop(self.crawler, "duplicate_url")
        if body_key(item["text"]) in output.body_keys:
            raise drop(self.crawler, "duplicate_body")
        return item
