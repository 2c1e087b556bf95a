"""Discovery: tell a sitemap index, a sitemap, a feed, an article page and a listing apart from the
response itself (not from the URL) and list the links each offers."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip

from crawl.jsonld import type_names

SITEMAP_INDEX, SITEMAP, FEED, HTML, OTHER = "sitemap_index", "sitemap", "feed", "html", "other"
TOO_LARGE = "too_large"  # a gzipped sitemap that unpacks past the size limit
_XML_KINDS = {"sitemapindex": SITEMAP_INDEX, "urlset": SITEMAP, "rss": FEED, "feed": FEED, "RDF": FEED}
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
# An XML declaration or a sitemap/feed root, after any whitespace and comments (checked lower-cased).
_XML_START = re.compile(rb"^(?:\s|<!--.*?-->)*<(?:\?xml|urlset|sitemapindex|rss|feed|rdf:rdf)\b", re.DOTALL)


def page_kind(response: Response, max_size: int = 0) -> tuple[str, etree._Element | None]:
    """The kind of a fetched page and, for XML kinds, its parsed root; a gzipped body is unpacked up
    to `max_size` bytes (0: no limit), past which the kind is TOO_LARGE."""
    body = response.body
    if body.startswith(_GZIP_MAGIC):  # sitemap.xml.gz served without Content-Encoding
        try:
            body = gunzip(body, max_size=max_size)
        except ValueError:  # Scrapy's decompression-size error
            return TOO_LARGE, None
    body = body.removeprefix(_BOM)
    head = body[:1024].lstrip().lower()
    if _XML_START.match(head):
        root = etree.fromstring(body, parser=_XML_PARSER)
        if root is not None:
            kind = _XML_KINDS.get(etree.QName(root).localname)
            if kind:
                return kind, root
    if isinstance(response, TextResponse) and (b"<html" in head or b"<!doctype html" in head or b"<body" in head):
        return HTML, None
    return OTHER, None


def xml_links(kind: str, root: etree._Element) -> list[str]:
    """The URLs a sitemap index, sitemap or RSS/Atom feed lists, in document order."""
    if kind in (SITEMAP_INDEX, SITEMAP):
        # only <url>/<sitemap> locations: an image or video sitemap's own <image:loc> are not pages
        locs = "//*[local-name()='url' or local-name()='sitemap']/*[local-name()='loc']/text()"
        return [loc.strip() for loc in root.xpath(locs)]
    links = root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
    links += root.xpath("//*[local-name()='entry']/*[local-name()='link']/@href")
    return [link.strip() for link in links]


def html_links(response: TextResponse) -> tuple[list[str], list[str]]:
    """(all absolute links of an HTML page, its `rel=next` links). A malformed href that cannot be
    made absolute (`http://[bad/...`: urljoin raises ValueError) is kept as it is, for the caller to
    count (`is_valid_url` is False for it), so one bad link never loses the page's other links."""
    links = [_absolute(response.url, href) for href in response.css("a::attr(href)").getall()]
    next_links = [_absolute(response.url, href)
                  for href in response.css('a[rel="next"]::attr(href), link[rel="next"]::attr(href)').getall()]
    return links, next_links


def is_valid_url(url: str) -> bool:
    """False for a URL that cannot be parsed or requested: an unclosed or invalid IPv6 bracket
    (`http://[bad/x`), an IPv4 address in brackets, a port out of range."""
    try:
        urlsplit(url).port  # noqa: B018 - parsing the port is the check
    except ValueError:
        return False
    return True


def _absolute(base: str, href: str) -> str:
    href = href.strip()
    try:
        return urljoin(base, href)
    except ValueError:
        return href


# og:type values that say a page is an article ("article:news" and "NewsArticle" are seen on real sites).
ARTICLE_OG_TYPES = {"article", "newsarticle", "news_article", "article:news"}
# og:type values (or their part before "."; video.other, music.song) that say a page is not an article.
# Any other value (news, blog, a typo) says nothing: sites put odd values there by template.
NON_ARTICLE_OG_TYPES = {"website", "profile", "book", "video", "music", "product", "place", "business"}
# schema.org types of a news or blog article (a page whose JSON-LD declares one is an article page).
ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                 "OpinionNewsArticle", "LiveBlogPosting", "Report"}


def article_signals(selector: Selector, body_selectors: tuple[str, ...] = ()) -> list[str]:
    """What in an HTML page says it is an article, whatever its URL looks like.

    Args:
        selector: the parsed page.
        body_selectors: the profile's article body containers (CSS); a page holding one is an article.

    Returns:
        The signals found, in this order: "og_type" (`og:type` is `article`, `article:news` or
        `NewsArticle`, any case and spacing), "json_ld" (a JSON-LD
        object typed NewsArticle, Article, BlogPosting, ...), "published_time"
        (`article:published_time`), "body_selector"; empty for a listing or an unknown page.
    """
    signals = []
    if _og_type(selector) in ARTICLE_OG_TYPES:
        signals.append("og_type")
    if ARTICLE_TYPES & _jsonld_types(selector):
        signals.append("json_ld")
    if selector.css('meta[property="article:published_time"]::attr(content)').get("").strip():
        signals.append("published_time")
    if any(selector.css(css) for css in body_selectors):
        signals.append("body_selector")
    return signals


def declares_non_article(selector: Selector) -> bool:
    """True when the page's og:type is a known non-article type (`NON_ARTICLE_OG_TYPES`: "website" on
    a category or tag page, "video.other", "profile"); other values and a missing og:type are not
    judged. The spider still reads a page with real article markup as an article whatever this says."""
    return _og_type(selector).split(".")[0] in NON_ARTICLE_OG_TYPES


def declares_video(selector: Selector) -> bool:
    """True when the page's og:type is a video (`video.other`, `video.episode`, ...): one clip, no article."""
    return _og_type(selector).startswith("video")


def _og_type(selector: Selector) -> str:
    return (selector.css('meta[property="og:type"]::attr(content)').get() or "").strip().lower()


def _jsonld_types(selector: Selector) -> set[str]:
    """The @type values of the page's top-level JSON-LD objects and their @graph members (not of
    nested values: a listing's ItemList of NewsArticle stays a listing). Invalid JSON is skipped."""
    types: set[str] = set()
    for script in selector.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(script, strict=False)  # strict=False: raw control characters, as sites ship them
        except ValueError:
            continue
        nodes = data if isinstance(data, list) else [data]
        nodes = nodes + [member for node in nodes if isinstance(node, dict) for member in node.get("@graph") or []]
        for node in nodes:
            if isinstance(node, dict):
                types.update(type_names(node))  # "http://schema.org/NewsArticle" -> "NewsArticle"
    return types
