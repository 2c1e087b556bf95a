"""Counted reasons: every dropped record, every fetched page and every failed request increments one
named counter, so that crawl_stats.json adds up (see `page_outcomes`)."""

from __future__ import annotations

from scrapy.crawler import Crawler

PAGES_FETCHED = "clsforge/pages_fetched"  # pages handed to the spider (final answers: after redirects and retries)
DROPPED = "clsforge/dropped/"  # + reason: a record candidate not kept
DISCOVERY = "clsforge/discovery_pages/"  # + kind: a sitemap index, sitemap, feed or listing page
BAD_PAGES = "clsforge/bad_pages/"  # + reason: a fetched page that is neither a record candidate nor discovery
FAILED_REQUESTS = "clsforge/failed_requests/"  # + reason: a request that brought no page
DECODING = "clsforge/decoding/"  # + what: charset notes on pages (not outcomes)
CANONICAL_IGNORED = "clsforge/canonical_ignored/"  # + why: article pages whose rel=canonical was not taken (not outcomes)
EXTRACTION_NOTES = "clsforge/extraction_notes/"  # + note: what extraction repaired or could not read, per article page (not outcomes)
START_FAILED = "clsforge/start_failed/"  # + start URL -> the reason it could not be fetched
ROBOTS_UNAVAILABLE = "clsforge/robots_unavailable/"  # + host -> the robots.txt status read as "disallow all"


def count(crawler: Crawler, group: str, reason: str) -> None:
    """Add one to `group + reason` in the crawler's stats (e.g. DROPPED + "no_summary")."""
    crawler.stats.inc_value(group + reason)


def counters(crawler: Crawler, group: str) -> dict[str, int]:
    """All counters of a group, without the prefix, sorted by name."""
    stats = crawler.stats.get_stats()
    return {key[len(group):]: value for key, value in sorted(stats.items()) if key.startswith(group)}


def page_outcomes(report: dict) -> int:
    """The fetched pages a crawl_stats report accounts for: records written, records dropped, discovery
    pages, bad pages and pages whose parsing raised. Equal to `report["pages_fetched"]`: every fetched
    page ends as exactly one of these."""
    return (report["articles_new"] + sum(report["dropped"].values()) + sum(report["discovery_pages"].values())
            + sum(report["bad_pages"].values()) + sum(report["errors"].values()))
