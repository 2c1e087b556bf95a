"""Article extraction in layers: the profile's layout -> JSON-LD -> meta tags -> trafilatura.

`extract_article` turns one article page into the record fields. Each field is taken from the first
layer that has it (profile selectors of the page's layout, the JSON-LD NewsArticle, the meta tags,
trafilatura for the body), and the layer that supplied each field is returned for the crawl stats
(the layout-drift alarm counts them). The sapo never leaks into the body, whichever layer supplied
it: the sapo element is pruned before trafilatura runs and its occurrences are removed from the
body lines. Dates come only from the profile's date elements, JSON-LD and meta/time elements,
never from body text.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from urllib.parse import urljoin, urlsplit

from cssselect import GenericTranslator
from parsel import Selector
from w3lib.url import canonicalize_url

from crawl.blocks import count_boxes, element_text, named_boxes, selected_texts, text_blocks
from crawl.dates import PageDate, parse_date, parse_offset, pick_date
from crawl.fields import (
    body_lines, choose_field, choose_lead, clean_lead, clean_title, meta_description, strip_site_name,
)
from crawl.jsonld import article_body, news_article
from crawl.layout import BOXES, LAST_BOLD_NAME_XPATH, Layout
from crawl.profile import (
    META_CATEGORY, META_DESCRIPTION, META_OG_DESCRIPTION, META_PUBLISHED, META_SITE_NAME, META_TITLE, SiteProfile,
)
from crawl.text import clean_text

FIELDS = ("title", "summary", "text", "published", "category")
LAYERS = ("profile", "jsonld", "meta", "trafilatura")
# Sapo containers on Vietnamese CMSs, pruned before trafilatura so the lead never enters the body.
GENERIC_SAPO_XPATHS = ("//*[contains(@class,'sapo')]", "//p[contains(@class,'description')]", "//h1")
_css_to_xpath = GenericTranslator().css_to_xpath
# Blocks never part of a sapo: an unclosed <h2> sapo in broken HTML swallows the body container.
_NOT_IN_SAPO = "div, article, section, ul, ol, table, figure"


def extract_article(selector: Selector, url: str, profile: SiteProfile, *, trafilatura_only: bool = False) -> dict:
    """The record fields of one article page.

    Args:
        selector: the parsed page (a Scrapy response's `.selector`).
        url: the page's URL (after redirects).
        profile: the site profile whose layouts apply.
        trafilatura_only: skip the profile layouts and take title, summary and body from
            trafilatura alone (the benchmark's baseline).

    Returns:
        dict with `url` (the canonical, else the fetched URL: `page_url`), `title`, `summary`, `text`,
        `published` (ISO 8601 with offset or None), `category` (or None) and `extraction`:
        {"sources": {field: layer or "none"}, "layout": the matching layout's name or None,
        "boxes": {box name: elements dropped}, and "canonical_ignored": the reason, only when the
        page's canonical was not taken (`page_url`)}.
    """
    layout = None if trafilatura_only else matching_layout(selector, profile)
    record_url, canonical_ignored = page_url(selector, url, profile)
    ld = news_article(selector, (url, record_url))
    names = profile.site_names + tuple(filter(None, (ld.get("publisher"), *_all(selector, META_SITE_NAME))))
    prefixes, boxes = profile.prefix_patterns(), Counter()
    sources = {}

    if trafilatura_only:
        (title, summary, text), layer = _by_trafilatura(selector, url, profile, names), "trafilatura"
        sources.update(title=layer, summary=layer if summary else "none", text=layer if text else "none")
    else:
        sources["title"], title = _title(selector, layout, ld, names)
        sources["summary"], summary = _summary(selector, layout, ld, prefixes, names, boxes)
        keep = dict(summary=summary, title=title, drop=profile.all_drop_lines(), prefixes=prefixes, dropped=boxes)
        sources["text"], text = _text(selector, url, layout, ld, profile, boxes, keep)

    published, sources["published"] = _published(selector, layout, ld, profile)
    sources["category"], category = _first([
        ("profile", _first_text(selector, layout.category) if layout else ""),
        ("jsonld", ld.get("articleSection")),
        ("meta", _first_text(selector, META_CATEGORY)),
    ], clean_text)
    return {
        "url": record_url,
        "title": title,
        "summary": summary,
        "text": text,
        "published": published,
        "category": category or None,
        "extraction": {
            "sources": {field: sources[field] for field in FIELDS},
            "layout": layout.name if layout else None,
            "boxes": dict(sorted(boxes.items())),
            **({"canonical_ignored": canonical_ignored} if canonical_ignored else {}),
        },
    }


def matching_layout(selector: Selector, profile: SiteProfile) -> Layout | None:
    """The profile's newest layout whose marker (body container, else title) is on the page."""
    for layout in profile.layouts:
        if any(selector.css(css) for css in layout.marker()):
            return layout
    return None


def page_url(selector: Selector, url: str, profile: SiteProfile) -> tuple[str, str | None]:
    """The record's URL and, when the page's `<link rel=canonical>` was not taken, why.

    The canonical (canonicalized, without a default port) is the record URL unless it names another
    host ("other_host"), the site root ("site_root": broken CMS templates put it on every page), a
    URL that is not an article URL of the profile ("not_article_url": a section or video page) or
    no URL at all ("malformed": `https://[host/x`, a bad port).
    Then the fetched `url` is, and the reason is returned (None when the canonical was taken, or
    when there is none or it is the fetched URL itself).
    """
    fetched = _normalized_url(url)
    href = (selector.css('link[rel="canonical"]::attr(href)').get() or "").strip()
    if not href:
        return fetched, None
    try:
        candidate = _normalized_url(urljoin(url, href))
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:  # "https://[tuoitre.vn/x": not a URL at all (urlsplit's "Invalid IPv6 URL")
        return fetched, "malformed"
    if candidate == fetched:
        return fetched, None
    if parts.netloc.lower() != urlsplit(fetched).netloc.lower():
        return fetched, "other_host"
    if parts.path in ("", "/") and not parts.query:
        return fetched, "site_root"
    if not profile.is_article_url(candidate):
        return fetched, "not_article_url"
    return candidate, None


def _normalized_url(url: str) -> str:
    """`url` canonicalized (w3lib), without its fragment and without a default port (:80, :443)."""
    url = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(url)
    try:
        default = (parts.scheme, parts.port) in (("http", 80), ("https", 443))
    except ValueError:  # a port that is not a number
        return url
    return parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]).geturl() if default else url


def published_date(selector: Selector, profile: SiteProfile) -> str | None:
    """ISO 8601 date with offset from the page's layout date elements, JSON-LD or meta/time
    elements (in that order; seconds kept when any of them has them), or None."""
    return _published(selector, matching_layout(selector, profile), news_article(selector), profile)[0]


def _published(selector: Selector, layout: Layout | None, ld: dict, profile: SiteProfile) -> tuple[str | None, str]:
    offset = parse_offset(profile.utc_offset)
    found: list[tuple[str, PageDate]] = []
    layers = [("profile", lambda: _all(selector, layout.published) if layout else []),
              ("jsonld", lambda: [ld.get("datePublished", "")]), ("meta", lambda: _all(selector, META_PUBLISHED))]
    for layer, values in layers:
        date = next(filter(None, (parse_date(value, offset) for value in values())), None)
        if date:
            found.append((layer, date))
            if date.has_seconds:  # nothing a later layer has can change it
                break
    picked = pick_date([date for _, date in found])
    return (picked.iso(), found[0][0]) if picked else (None, "none")


def _title(selector: Selector, layout: Layout | None, ld: dict, names: tuple[str, ...]) -> tuple[str, str]:
    return _first([
        ("profile", _first_text(selector, layout.title) if layout else ""),
        ("jsonld", ld.get("headline")),
        ("meta", _first_text(selector, META_TITLE)),
    ], lambda value: clean_title(value, names), wholes=[("meta", _first_text(selector, ("h1",)))])


def _summary(selector: Selector, layout: Layout | None, ld: dict, prefixes: list, names: tuple[str, ...],
             boxes: Counter) -> tuple[str, str]:
    """The visible sapo when the layout has one; else JSON-LD or meta, a truncation never winning."""
    sapo = _sapo(selector, layout, boxes) if layout else ""
    if sapo:
        return "profile", clean_lead(sapo, prefixes, names)
    og, meta = (clean_lead(selector.css(css).get(), prefixes, names) for css in (META_OG_DESCRIPTION, META_DESCRIPTION))
    return choose_lead([("jsonld", clean_lead(ld.get("description"), prefixes, names)), ("meta", meta_description(og, meta))])


def _text(selector: Selector, url: str, layout: Layout | None, ld: dict, profile: SiteProfile, boxes: Counter,
          keep: dict) -> tuple[str, str]:
    """The body from the layout's container, else JSON-LD articleBody, else trafilatura."""
    text = _body(selector, layout, boxes, keep) if layout else ""
    if text:
        return "profile", text
    if ld.get("articleBody"):
        found = Counter()
        text = body_lines(article_body(ld["articleBody"], found), **keep)
        if text:
            boxes.update(found)
            return "jsonld", text
    text = _trafilatura_text(selector, url, profile, keep)
    return ("trafilatura", text) if text else ("none", "")


def _sapo(selector: Selector, layout: Layout, boxes: Counter) -> str:
    for css in layout.summary:
        element = selector.css(css)
        if element:
            found = named_boxes(element[0], layout.all_boxes())
            skipped = set(found) | {block.root for block in element[0].css(_NOT_IN_SAPO)}
            text = clean_text(element_text(element[0].root, skipped))
            if text:
                boxes.update(count_boxes(found))
                return text
    return ""


def _body(selector: Selector, layout: Layout, boxes: Counter, keep: dict) -> str:
    for css in layout.body:
        container = selector.css(css)
        if not container:
            continue
        found = named_boxes(container[0], layout.all_boxes(), author_tail=True)
        text = body_lines(text_blocks(container[0].root, set(found)), **keep)
        if text:
            boxes.update(count_boxes(found))
            return text
    return ""


def _trafilatura_text(selector: Selector, url: str, profile: SiteProfile, keep: dict) -> str:
    import trafilatura

    text = trafilatura.extract(
        selector.get(), url=url, prune_xpath=list(_prune_xpaths(profile)), include_comments=False,
        include_tables=False, include_images=False, deduplicate=False,
    )
    return body_lines((text or "").split("\n"), **keep)


def _by_trafilatura(selector: Selector, url: str, profile: SiteProfile, names: tuple[str, ...]) -> tuple[str, str, str]:
    import trafilatura

    document = trafilatura.bare_extraction(
        selector.get(), url=url, with_metadata=True, prune_xpath=list(GENERIC_SAPO_XPATHS),
        include_comments=False, include_tables=False, include_images=False,
    )
    if document is None:
        return "", "", ""
    prefixes = profile.prefix_patterns()
    title = strip_site_name(clean_text(document.title), names)
    summary = clean_lead(document.description, prefixes, names)
    text = body_lines((document.text or "").split("\n"), summary=summary, title=title,
                      drop=profile.all_drop_lines(), prefixes=prefixes)
    return title, summary, text


@cache
def _prune_xpaths(profile: SiteProfile) -> tuple[str, ...]:
    """What trafilatura must not see: sapo containers, the headline, every named box, author tails."""
    boxes = [css for layout in profile.layouts for _, selectors in layout.boxes for css in selectors]
    boxes += [css for name, selectors in BOXES if name != "script" for css in selectors]
    css = [_css_to_xpath(c) for c in dict.fromkeys(profile.summary + tuple(boxes))]
    return GENERIC_SAPO_XPATHS + tuple(css) + (LAST_BOLD_NAME_XPATH,)


def _first(candidates: list[tuple[str, str | None]], clean, wholes=()) -> tuple[str, str]:
    """(layer, value) of the first candidate that is not empty once cleaned, unless it is a truncation
    of a later one or of one of `wholes` ("..." headline vs whole og:title or <h1>); ("none", "") otherwise."""
    return choose_field(candidates, clean, wholes)


def _all(selector: Selector, selectors: tuple[str, ...]) -> list[str]:
    return [value for css in selectors for value in selector.css(css).getall() if value and value.strip()]


def _first_text(selector: Selector, selectors: tuple[str, ...]) -> str:
    for css in selectors:
        for value in selected_texts(selector, css):  # an element's whole text, not its first text node
            if value and value.strip():
                return value
    return ""
