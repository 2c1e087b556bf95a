"""The one news spider: discovery from sitemaps/feeds/listings, extraction of article pages.

Every response goes through `parse` and ends as exactly one counted outcome: an article page
becomes a record candidate (kept or dropped by reason in the pipelines); a sitemap index, sitemap,
feed or HTML listing is a discovery page that yields more requests; anything else is a bad page.
What a page is comes from the page itself (its XML root; for HTML its og:type, JSON-LD, article
meta and the profile's body containers) as well as from its URL. Listing pagination is capped
(CLSFORGE_MAX_LISTING_PAGES) against endless pagination traps.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from crawl.discovery import (
    FEED, HTML, SITEMAP, SITEMAP_INDEX, TOO_LARGE, article_signals, declares_non_article, declares_video, html_links,
    is_valid_url,
    page_kind, xml_entries,
)
from crawl.extract import extract_article
from crawl.ids import record_id
from crawl.middlewares import SKIPPED
from crawl.output import OutputState
from crawl.sites import get_profile
from crawl.stats import (
    BAD_PAGES, CANONICAL_IGNORED, DECODING, DISCOVERY, DROPPED, EXTRACTION_NOTES, FAILED_REQUESTS, PAGES_FETCHED,
    ROBOTS_UNAVAILABLE, START_FAILED, count,
)

ARTICLE, LISTING, NOT_ARTICLE_OG_TYPE = "article", "listing", "not_article_og_type"  # what an HTML page is
VIDEO_PAGE = "video_page"  # dropped: og:type video.* (its links are still followed, as a listing's)


class NewsSpider(scrapy.Spider):
    """Crawls one site profile; settings CLSFORGE_SITE, CLSFORGE_START_URLS, CLSFORGE_OUT."""

    name = "news"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs) -> NewsSpider:
        """Build the spider from the crawl settings and load the output folder's existing records."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.profile = get_profile(settings.get("CLSFORGE_SITE"))
        spider.start_urls = settings.getlist("CLSFORGE_START_URLS") or list(spider.profile.start_urls)
        if not spider.start_urls:
            raise ValueError(f"site {spider.profile.name!r} has no default start points; pass --start-url")
        spider.hosts = {site_host(url) for url in spider.start_urls}
        spider.max_listing_pages = settings.getint("CLSFORGE_MAX_LISTING_PAGES")
        spider.trafilatura_only = settings.getbool("CLSFORGE_TRAFILATURA_ONLY")
        spider.lang = settings.get("CLSFORGE_LANG") or spider.profile.lang
        spider.output = OutputState.load(Path(settings.get("CLSFORGE_OUT")))
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The start points, always refetched (a resumed crawl rediscovers from them); none when the
        output folder already holds --max-articles records."""
        cap = self.settings.getint("CLSFORGE_MAX_ARTICLES")
        if cap and self.output.total >= cap:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_articles"))
            return
        for url in self.start_urls:
            yield scrapy.Request(
                url, callback=self.parse, errback=self.count_failure, dont_filter=True, meta={"start_url": True}
            )

    def parse(self, response: Response, **kwargs) -> Iterator[scrapy.Request | dict]:
        """Route a response: an article page becomes a record, a sitemap/feed/listing is discovery."""
        self.crawler.stats.inc_value(PAGES_FETCHED)
        kind, root = page_kind(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
        if kind in (SITEMAP_INDEX, SITEMAP, FEED):
            links, unlinked = xml_entries(kind, root)
            requests = list(self.follow_all(links, response))
            if unlinked:  # feed items naming no URL: no request, but counted
                self.crawler.stats.inc_value(FAILED_REQUESTS + "feed_item_without_link", unlinked)
            count(self.crawler, DISCOVERY, kind)
            yield from requests
        elif kind == HTML:
            started = time.process_time()  # telling an article page is part of its extraction cost
            role = self.html_page_role(response)
            if role == ARTICLE:
                yield self.article_record(response, started)
                if not self.profile.is_article_url(response.url):
                    # a page told an article by its markup alone (a start page, a listing's next page)
                    # may be a listing that misuses og:type or dates: its article and pagination links
                    # are followed as well
                    yield from self.follow_listing(response)
            elif role == NOT_ARTICLE_OG_TYPE:
                # an article URL whose og:type says video/profile/website and that has no article
                # markup: not a record, counted as a drop; its links are followed like a listing's
                requests = list(self.follow_listing(response))
                count(self.crawler, DROPPED, VIDEO_PAGE if declares_video(response.selector) else NOT_ARTICLE_OG_TYPE)
                yield from requests
            else:
                requests = list(self.follow_listing(response))
                # a video clip (og:type video.*) is a page of content the crawl cannot use, not a listing
                video = declares_video(response.selector)
                count(self.crawler, *((DROPPED, VIDEO_PAGE) if video else (DISCOVERY, "listing")))
                yield from requests
        elif kind == TOO_LARGE:
            count(self.crawler, BAD_PAGES, "too_large")
        elif response.meta.get("article"):
            count(self.crawler, BAD_PAGES, "not_text")  # a PDF or image at an article URL
        else:
            count(self.crawler, BAD_PAGES, "not_a_page")

    def html_page_role(self, response: TextResponse) -> str:
        """ARTICLE, LISTING or NOT_ARTICLE_OG_TYPE for an HTML page.

        A page the profile excludes (video, tag paths) is a listing. A page with real article markup
        (JSON-LD NewsArticle, or an article URL holding the profile's body container) is an article
        whatever its og:type says (sites set "website" on every page by template). Otherwise a known
        non-article og:type (crawl.discovery.NON_ARTICLE_OG_TYPES) makes a listing of a non-article
        URL, and sets aside an article URL of a site profile as NOT_ARTICLE_OG_TYPE (counted as a
        drop: an article whose layout drifted must not vanish among the listings; `generic`, whose
        article pattern is a guess at any long slug, reads it as a listing, a category page); else
        the page is an article when its URL matches the profile's article pattern or the page says
        so (og:type article, JSON-LD, article:published_time, a body container).
        """
        path = urlsplit(response.url).path
        if re.search(self.profile.exclude_path, path, re.IGNORECASE):
            return LISTING
        signals = article_signals(response.selector, self.profile.body, response.url)
        article_url = self.profile.is_article_url(response.url)
        if "json_ld" in signals or (article_url and "body_selector" in signals):
            return ARTICLE
        if declares_non_article(response.selector):
            return NOT_ARTICLE_OG_TYPE if article_url and self.profile.layouts else LISTING
        return ARTICLE if article_url or signals else LISTING

    def article_record(self, response: TextResponse, started: float) -> dict:
        """Extract one article page into a record candidate; the CPU time since `started` (parsing the
        page and telling it is an article included) is counted as extraction time."""
        if not_utf8(response):
            count(self.crawler, DECODING, "non_utf8")
        fields = extract_article(response.selector, response.url, self.profile, trafilatura_only=self.trafilatura_only)
        self.crawler.stats.inc_value("clsforge/extract_cpu_s", time.process_time() - started)
        if fields["extraction"].get("canonical_ignored"):  # the fetched URL is the record's: say why
            count(self.crawler, CANONICAL_IGNORED, fields["extraction"]["canonical_ignored"])
        for note, number in fields["extraction"].get("notes", {}).items():  # JSON-LD unreadable, sapo repaired
            self.crawler.stats.inc_value(EXTRACTION_NOTES + note, number)
        return {
            "id": record_id(fields["url"]),
            "site": self.profile.name,
            "lang": self.lang,
            **fields,
            "crawled_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    def follow_all(self, urls: list[str], response: Response) -> Iterator[scrapy.Request]:
        """Requests for the article and discovery URLs among `urls` (same hosts only); a malformed
        URL is skipped and counted (failed_requests.malformed_link)."""
        for url in self.valid_links(urls):
            if not self.on_site(url):
                continue
            if self.profile.is_article_url(url):
                yield self.article_request(url)
            else:
                yield response.follow(url, callback=self.parse, errback=self.count_failure)

    def follow_listing(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Article links of an HTML listing, plus its next pages up to the pagination cap."""
        links, next_links = html_links(response)
        pages_deep = response.meta.get("listing_pages", 0)
        for url in self.valid_links(dict.fromkeys(links)):
            if not self.on_site(url):
                continue
            if self.profile.is_article_url(url):
                yield self.article_request(url)
            elif url in next_links or self.profile.is_pagination_url(url):
                if pages_deep >= self.max_listing_pages:
                    count(self.crawler, FAILED_REQUESTS, "pagination_limit")
                    continue
                yield response.follow(
                    url, callback=self.parse, errback=self.count_failure, meta={"listing_pages": pages_deep + 1}
                )

    def valid_links(self, urls) -> Iterator[str]:
        """`urls` without the malformed ones (crawl.discovery.is_valid_url), each counted as
        failed_requests.malformed_link: one bad link never loses a listing's or a sitemap's others."""
        for url in urls:
            if is_valid_url(url):
                yield url
            else:
                count(self.crawler, FAILED_REQUESTS, "malformed_link")

    def on_site(self, url: str) -> bool:
        """True when `url` is on one of the start URLs' hosts (www. or not, same port)."""
        return site_host(url) in self.hosts

    def article_request(self, url: str) -> scrapy.Request:
        """A request for an article page; dedup is by record id (output state), not Scrapy's seen-set,
        so an article lost in flight when a crawl was killed is fetched again on resume."""
        return scrapy.Request(
            url, callback=self.parse, errback=self.count_failure, dont_filter=True, meta={"article": True},
            priority=10,
        )

    def count_failure(self, failure: Failure) -> None:
        """Count a failed request by reason: an HTTP error status is a fetched bad page; a redirect
        loop, a page over the size limit or a network error brought no page; robots.txt refusals
        and skipped requests are counted elsewhere."""
        group = FAILED_REQUESTS
        if failure.check(HttpError):
            self.crawler.stats.inc_value(PAGES_FETCHED)
            group, reason = BAD_PAGES, f"http_{failure.value.response.status}"
        elif failure.check(IgnoreRequest):
            message = str(failure.value)
            if "robots.txt" in message and failure.request.meta.get("start_url"):
                # A robots.txt that could not be read (network error, 5xx) forbids everything (RFC 9309):
                # name that cause, so a host that is down does not read as a host that forbids crawling.
                unavailable = self.crawler.stats.get_value(ROBOTS_UNAVAILABLE + urlsplit(failure.request.url).netloc)
                reason = f"robots_unavailable_{unavailable}" if unavailable else "robots_forbidden"
                self.crawler.stats.set_value(START_FAILED + failure.request.url, reason)
            if "robots.txt" in message or message == SKIPPED:
                return  # counted by Scrapy as robotstxt/forbidden, or skipped on purpose
            reason = "redirect_loop" if "redirections" in message else "ignored"
        elif "max size" in str(failure.value):
            reason = "too_large"
        else:
            reason = f"network_{type(failure.value).__name__}"
        count(self.crawler, group, reason)
        if failure.request.meta.get("start_url"):
            self.crawler.stats.set_value(START_FAILED + failure.request.url, reason)


def not_utf8(response: TextResponse) -> bool:
    """True when the page decodes with a charset other than UTF-8 (declared, or guessed for non-ASCII bytes).

    An all-ASCII body reads the same in any charset Scrapy would pick (it guesses cp1252 when nothing
    is declared), so it is not counted.
    """
    return response.encoding.lower().replace("-", "") not in ("utf8", "ascii") and not response.body.isascii()


def site_host(url: str) -> str:
    """The host (with port) of `url`, lower-cased, without a leading "www."."""
    return urlsplit(url).netloc.lower().removeprefix("www.")
