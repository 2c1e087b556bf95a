"""Scrapy extensions: crawl_stats.json at the end, and a progress bar on stderr."""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from crawl.drift import drift_warning, field_sources, layout_drift
from crawl.hooks import CrawlerComponent
from crawl.pipelines.sources import BOXES_DROPPED, FIELD_SOURCES, LAYOUTS
from crawl.stats import (
    BAD_PAGES, CANONICAL_IGNORED, DECODING, DISCOVERY, DROPPED, EXTRACTION_NOTES, FAILED_REQUESTS, PAGES_FETCHED,
    ROBOTS_UNAVAILABLE, START_FAILED, counters,
)


class CrawlStatsWriter(CrawlerComponent):
    """Writes `OUT/crawl_stats.json` (atomically) when the spider closes."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.started = time.monotonic()
        self.cpu_started = time.process_time()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_closed(self, spider, reason: str) -> None:
        """Gather the counters and write them next to the records."""
        stats = self.crawler.stats
        output = spider.output
        report = {
            "site": spider.profile.name,
            "start_urls": list(spider.start_urls),
            "finish_reason": reason,
            # every fetched page is one of: a record written, a record dropped, a discovery page, a bad
            # page, a page whose parsing raised (crawl.stats.page_outcomes adds them up)
            "pages_fetched": stats.get_value(PAGES_FETCHED, 0),
            "articles_kept": output.total,
            "articles_new": output.written,
            "articles_resumed": output.resumed,
            "dropped": counters(self.crawler, DROPPED),
            "discovery_pages": counters(self.crawler, DISCOVERY),
            "bad_pages": counters(self.crawler, BAD_PAGES),
            # a page that broke a callback, by exception type: logged, skipped (Scrapy's total left out)
            "errors": {kind: n for kind, n in counters(self.crawler, "spider_exceptions/").items() if kind != "count"},
            # requests that brought no page, and requests not sent
            "failed_requests": counters(self.crawler, FAILED_REQUESTS),
            "skipped_finished": stats.get_value("clsforge/skipped_finished", 0),
            "skipped_off_host": stats.get_value("clsforge/skipped_off_host", 0),
            "start_failed": counters(self.crawler, START_FAILED),
            "robots_forbidden": stats.get_value("robotstxt/forbidden", 0),
            "robots_unavailable": counters(self.crawler, ROBOTS_UNAVAILABLE),
            "responses_received": stats.get_value("response_received_count", 0),  # robots.txt, redirects, retries too
            "decoding": counters(self.crawler, DECODING),
            "canonical_ignored": counters(self.crawler, CANONICAL_IGNORED),
            "extraction_notes": counters(self.crawler, EXTRACTION_NOTES),
            "crawl_delay": counters(self.crawler, "clsforge/crawl_delay/"),
            **self.extraction_report(spider),
            "extract_cpu_s": round(stats.get_value("clsforge/extract_cpu_s", 0.0), 3),
            "process_cpu_s": round(time.process_time() - self.cpu_started, 3),
            "elapsed_s": round(time.monotonic() - self.started, 3),
        }
        write_json_atomic(output.folder / "crawl_stats.json", report)

    def extraction_report(self, spider) -> dict:
        """Which layer supplied each field of the kept articles, layouts, dropped boxes, and the
        layout-drift alarm (warned on stderr in one line when raised)."""
        settings = self.crawler.settings
        sources = field_sources(counters(self.crawler, FIELD_SOURCES))
        threshold = settings.getfloat("CLSFORGE_DRIFT_THRESHOLD")
        # The trafilatura-only baseline reads no layout on purpose: no layout can have drifted.
        watched = () if settings.getbool("CLSFORGE_TRAFILATURA_ONLY") else spider.profile.fields_with_selectors()
        drifted = layout_drift(sources, watched, threshold, settings.getint("CLSFORGE_DRIFT_MIN_ARTICLES"))
        articles = sum(sources.get("title", {}).values())
        if drifted:
            print(drift_warning(spider.profile.name, drifted, articles, threshold), file=sys.stderr, flush=True)
        return {
            "field_sources": sources,
            "layouts": counters(self.crawler, LAYOUTS),
            "boxes_dropped": counters(self.crawler, BOXES_DROPPED),
            "layout_drift": drifted,
        }


class RobotsCrawlDelay(CrawlerComponent):
    """Honours robots.txt `Crawl-delay` (Scrapy obeys Allow/Disallow but not the delay).

    The delay, capped at CLSFORGE_MAX_CRAWL_DELAY seconds, becomes the floor of the host's download
    slot delay; it is re-applied after every response because AutoThrottle moves the slot delay.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.delays: dict[str, float] = {}
        self.cap = crawler.settings.getfloat("CLSFORGE_MAX_CRAWL_DELAY")
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    def robots_parsed(self, robotparser, request) -> None:
        """Remember the host's Crawl-delay for our user agent."""
        delay = robotparser.crawl_delay(self.crawler.settings.get("USER_AGENT"))
        if delay:
            host = self.crawler.engine.downloader.get_slot_key(request)
            self.delays[host] = min(delay, self.cap)
            self._apply(host)

    def response_received(self, request) -> None:
        """Put the floor back under the slot delay (after AutoThrottle's adjustment)."""
        self._apply(self.crawler.engine.downloader.get_slot_key(request))

    def _apply(self, host: str) -> None:
        slot = self.crawler.engine.downloader.slots.get(host)
        if slot is not None and host in self.delays:
            slot.delay = max(slot.delay, self.delays[host])
            self.crawler.stats.set_value(f"clsforge/crawl_delay/{host}", slot.delay)  # as applied


class ProgressBar(CrawlerComponent):
    """A tqdm bar on stderr counting kept articles (total = CLSFORGE_MAX_ARTICLES when set)."""

    def __init__(self, crawler: Crawler):
        from tqdm import tqdm

        super().__init__(crawler)
        total = crawler.settings.getint("CLSFORGE_MAX_ARTICLES") or None
        self.bar = tqdm(total=total, unit="article", desc="crawl", disable=None)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def item_scraped(self) -> None:
        """One more article kept."""
        self.bar.update()

    def spider_closed(self) -> None:
        """Close the bar."""
        self.bar.close()


def write_json_atomic(path: Path, data: dict) -> None:
    """Write JSON to a temp file in the same folder, then rename it over `path`."""
    # Not tempfile.mkstemp, whose 0600 mode the stats file would keep: 0666 less the umask, as open() gives.
    temp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    os.replace(temp, path)
