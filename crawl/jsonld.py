"""The JSON-LD layer: a page's schema.org `NewsArticle` (or `Article`, `ReportageNewsArticle`, ...).

Read after the profile's selectors and before the meta tags. Scripts that are not valid JSON are
skipped (sites ship trailing commas and raw control characters; `strict=False` accepts the latter).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

from parsel import Selector

ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                 "OpinionNewsArticle", "LiveBlogPosting", "Report"}


def news_article(selector: Selector) -> dict:
    """The page's first article object, as {"headline", "description", "datePublished",
    "articleSection", "articleBody", "publisher"} strings (missing keys absent); {} without one."""
    for node in _nodes(selector):
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(kind, str) and kind in ARTICLE_TYPES for kind in types):
            return _fields(node)
    return {}


def _nodes(selector: Selector) -> Iterator[dict]:
    """Every JSON object of the page's ld+json scripts, `@graph` members and list items included."""
    for script in selector.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(script, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack[:0] = item["@graph"]


def _fields(node: dict) -> dict:
    fields = {}
    for key in ("headline", "description", "datePublished", "articleSection", "articleBody"):
        value = node.get(key)
        if isinstance(value, list):  # articleSection may be a list: the first is the section
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            fields[key] = html.unescape(value)  # some CMSs store the HTML-escaped text
    publisher = node.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        fields["publisher"] = html.unescape(publisher["name"])
    return fields
