"""Discovery: tell a sitemap index, a sitemap, a feed and an HTML page apart from the response
itself (not from the URL) and list the links each offers."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip

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
    """(all absolute links of an HTML page, its `rel=next` links)."""
    links = [urljoin(response.url, href.strip()) for href in response.css("a::attr(href)").getall()]
    next_links = [urljoin(response.url, href.strip()) for href in response.css('a[rel="next"]::attr(href), link[rel="next"]::attr(href)').getall()]
    return links, next_links
