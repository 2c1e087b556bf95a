"""Downloader middlewares: retries that back off, and skipping articles a resumed crawl already has."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawl.hooks import CrawlerComponent
from crawl.ids import record_id

SKIPPED = "skipped: already in the output, already requested, or off the start hosts"


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware (5xx/429 and network errors), waiting before each retry.

    The wait doubles per attempt from RETRY_BACKOFF_BASE seconds up to RETRY_BACKOFF_MAX; a numeric
    `Retry-After` header on a 429/503 is honoured up to the same cap. Scrapy's own middleware retries
    at once, which is what hammers a struggling server.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_response(self, request: Request, response: Response, spider=None) -> Request | Response:
        """Retry like Scrapy does, after a backoff sleep."""
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await asyncio.sleep(self.backoff_delay(result.meta.get("retry_times", 1), response))
        return result

    def backoff_delay(self, attempt: int, response: Response | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        retry_after = response.headers.get(b"Retry-After", b"") if response is not None else b""
        if retry_after.strip().isdigit():
            return min(float(retry_after), self.backoff_max)
        return min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)


class FinishedArticleFilter(CrawlerComponent):
    """Ignores article requests whose record is already in the output folder (resume without refetch)
    or that this run already sent (the same article listed by the sitemap, the feed and a listing).

    Requests restored from the JOBDIR queue bypass the spider, so the check sits here, in front of
    the downloader. Retries and redirects of a request pass; requests off the start URLs' hosts
    (a queue restored from an earlier run on another port) are ignored.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.sent: set[str] = set()

    def process_request(self, request: Request, spider=None) -> None:
        """Raise IgnoreRequest for an article already written."""
        meta = request.meta
        if not self.crawler.spider.on_site(request.url):
            # e.g. a request restored from a JOBDIR written while the site was served on another port
            self.crawler.stats.inc_value("clsforge/skipped_off_host")
            raise IgnoreRequest(SKIPPED)
        if not meta.get("article") or meta.get("retry_times") or meta.get("redirect_times"):
            return
        article = record_id(request.url)
        if article in self.crawler.spider.output.ids:
            self.crawler.stats.inc_value("clsforge/skipped_finished")
            raise IgnoreRequest(SKIPPED)
        if article in self.sent:
            raise IgnoreRequest(SKIPPED)
        self.sent.add(article)
