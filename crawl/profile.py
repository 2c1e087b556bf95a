"""What a site profile is: the data that tells the one spider how to read one news site.

A profile is data (start points, URL patterns, page layouts newest first, prefixes, site names,
lines to drop); the spider and the extractor interpret it. Adding a site means adding one
`SiteProfile` in `crawl/sites.py` and its fixtures (see docs/crawl.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from crawl.layout import Layout

# Lines no Vietnamese news body should keep, on every site (matched case-insensitively anywhere in
# the body; the group name is the counter in crawl_stats' boxes_dropped): photo credits and captions
# ("Ảnh: X", "(Ảnh: X)", "Ảnh minh họa" in either tone placement, short: "Ảnh hưởng ..." is text)
# and "read more" stubs (">> Xem thêm: ...", ">>Giá ...", "Tin liên quan"). A short last source
# credit ("Nguồn: X", "Theo X") is crawl.fields' credit rule: "Theo ..." also starts real sentences.
COMMON_DROP_LINES = (
    r"^\(?\s*(?P<caption_line>(Ảnh|Video|Clip|Đồ\s+h(ọa|oạ)|Nguồn ảnh)\s*:"
    r"|(Ảnh|Hình)\s+(minh\s+h(ọa|oạ)|tư\s+liệu)\b[^.!?]{0,60}$)",
    r"^(?P<read_more_line>>>|(Xem thêm|Đọc thêm|Tin liên quan|Bài liên quan)\b)",
)

# Byline prefixes on every site, generic included: "(Dân trí) - ", "(PLO)- " and the upper-case
# codes of Vietnamese news outlets and agencies "TTO - ", "TPO - ", "VTC News - " (location stamps
# "HÀ NỘI - " are handled in crawl.text). The codes are listed: any upper-case run before a dash
# would also take the subject of "ASEAN - Nhật Bản ..." or "HAGL - SLNA: ...".
AGENCY_CODES = (
    "TTO", "TNO", "TPO", "PLO", "NLĐO", "SGGPO", "SGGP", "HNMO", "TBTCO", "ANTĐO", "ANTĐ", "KTĐT", "GDTĐ", "GD&TĐ",
    "NDĐT", "QĐND", "CAND", "CATP", "ĐS&PL", "VOV", "VOH", "VTV", "VTC", "VNA", "TTXVN", "VNE", "VTC News",
)
COMMON_PREFIXES = (
    r"^\(\s*[^\W\d_][^()]{0,30}\)\s*[-–—:]?\s*",
    rf"^(?:{'|'.join(sorted(AGENCY_CODES, key=len, reverse=True))})\s*[-–—]\s+",
)

# Metadata selectors that every site carries (the meta layer, after the profile and JSON-LD layers).
META_OG_DESCRIPTION = 'meta[property="og:description"]::attr(content)'
META_DESCRIPTION = 'meta[name="description"]::attr(content)'
META_SITE_NAME = ('meta[property="og:site_name"]::attr(content)', 'meta[name="application-name"]::attr(content)')
META_TITLE = ('meta[property="og:title"]::attr(content)', "title::text")
# Not the page-wide `time[datetime]`: the first <time> of a page is often a header ticker's or a
# related article's, and microdata's itemprop=datePublished may be a teaser's: the date elements that
# are the article's are chosen in crawl.extract.article_times.
META_PUBLISHED = (
    'meta[property="article:published_time"]::attr(content)',
    'meta[name="pubdate"]::attr(content)',
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
        layouts: the site's page layouts, newest first (crawl/layout.py); empty for `generic`.
        site_names: names the site appends to titles and descriptions (" - VnExpress",
            " | Báo Dân trí"), stripped on every path; og:site_name is stripped as well.
        summary_prefixes: regexes stripped from the start of the summary ("(Dân trí) - "), before
            the common ones (`COMMON_PREFIXES`).
        drop_lines: regexes of body lines to drop (author lines, photo credits), before the common
            ones (`COMMON_DROP_LINES`); a named group names the line's counter in boxes_dropped
            (`(?P<author_line>...)`), else it counts as "drop_line".
        pagination: regex of listing-page URLs worth following for more article links.
        lang: language of the site's text (record field `lang`).
        utc_offset: offset assumed for dates written without one.
    """

    name: str
    start_urls: tuple[str, ...]
    article_path: str
    exclude_path: str = r"/(video|videos|podcast|tag|tags|topic|chu-de|su-kien|infographic|multimedia)(/|-|\.)"
    layouts: tuple[Layout, ...] = ()
    site_names: tuple[str, ...] = ()
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

    @property
    def body(self) -> tuple[str, ...]:
        """Body container selectors of every layout, newest first (a page holding one is an article)."""
        return tuple(dict.fromkeys(css for layout in self.layouts for css in layout.body))

    @property
    def summary(self) -> tuple[str, ...]:
        """Sapo selectors of every layout, newest first (pruned before trafilatura runs)."""
        return tuple(dict.fromkeys(css for layout in self.layouts for css in layout.summary))

    def fields_with_selectors(self) -> tuple[str, ...]:
        """The record fields among title, summary and text that some layout has selectors for: the
        fields the layout-drift alarm watches."""
        has = {
            "title": any(layout.title for layout in self.layouts),
            "summary": any(layout.summary for layout in self.layouts),
            "text": any(layout.body for layout in self.layouts),
        }
        return tuple(field for field, present in has.items() if present)

    def all_drop_lines(self) -> list[re.Pattern]:
        """Compiled body-line drop patterns: the profile's, then the common ones."""
        return [_regex(p) for p in self.drop_lines + COMMON_DROP_LINES]

    def prefix_patterns(self) -> list[re.Pattern]:
        """Compiled byline prefix patterns: the profile's, then the common ones."""
        return [_regex(p) for p in self.summary_prefixes] + list(_COMMON_PREFIX_PATTERNS)


_COMMON_PREFIX_PATTERNS = tuple(re.compile(p) for p in COMMON_PREFIXES)  # case matters: "TTO", not "Theo"


@cache
def _regex(pattern: str) -> re.Pattern:
    """A profile pattern compiled (case-insensitive) once per process."""
    return re.compile(pattern, re.IGNORECASE)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
