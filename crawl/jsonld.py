"""The JSON-LD layer: a page's schema.org `NewsArticle` (or `Article`, `ReportageNewsArticle`, ...).

Read after the profile's selectors and before the meta tags. Scripts are read as sites ship them
(`documents`): any `type` whose media type is `application/ld+json` (`; charset=utf-8`, any case),
a BOM and `<!-- -->` / `//<![CDATA[ ... //]]>` wrappers stripped, trailing commas before `}`/`]`
dropped (outside strings), raw control characters accepted (`strict=False`), and several objects
in one script (`{...}{...}`, `{...},{...}`) read one after the other. What still cannot be read is
counted (`jsonld_unreadable`, an extraction note in crawl_stats.json), never skipped in silence.

Which node is the page's: pages also carry related articles, an `ItemList` of them or a second
`NewsArticle` block. An article node whose `url`, `@id` or `mainEntityOfPage` names the page (its
fetched or canonical URL; scheme, `www.`/`m.`, a trailing slash and the fragment left out) wins;
else the first article node naming no URL but the site root (an article nested as a page's
`mainEntity` takes the page node's URL); an article node naming only other URLs is never the page's. Types are read as
short names or full IRIs (`http://schema.org/NewsArticle`), at any depth of nesting.

Text values may hold HTML (CMSs put the body's markup in `articleBody`, sometimes HTML-escaped): it
is parsed as an HTML fragment (lxml, as the rest of the crawl) and read as text blocks, one line per
`<p>`/`<br>` block, entities decoded; no tag reaches a record. In `articleBody` the named boxes a
body container loses (captions, author lines, related boxes: crawl/layout.py BOXES) are left out
and counted.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree, html as lxml_html
from parsel import Selector
from w3lib.url import canonicalize_url

from crawl.blocks import count_boxes, named_boxes, text_blocks
from crawl.layout import BOXES

ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                 "OpinionNewsArticle", "LiveBlogPosting", "Report"}
TEXT_KEYS = ("headline", "description", "datePublished", "articleSection", "articleBody")
URL_KEYS = ("url", "@id", "mainEntityOfPage")
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")  # a start or end tag, not "a < b"
_HOST_PREFIXES = ("www.", "m.")


MEDIA_TYPE = "application/ld+json"
UNREADABLE = "jsonld_unreadable"  # the extraction note: a script (or its rest) that is not JSON even after repair
_SCRIPTS = etree.XPath("//script[@type]")
# Wrappers around the JSON, stripped from both ends in any order: a BOM, HTML comment and CDATA
# markers, alone or commented out with // or /* */ (`//<![CDATA[`, `/*]]>*/`), a closing semicolon.
_WRAPPERS = ("\ufeff", "<!--", "-->", "<![CDATA[", "]]>", "//", "/*", "*/", ";")
# A JSON string, or a comma followed (across spaces) by a closing bracket: strings are matched first
# so a ",}" inside one is left alone.
_STRING_OR_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*")|,(\s*[}\]])', re.DOTALL)
_BETWEEN = re.compile(r"[\s,;]*")  # what separates objects written one after the other
_DECODER = json.JSONDecoder(strict=False)  # strict=False: raw control characters in strings, as sites ship them


def documents(selector: Selector, notes: Counter | None = None) -> list:
    """The JSON values of the page's JSON-LD scripts, in document order, read as sites ship them.

    Hand-written rather than json5/demjson: those accept trailing commas and comments but neither
    the HTML/CDATA wrappers nor several objects in one script, and a pure-Python parser would cost
    more than the rest of the extraction; the repair is three regexes around the stdlib decoder.

    Args:
        selector: the parsed page.
        notes: a Counter; each script (or rest of a script) that cannot be read adds one to
            `notes["jsonld_unreadable"]`.

    Returns:
        One value per JSON object or array found (a script may hold several).
    """
    found: list = []
    for script in _SCRIPTS(selector.root) if not isinstance(selector.root, str) else ():
        if script.get("type", "").split(";")[0].strip().lower() != MEDIA_TYPE:
            continue
        values, readable = _read_script(script.text or "")
        found.extend(values)
        if not readable and notes is not None:
            notes[UNREADABLE] += 1
    return found


def _read_script(text: str) -> tuple[list, bool]:
    """The values in one script's text, and whether all of it could be read."""
    text = _unwrapped(text)
    values, readable = _decoded(text)
    if readable:
        return values, True
    # only then the trailing-comma repair (a callback per string of the script: not on every page)
    return _decoded(_STRING_OR_TRAILING_COMMA.sub(lambda match: match.group(1) or match.group(2), text))


def _decoded(text: str) -> tuple[list, bool]:
    """The JSON values written one after the other in `text`, and whether all of it was read."""
    values, position = [], 0
    while position < len(text):
        try:
            value, position = _DECODER.raw_decode(text, position)
        except (ValueError, RecursionError):  # RecursionError: a script nested thousands deep
            return values, False
        values.append(value)
        position = _BETWEEN.match(text, position).end()
    return values, True


