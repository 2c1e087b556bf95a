"""Discovery: tell a sitemap index, a sitemap, a feed, an article page and a listing apart from the
response itself (not from the URL) and list the links each offers."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip

from crawl.jsonld import ARTICLE_TYPES, _node_urls, _url_key, documents, type_names  # one URL comparison for the crawl

SITEMAP_INDEX, SITEMAP, FEED, HTML, OTHER = "sitemap_index", "sitemap", "feed", "html", "other"
TOO_LARGE = "too_large"  # a gzipped sitemap that unpacks past the size limit
_XML_KINDS = {"sitemapindex": SITEMAP_INDEX, "urlset": SITEMAP, "rss": FEED, "feed": FEED, "RDF": FEED}
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_HTTP = re.compile(r"https?://\S", re.IGNORECASE)  # a guid or rdf:about that is a URL to fetch
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
    """The URLs a sitemap index, sitemap or RSS/Atom feed lists, in document order (`xml_entries`
    without its count of entries that name no URL)."""
    return xml_entries(kind, root)[0]


def xml_entries(kind: str, root: etree._Element) -> tuple[list[str], int]:
    """(the URLs a sitemap index, sitemap or RSS/Atom feed lists, in document order; how many of its
    feed items name no usable URL).

    An RSS item's URL is its `<link>`, else its `<guid>` when that is a permalink: `isPermaLink`
    absent or "true" (RSS 2.0's default) and an http(s) URL (a guid such as "vne-4796501" or
    `isPermaLink="false"` names no page). An Atom entry's URL is its `rel="alternate"` link (a link
    without `rel` is one, RFC 4287 4.2.7.2); `enclosure`, `replies`, `self`, `edit` and `related`
    links name no article page.
    """
    if kind in (SITEMAP_INDEX, SITEMAP):
        # only <url>/<sitemap> locations: an image or video sitemap's own <image:loc> are not pages
        locs = "//*[local-name()='url' or local-name()='sitemap']/*[local-name()='loc']/text()"
        return [loc.strip() for loc in root.xpath(locs)], 0
    links, missing = [], 0
    for item in root.xpath("//*[local-name()='item' or local-name()='entry']"):
        link = _rss_link(item) if etree.QName(item).localname == "item" else _atom_link(item)
        if link:
            links.append(link)
        else:
            missing += 1
    return links, missing


def _rss_link(item: etree._Element) -> str:
    for link in item.xpath("*[local-name()='link']/text()"):
        if link.strip():
            return link.strip()
    for guid in item.xpath("*[local-name()='guid']"):
        text = (guid.text or "").strip()
        if guid.get("isPermaLink", "true").strip().lower() == "true" and _is_http(text):
            return text
    # RSS 1.0 (RDF): the item's rdf:about is its URL
    about = (item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or "").strip()
    return about if _is_http(about) else ""


def _atom_link(entry: etree._Element) -> str:
    for link in entry.xpath("*[local-name()='link']"):
        href = (link.get("href") or "").strip()
        if href and (link.get("rel") or "alternate").strip().lower() == "alternate":
            return href
    return ""


def _is_http(text: str) -> bool:
    return bool(_HTTP.match(text))


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


def article_signals(selector: Selector, body_selectors: tuple[str, ...] = (), url: str = "") -> list[str]:
    """What in an HTML page says it is an article, whatever its URL looks like.

    Args:
        selector: the parsed page.
        body_selectors: the profile's article body containers (CSS); a page holding one is an article.
        url: the fetched URL; with the page's `rel=canonical`, what a JSON-LD article must name
            (`jsonld_names_page`). "" (no URL known): a single JSON-LD article naming any URL counts.

    Returns:
        The signals found, in this order: "og_type" (`og:type` is `article`, `article:news` or
        `NewsArticle`, any case and spacing), "json_ld" (the page's JSON-LD article object:
        `jsonld_names_page`), "published_time" (`article:published_time`), "body_selector"; empty
        for a listing or an unknown page.
    """
    signals = []
    if _og_type(selector) in ARTICLE_OG_TYPES:
        signals.append("og_type")
    if jsonld_names_page(selector, url):
        signals.append("json_ld")
    if selector.css('meta[property="article:published_time"]::attr(content)').get("").strip():
        signals.append("published_time")
    if any(selector.css(css) for css in body_selectors):
        signals.append("body_selector")
    return signals


def jsonld_names_page(selector: Selector, url: str = "") -> bool:
    """True when the page's JSON-LD says the page itself is an article.

    The article objects (typed NewsArticle, Article, BlogPosting, ...: `ARTICLE_TYPES`) read are the
    page's own: top-level objects, members of a top-level array or `@graph`, and a page node's
    `mainEntity` (which takes the page node's URL when it names none); not nested values (a
    listing's `ItemList` of NewsArticle). The page is an article when one of them names the page
    (its `url`, `@id` or `mainEntityOfPage` is the fetched `url` or the page's `rel=canonical`, as
    crawl.jsonld compares URLs: scheme, `www.`/`m.`, a trailing slash and the fragment left out),
    or when there is exactly one and it names no URL (or only the site root). Several article
    objects none of which names the page (a CMS's one teaser object per listed article), or one
    naming another URL, are a listing's, and so are several with different headlines that all name
    the page (teasers whose `mainEntityOfPage` is the listing). Without `url`, one article object is
    enough.
    """
    articles = [(node, inherited) for node, inherited in _top_level_nodes(selector, url)
                if ARTICLE_TYPES & type_names(node)]
    canonical = (selector.css('link[rel="canonical"]::attr(href)').get() or "").strip()
    page_urls = [_absolute(url, href) for href in (url, canonical) if href] if url else []
    page = {_url_key(page_url) for page_url in page_urls} - {None}
    named = [(_node_urls(node, url) or inherited) for node, inherited in articles]
    naming = [node for (node, _), names in zip(articles, named) if names & page]
    if naming:
        # Several articles with different headlines all naming the page (teasers whose mainEntityOfPage is
        # the listing) are a listing's; one article, or copies of it (NewsArticle + Article), the page's.
        return len({str(node.get("headline") or node.get("name") or "").strip() for node in naming}) == 1
    return len(articles) == 1 and (not named[0] or not page)


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


def _top_level_nodes(selector: Selector, base: str) -> list[tuple[dict, set]]:
    """The page's own JSON-LD objects (`jsonld_names_page`), each with the URL keys it inherits from
    the page node whose `mainEntity` it is; scripts are read as sites ship them (crawl.jsonld.documents:
    trailing commas, CDATA and comment wrappers, several objects in one script)."""
    found: list[tuple[dict, set]] = []
    for data in documents(selector):
        nodes = [node for node in (data if isinstance(data, list) else [data]) if isinstance(node, dict)]
        nodes += [member for node in nodes for member in _as_list(node.get("@graph")) if isinstance(member, dict)]
        for node in nodes:
            found.append((node, set()))
            main = node.get("mainEntity")
            if isinstance(main, dict):
                found.append((main, _node_urls(node, base)))
    return found


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []
