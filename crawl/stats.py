"""Counted reasons: every dropped record and every bad page increments one named counter."""

from __future__ import annotations

from scrapy.crawler import Crawler

DROPPED = "clsforge/dropped/"
BAD_PAGES = "clsforge/bad_pages/"
START_FAILED = "clsforge/start_failed/"  # + start URL -> the reason it could not be fetched


def count(crawler: Crawler, group: str, reason: str) -> None:
    """Add one to `group + reason` in the crawler's stats (e.g. DROPPED + "no_summary")."""
    crawler.stats.inc_value(group + reason)


def counters(crawler: Crawler, group: str) -> dict[str, int]:
    """All counters of a group, without the prefix, sorted by name."""
    stats = crawler.stats.get_stats()
    return {key[len(group):]: value for key, value in sorted(stats.items()) if key.startswith(group)}
