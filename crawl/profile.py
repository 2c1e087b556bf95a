"""What a site profile is: the data that tells the one spider how to read one news site.

A profile is data (start points, URL patterns, ordered selector fallbacks, prefixes, lines to drop);
the spider and the extractor interpret it. Adding a site means adding one `SiteProfile` in
`crawl/sites.py` and one fixture test (see docs/crawl.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

# Lines no Vietnamese news body should keep, on every site: photo credits and "read more" stubs.
COMMON_DROP_LINES = (
    r"^(Ảnh|Video|Clip|Đồ họa|Nguồn ảnh)\s*:",
    r"^(>>|Xem thêm|Đọc thêm|Tin liên quan)\b",
)

# Metadata selectors that every site carries; profiles put their own selectors in front of these.
META_SUMMARY = ('meta[name="description"]::attr(content)', 'meta[property="og:description"]::attr(content)')
META_TITLE = ('meta[property="og:title"]::attr(content)', "title::text")
META_PUBLISHED = (
    'meta[property="article:published_time"]::attr(content)',
    'meta[itemprop="datePublished"]::attr(content)',
    'meta[name="pubdate"]::attr(content)',
    "time[datetime]::attr(datetime)",
)
META_CATEGORY = ('meta[property="article:section"]::attr(content)',)

# Listing pagination as the Vietnamese sites write it: ?page=N, /trang-N.htm, -pN, -pageN, /page/N.
DEFAULT_PAGINATION = r"([?&](page|p)=\d+|/trang-\d+\.html?$|-p\d+$|-page\d+$|/page/\d+/?$)"


@dataclass(frozen=True)
class SiteProfile:
    """How to crawl and read one site.

    Attributes:
        name: profile name used on the command line (`--site`).
        start_urls: default start points (sitemaps, RSS feeds, listing pages) on the live site.
        article_path: regex searched in the URL *path* (+ query) that marks an article page, so a
            fixture copy of the site served from 127.0.0.1 is recognised like the real one.
        exclude_path: regex of paths that are never articles (video, tag, podcast pages).
        title / summary / body / published / category: ordered CSS selectors; the first that yields
            text wins. `summary` and `body` select elements; the others may use `::text`/`::attr()`.
        paragraphs: CSS selector, relative to the body element, of the blocks that make up the text.
        drop: CSS selectors of elements removed from the summary and the body (location stamps,
            author lines, photo captions, related-article boxes).
        summary_prefixes: regexes stripped from the start of the summary ("(Dân trí) - ").
        drop_lines: regexes of body lines to drop (author lines, photo credits).
        pagination: regex of listing-page URLs worth following for more article links.
        lang: language of the site's text (record field `lang`).
        utc_offset: offset assumed for dates written without one.
    """

    name: str
    start_urls: tuple[str, ...]
    article_path: str
    exclude_path: str = r"/(video|videos|podcast|tag|tags|topic|chu-de|su-kien|infographic|multimedia)(/|-|\.)"
    title: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    paragraphs: str = "p, h2, h3"
    published: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    summary_prefixes: tuple[str, ...] = ()
    drop_lines: tuple[str, ...] = ()
    pagination: str = DEFAULT_PAGINATION
    lang: str = "vi"
    utc_offset: str = "+07:00"

    def is_article_url(self, url: str) -> bool:
        """True when `url`'s path looks like one of this site's article pages."""
        path = _path_and_query(url)
        return bool(_regex(self.article_path).search(path)) and not _regex(self.exclude_path).search(path)

    def is_pagination_url(self, url: str) -> bool:
        """True when `url` looks like a further page of a listing."""
        return bool(_regex(self.pagination).search(_path_and_query(url)))

    def title_selectors(self) -> tuple[str, ...]:
        """Profile title selectors, then the meta fallbacks."""
        return self.title + META_TITLE

    def published_selectors(self) -> tuple[str, ...]:
        """Profile date selectors, then the meta/time fallbacks."""
        return self.published + META_PUBLISHED

    def category_selectors(self) -> tuple[str, ...]:
        """Profile category selectors, then article:section."""
        return self.category + META_CATEGORY

    def all_drop_lines(self) -> list[re.Pattern]:
        """Compiled body-line drop patterns: the profile's, then the common ones."""
        return [_regex(p) for p in self.drop_lines + COMMON_DROP_LINES]

    def prefix_patterns(self) -> list[re.Pattern]:
        """Compiled summary prefix patterns."""
        return [_regex(p) for p in self.summary_prefixes]


@cache
def _regex(pattern: str) -> re.Pattern:
    """A profile pattern compiled (case-insensitive) once per process."""
    return re.compile(pattern, re.IGNORECASE)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
