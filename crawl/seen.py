"""The seen-set of one run: Scrapy's duplicate filter, not persisted in JOBDIR.

Scrapy writes a request's fingerprint to `JOBDIR/requests.seen` when the request is scheduled, but
its disk queue is only consistent after a clean stop: after a SIGKILL a sitemap can be marked seen
and lost from the queue, and a resumed crawl filters it forever (scrapy/scrapy#4479), losing every
article under it. So the seen-set lives in memory only: a resumed crawl walks the discovery pages
again from the start points (sitemaps, feeds, listings: cheap), while finished articles are
skipped by their records in the output folder (`crawl.middlewares.FinishedArticleFilter`). No URL
discovered before a kill, at any depth, is lost.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter


class RunSeenFilter(RFPDupeFilter):
    """RFPDupeFilter without the JOBDIR file (DUPEFILTER_CLASS)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """An in-memory filter whatever JOBDIR is."""
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)