def _unwrapped(text: str) -> str:
    """`text` without the wrappers around its JSON (a loop of prefix/suffix checks: linear, where
    one regex of alternatives would backtrack over long runs of spaces)."""
    previous = None
    while text != previous:
        previous = text = text.strip()
        for wrapper in _WRAPPERS:
            text = text.removeprefix(wrapper).removesuffix(wrapper)
    return text


def news_article(selector: Selector, urls: Iterable[str | None] = (), notes: Counter | None = None) -> dict:
    """The page's article object, as {"headline", "description", "datePublished", "articleSection",
    "articleBody", "publisher"} strings (missing keys absent), {} without one: plain text, except
    `articleBody` as written (it may hold HTML: read it with `article_body`).

    Args:
        selector: the parsed page.
        urls: the page's URLs (fetched, canonical). Without them the first article node wins.
        notes: a Counter for the scripts that cannot be read (`documents`).
    """
    urls = [url for url in urls if url]
    page = {_url_key(url) for url in urls} - {None}
    unnamed = None
    for node, inherited in _nodes(documents(selector, notes)):
        if not _is_article(node):
            continue
        named = _node_urls(node, urls[0] if urls else "") or inherited
        if not page or named & page:
            return _fields(node)
        if not named and unnamed is None:
            unnamed = node
    return _fields(unnamed) if unnamed is not None else {}


def type_names(node: dict) -> set[str]:
    """A node's `@type` values as short names: "http://schema.org/NewsArticle" -> "NewsArticle"."""
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return {re.split(r"[/#:]", kind.strip().rstrip("/"))[-1] for kind in types if isinstance(kind, str)}


def plain_text(value: str, separator: str = " ") -> str:
    """`value` without markup: HTML (also HTML-escaped HTML) read as text blocks joined by
    `separator`; entities decoded either way."""
    root = _fragment(value)
    if not isinstance(root, etree._Element):
        return root
    return separator.join(block.strip() for block in text_blocks(root, set()) if block.strip())


def article_body(value: str, boxes: Counter) -> list[str]:
    """The lines of an `articleBody`: one per paragraph of its HTML (or per line of plain text),
    without the named boxes a body container loses, which are added to `boxes` by name."""
    root = _fragment(value)
    if not isinstance(root, etree._Element):
        return root.split("\n")
    found = named_boxes(Selector(root=root), BOXES, author_tail=True)
    boxes.update(count_boxes(found))
    return [block.strip() for block in text_blocks(root, set(found)) if block.strip()]


def _fragment(value: str):
    """`value` parsed as an HTML fragment (a <div> holding it, each <br> made a paragraph break), or
    the plain text itself (entities decoded) when it holds no tag."""
    if not _TAG.search(value):
        unescaped = html.unescape(value)
        if not _TAG.search(unescaped):
            return unescaped  # plain text, or text the CMS stored HTML-escaped
        value = unescaped  # the markup itself was escaped
    try:
        root = lxml_html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.unescape(_TAG.sub(" ", value))
    for br in list(root.iter("br")):  # a <br> ends a paragraph: an empty block element splits the text there
        br.tag = "p"
    return root


def _is_article(node: dict) -> bool:
    return bool(type_names(node) & ARTICLE_TYPES)


def _nodes(values: list) -> Iterator[tuple[dict, set]]:
    """Every JSON object of the page's ld+json values at any depth, breadth first (top-level ones
    first), with the URL keys it inherits: a `mainEntity` takes its parent's when it names none."""
    for data in values:
        queue: deque = deque([(data, set())])
        while queue:
            item, inherited = queue.popleft()
            if isinstance(item, list):
                queue.extend((member, inherited) for member in item)
            elif isinstance(item, dict):
                yield item, inherited
                own = _node_urls(item, "") or inherited
                for key, value in item.items():
                    if isinstance(value, (dict, list)):
                        queue.append((value, own if key == "mainEntity" else set()))


def _node_urls(node: dict, base: str) -> set:
    """The URL keys of the pages a node says it is: its `url`, `@id` and `mainEntityOfPage`. The
    site root names no page (templates put it on every article, as with rel=canonical)."""
    found = set()
    for key in URL_KEYS:
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        for url in value if isinstance(value, list) else [value]:
            if isinstance(url, str) and url.strip():
                try:
                    joined = urljoin(base, url.strip())
                except ValueError:  # "http://[::1": names no page
                    continue
                key = _url_key(joined)
                if key and (key[1] or key[2]):
                    found.add(key)
    return found


@lru_cache(maxsize=4096)  # a page's own URLs are compared once per JSON-LD node and again in discovery
def _url_key(url: str) -> tuple[str, str, str] | None:
    """(host without www./m., path without a trailing slash, query) of an http(s) URL, else None."""
    try:
        parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    return host, parts.path.rstrip("/"), parts.query


def _fields(node: dict) -> dict:
    fields = {}
    for key in TEXT_KEYS:
        value = node.get(key)
        if isinstance(value, list):  # articleSection may be a list: the first is the section
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            text = value if key == "articleBody" else plain_text(value)
            if text.strip():
                fields[key] = text
    publisher = node.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        fields["publisher"] = plain_text(publisher["name"])
    return fields
