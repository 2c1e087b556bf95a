"""Item pipelines, in order: quality gates -> dedup -> JSONL output (see crawl/settings.py)."""

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawl.stats import DROPPED, count


def drop(crawler: Crawler, reason: str) -> DropItem:
    """Count `reason` as a dropped record and return the DropItem to raise."""
    count(crawler, DROPPED, reason)
    return DropItem(reason)
