"""Downloader middlewares: retries that back off, robots.txt status codes as RFC 9309 reads them,
the page's real charset, and skipping requests a resumed crawl already has done."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawl.encoding import page_encoding
from crawl.hooks import CrawlerComponent
from crawl.ids import record_id
from crawl.stats import DECODING, ROBOTS_UNAVAILABLE, count

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
    """Ignores article requests whose record is already in the output folder (resume without refetch),
    and any request this run already sent (the same article listed by the sitemap, the feed and a
    listing; a sitemap both restored from the JOBDIR queue and rediscovered from the start points).

    Requests restored from the JOBDIR queue bypass the spider and the seen-set, so the check sits
    here, in front of the downloader. Start points, robots.txt, retries and redirects pass; requests
    off the start URLs' hosts (a queue restored from an earlier run on another port) are ignored.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.sent: set[str | bytes] = set()

    def process_request(self, request: Request, spider=None) -> None:
        """Raise IgnoreRequest for an article already written or a request already sent."""
        meta = request.meta
        if meta.get("dont_obey_robotstxt"):
            return  # robots.txt, and where it redirects to (RFC 9309 2.3.1.2: other hosts too)
        if not self.crawler.spider.on_site(request.url):
            # e.g. a request restored from a JOBDIR written while the site was served on another port
            self.crawler.stats.inc_value("clsforge/skipped_off_host")
            raise IgnoreRequest(SKIPPED)
        if meta.get("start_url") or meta.get("retry_times") or meta.get("redirect_times"):
            return
        if meta.get("article"):
            key: str | bytes = record_id(request.url)
            if key in self.crawler.spider.output.ids:
                self.crawler.stats.inc_value("clsforge/skipped_finished")
                raise IgnoreRequest(SKIPPED)
        else:
            key = self.crawler.request_fingerprinter.fingerprint(request)
        if key in self.sent:
            raise IgnoreRequest(SKIPPED)
        self.sent.add(key)


class RobotsStatusMiddleware(CrawlerComponent):
    """Reads a robots.txt answer as RFC 9309 (2.3.1.2-2.3.1.4) says.

    Redirects are followed (Scrapy's RedirectMiddleware, up to REDIRECT_MAX_TIMES, other hosts
    included); the answer they end with counts, wherever it is. A final 5xx (after the retries) and
    an unreachable robots.txt (a network error after the retries, at its own host or where it
    redirects) mean "disallow all", recorded in robots_unavailable as `http_<status>` or
    `network_<error>`; a 4xx means "allow all", whatever body the error page has. Scrapy's
    RobotsTxtMiddleware parses any answer's body (a 503 page with no rules allowed everything) and
    allows everything after a download error. The robots request is told by its
    `dont_obey_robotstxt` meta, which redirects and retries keep. Placed below the retry middleware,
    this sees the answer or error that retries end with.
    """

    DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        """Replace the body of an unavailable or missing robots.txt by the rules it stands for."""
        if not _is_robots_request(request):
            return response
        if response.status >= 500:
            self._unavailable(request, f"http_{response.status}")
            return response.replace(body=self.DISALLOW_ALL)
        if response.status >= 400:
            return response.replace(body=b"")
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None) -> Response | None:
        """An unreachable robots.txt (after the retries) stands for "disallow all". An IgnoreRequest
        (a redirect loop past REDIRECT_MAX_TIMES) is left to Scrapy: RFC 9309 lets a crawler read
        it as an unavailable robots.txt, i.e. no restriction."""
        if not _is_robots_request(request) or isinstance(exception, IgnoreRequest):
            return None
        self._unavailable(request, f"network_{type(exception).__name__}")
        return Response(request.url, status=200, body=self.DISALLOW_ALL, request=request)

    def _unavailable(self, request: Request, reason: str) -> None:
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]  # the host the rules are for
        self.crawler.stats.set_value(ROBOTS_UNAVAILABLE + urlsplit(first_url).netloc, reason)


def _is_robots_request(request: Request) -> bool:
    """True for the robots.txt request of RobotsTxtMiddleware, or a redirect or retry of it."""
    first_url = (request.meta.get("redirect_urls") or [request.url])[0]
    return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(first_url).path == "/robots.txt"


class CharsetMiddleware(CrawlerComponent):
    """Decodes a page with its real charset (crawl.encoding.page_encoding): UTF-8 bytes served with a
    lying `charset=iso-8859-1` header become UTF-8 text, not mojibake. Counted in `decoding`."""

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        """The response, re-decoded when its declared charset is wrong."""
        if not isinstance(response, TextResponse):
            return response
        encoding = page_encoding(response)
        if encoding is None:
            return response
        count(self.crawler, DECODING, "header_overridden")
        return response.replace(encoding=encoding)
