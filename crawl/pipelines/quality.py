"""Quality gates: a record must have a Vietnamese summary of sane length and a real body."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawl.hooks import CrawlerComponent
from crawl.pipelines import drop
from crawl.text import looks_vietnamese, word_count


class QualityGatePipeline(CrawlerComponent):
    """Drops records with no/short/long/non-Vietnamese summary, no title or a short body, by reason.

    Settings: CLSFORGE_SUMMARY_MIN_WORDS, CLSFORGE_SUMMARY_MAX_WORDS, CLSFORGE_BODY_MIN_WORDS.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.summary_min = settings.getint("CLSFORGE_SUMMARY_MIN_WORDS")
        self.summary_max = settings.getint("CLSFORGE_SUMMARY_MAX_WORDS")
        self.body_min = settings.getint("CLSFORGE_BODY_MIN_WORDS")

    def process_item(self, item: dict) -> dict:
        """Pass `item` on, or raise DropItem with the first failed gate as reason."""
        reason = self.failed_gate(item)
        if reason:
            raise drop(self.crawler, reason)
        return item

    def failed_gate(self, item: dict) -> str | None:
        """The name of the first gate `item` fails, or None."""
        summary_words = word_count(item["summary"])
        if not item["summary"]:
            return "no_summary"
        if summary_words < self.summary_min:
            return "summary_too_short"
        if summary_words > self.summary_max:
            return "summary_too_long"
        if item["lang"] == "vi" and not looks_vietnamese(item["summary"]):
            return "summary_not_vietnamese"
        if not item["title"]:
            return "no_title"
        if word_count(item["text"]) < self.body_min:
            return "body_too_short"
        return None
