"""Article extraction in layers: the profile's layout -> JSON-LD -> meta tags -> trafilatura.

`extract_article` turns one article page into the record fields. Each field is taken from the first
layer that has it (profile selectors of the page's layout, the JSON-LD NewsArticle, the meta tags,
trafilatura for the body), and the layer that supplied each field is returned for the crawl stats
(the layout-drift alarm counts them). The sapo never leaks into the body, whichever layer supplied
it: the sapo element is pruned before trafilatura runs and its occurrences are removed from the
body lines. Dates come only from the profile's date elements, JSON-LD and meta/time elements,
never from body text, and never from a `<time>` that is not the article's (a header ticker, a
related-news list): only one marked as the publication date or inside the article's container.

Which layout: a page may hold the elements of several layouts (an empty placeholder of the new
template next to the old markup that has the article). The layout that holds the article is the
first, newest first, whose body container yields text; each field is read from it, then from the
other layouts whose markers are on the page, before the JSON-LD and meta layers.

What the extraction repaired or could not read is returned as notes (`jsonld_unreadable`,
`sapo_in_block`, `sapo_moved_out`), counted in crawl_stats.json's `extraction_notes`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache
from urllib.parse import urljoin, urlsplit

from cssselect import GenericTranslator
from lxml import etree
from parsel import Selector
from w3lib.url import canonicalize_url

from crawl.blocks import count_boxes, element_text, named_boxes, selected_texts, text_blocks
from crawl.dates import PageDate, parse_date, parse_offset, pick_date
from crawl.fields import (
    body_lines, choose_field, choose_lead, clean_lead, clean_title, meta_description, strip_site_name,
)
from crawl.jsonld import article_body, news_article
from crawl.layout import BOXES, LAST_BOLD_NAME_XPATH, RELATED, Layout
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
# ... unless the sapo element holds no text of its own: then its <div>/<p> is the lead an editor
# wrapped (`<h2 class="sapo"><div>TTO - ...</div></h2>`); the rest (and any body container) stays out.
_NEVER_IN_SAPO = "article, section, ul, ol, table, figure"
# Notes (crawl_stats.json `extraction_notes`): the sapo read from a block inside its element, or from
# the paragraphs the HTML parser moved out of it (`<h2><p>..</p></h2>` becomes `<h2></h2><p>..</p>`).
SAPO_IN_BLOCK, SAPO_MOVED_OUT = "sapo_in_block", "sapo_moved_out"
_BYLINE_MAX = 40  # characters: a sapo element's text this short may be a byline prefix alone ("TTO", "(Dân trí)")
# Date elements: <time datetime>, and any element with itemprop=datePublished (microdata: <meta content>).
# Marked as the publication date: itemprop=datePublished, the `pubdate` attribute, or a
# "published"/"publish-date"/"pubdate" class on the element or its parent; never an update time.
_PUBLISHED_CLASS = re.compile(r"publish|pubdate", re.IGNORECASE)
_MODIFIED = re.compile(r"updat|modif", re.IGNORECASE)
_TIMES = etree.XPath("//time[@datetime] | //*[contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')]"
                     "[@datetime or @content]")
# The article's own containers on any page (besides the profile's body containers): an <article>
# holding the page's <h1> (a teaser card holds none) and schema.org microdata's articleBody.
_ARTICLE_CONTAINERS = etree.XPath("//article[.//h1] | //*[@itemprop='articleBody']")


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
        {"sources": {field: layer or "none"}, "layout": the name of the layout holding the article
        (`page_layouts`) or None, "boxes": {box name: elements dropped}, "notes": {note: count},
        only when there are some (a JSON-LD script that cannot be read, a sapo read from outside its
        element), and "canonical_ignored": the reason, only when the page's canonical was not
        taken (`page_url`)}.
    """
    memo: dict = {}  # the body containers' boxes and blocks, read once for choosing the layout and the body
    layout, layouts = (None, ()) if trafilatura_only else page_layouts(selector, profile, memo)
    record_url, canonical_ignored = page_url(selector, url, profile)
    notes: Counter = Counter()
    ld = news_article(selector, (url, record_url), notes)
    names = profile.site_names + tuple(filter(None, (ld.get("publisher"), *_all(selector, META_SITE_NAME))))
    prefixes, boxes = profile.prefix_patterns(), Counter()
    sources = {}

    if trafilatura_only:
        (title, summary, text), layer = _by_trafilatura(selector, url, profile, names), "trafilatura"
        sources.update(title=layer, summary=layer if summary else "none", text=layer if text else "none")
    else:
        sources["title"], title = _title(selector, layouts, ld, names)
        sources["summary"], summary = _summary(selector, layouts, ld, prefixes, names, boxes, notes, profile.body)
        keep = dict(summary=summary, title=title, drop=profile.all_drop_lines(), prefixes=prefixes, dropped=boxes)
        sources["text"], text = _text(selector, url, layouts, ld, profile, boxes, keep, memo)

    published, sources["published"] = _published(selector, layouts, ld, profile)
    sources["category"], category = _first([
        ("profile", _first_text(selector, _selectors(layouts, "category"))),
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
            **({"notes": dict(sorted(notes.items()))} if notes else {}),
            **({"canonical_ignored": canonical_ignored} if canonical_ignored else {}),
        },
    }


def matching_layout(selector: Selector, profile: SiteProfile) -> Layout | None:
    """The layout holding the page's article (`page_layouts`), or None."""
    return page_layouts(selector, profile)[0]


def page_layouts(selector: Selector, profile: SiteProfile, memo: dict | None = None,
                 ) -> tuple[Layout | None, tuple[Layout, ...]]:
    """The layout holding the article, and the layouts each field is read from, in order.

    The layouts on the page are those whose marker (body container, else their other elements) is
    there. The one holding the article is the first of them, newest first, whose body container
    yields text (for a layout without a body container: whose title or sapo does): an empty
    `<div data-slot="content">` placeholder of a newer template does not hide the older layout
    that has the article. It is None when no layout on the page yields text. Fields are read from
    it first, then from the other layouts on the page in profile order (all of them "profile").
    `memo` (a dict, optional) keeps the body containers' blocks for the extraction to reuse.
    """
    memo = {} if memo is None else memo
    present = [layout for layout in profile.layouts if any(selector.css(css) for css in layout.marker())]
    chosen = next((layout for layout in present if _yields_text(selector, layout, memo)), None)
    return chosen, tuple(([chosen] if chosen else []) + [layout for layout in present if layout is not chosen])


def _yields_text(selector: Selector, layout: Layout, memo: dict) -> bool:
    if not layout.body:
        return bool(_first_text(selector, layout.title + layout.summary))
    for css in layout.body:
        for container in selector.css(css)[:1]:
            if _container_blocks(container, layout, memo)[1]:
                return True
    return False


def _container_blocks(container: Selector, layout: Layout, memo: dict) -> tuple[dict, list[str]]:
    """The named boxes of a body container and its text blocks without them (read once per page)."""
    key = (container.root, layout.name)
    if key not in memo:
        found = named_boxes(container, layout.all_boxes(), author_tail=True)
        memo[key] = found, [block for block in text_blocks(container.root, set(found)) if block.strip()]
    return memo[key]


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


@lru_cache(maxsize=4096)  # the fetched URL is normalised for the record, its canonical and JSON-LD
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
    return _published(selector, page_layouts(selector, profile)[1], news_article(selector), profile)[0]


def _published(selector: Selector, layouts: tuple[Layout, ...], ld: dict, profile: SiteProfile) -> tuple[str | None, str]:
    offset = parse_offset(profile.utc_offset)
    found: list[tuple[str, PageDate]] = []
    layers = [("profile", lambda: _all(selector, _selectors(layouts, "published"))),
              ("jsonld", lambda: [ld.get("datePublished", "")]),
              ("meta", lambda: _all(selector, META_PUBLISHED) + article_times(selector, profile))]
    for layer, values in layers:
        date = next(filter(None, (parse_date(value, offset) for value in values())), None)
        if date:
            found.append((layer, date))
            if date.has_seconds:  # nothing a later layer has can change it
                break
    picked = pick_date([date for _, date in found])
    return (picked.iso(), found[0][0]) if picked else (None, "none")


def article_times(selector: Selector, profile: SiteProfile) -> list[str]:
    """The values of the page's date elements that can be the article's date, best first.

    Date elements are `<time datetime>` and elements with itemprop=datePublished (`<meta content>`).
    Marked ones (itemprop=datePublished, `pubdate`, a "published"-like class on it or its parent)
    inside the article's container come first (the profile's body containers, an `<article>`
    holding the `<h1>`, itemprop=articleBody), then marked ones elsewhere except in a list item (a
    ticker, a most-read list), then unmarked `<time>` elements inside the article's container. Never
    one in a related-news box, in another article's `<article>` or microdata item (one without the
    page's `<h1>`), or an update time (itemprop=dateModified, an "updated" class); never the
    page's first `<time>` as such (a header ticker, a related list, a comment's timestamp).
    """
    if isinstance(selector.root, str):
        return []
    elements = _TIMES(selector.root)
    if not elements:
        return []
    related = set(named_boxes(selector, (("related", RELATED),)))
    containers = set(_ARTICLE_CONTAINERS(selector.root))
    containers.update(node.root for css in profile.body for node in selector.css(css))
    page_has_h1 = bool(selector.root.xpath("//h1"))
    tiers: tuple[list, list, list] = ([], [], [])
    for node in elements:
        value = (node.get("datetime") or node.get("content") or "").strip()
        ancestors = list(node.iterancestors())
        classes = " ".join(filter(None, (node.get("class"), ancestors[0].get("class") if ancestors else None)))
        itemprop = (node.get("itemprop") or "").split()
        if not value or related.intersection(ancestors) or "dateModified" in itemprop or _MODIFIED.search(classes):
            continue
        if page_has_h1 and any(_other_article(parent, containers) for parent in ancestors):
            continue  # a teaser card or a microdata item of another article
        inside = bool(containers.intersection(ancestors))
        marked = "datePublished" in itemprop or node.get("pubdate") is not None or _PUBLISHED_CLASS.search(classes)
        if marked and inside:
            tiers[0].append(value)
        elif marked and not any(parent.tag == "li" for parent in ancestors):
            tiers[1].append(value)
        elif inside and node.tag == "time":
            tiers[2].append(value)
    return tiers[0] + tiers[1] + tiers[2]


def _other_article(element, containers: set) -> bool:
    """True for an `<article>` or a microdata item that is not the article's and holds no `<h1>`."""
    if element.tag != "article" and element.get("itemscope") is None:
        return False
    return element not in containers and not element.xpath(".//h1")


def _selectors(layouts: tuple[Layout, ...], field: str) -> tuple[str, ...]:
    """One field's selectors of `layouts`, in order (the layout holding the article first)."""
    return tuple(css for layout in layouts for css in getattr(layout, field))


def _title(selector: Selector, layouts: tuple[Layout, ...], ld: dict, names: tuple[str, ...]) -> tuple[str, str]:
    return _first([
        ("profile", _first_text(selector, _selectors(layouts, "title"))),
        ("jsonld", ld.get("headline")),
        ("meta", _first_text(selector, META_TITLE)),
    ], lambda value: clean_title(value, names), wholes=[("meta", _first_text(selector, ("h1",)))])


def _summary(selector: Selector, layouts: tuple[Layout, ...], ld: dict, prefixes: list, names: tuple[str, ...],
             boxes: Counter, notes: Counter, body_css: tuple[str, ...]) -> tuple[str, str]:
    """The visible sapo when a layout has one; else JSON-LD or meta, a truncation never winning."""
    for layout in layouts:
        sapo = _sapo(selector, layout, lambda text: clean_lead(text, prefixes, names), boxes, notes, body_css)
        if sapo:
            return "profile", sapo
    og, meta = (clean_lead(selector.css(css).get(), prefixes, names) for css in (META_OG_DESCRIPTION, META_DESCRIPTION))
    return choose_lead([("jsonld", clean_lead(ld.get("description"), prefixes, names)), ("meta", meta_description(og, meta))])


def _text(selector: Selector, url: str, layouts: tuple[Layout, ...], ld: dict, profile: SiteProfile, boxes: Counter,
          keep: dict, memo: dict) -> tuple[str, str]:
    """The body from a layout's container, else JSON-LD articleBody, else trafilatura."""
    for layout in layouts:
        text = _body(selector, layout, boxes, keep, memo)
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


def _sapo(selector: Selector, layout: Layout, lead, boxes: Counter, notes: Counter, body_css: tuple[str, ...]) -> str:
    """The layout's sapo, cleaned by `lead` (prefixes and site names stripped), or "".

    An element with no text of its own (or only a byline prefix) may hold the lead in a block
    (`<h2><div>TTO - ...</div></h2>`: its text, body containers left out, is read: SAPO_IN_BLOCK),
    or have lost it to the HTML parser, which closes an `<h2>` at a `<p>`: then the `<p>` siblings
    right after it (up to the next other element, e.g. the body container) are the lead
    (SAPO_MOVED_OUT). Either is counted in `notes`.
    """
    for css in layout.summary:
        element = selector.css(css)
        if not element:
            continue
        found = named_boxes(element[0], layout.all_boxes())
        own = element_text(element[0].root, set(found) | {block.root for block in element[0].css(_NOT_IN_SAPO)})
        text, note = lead(clean_text(own)), None
        if not text or (len(text) < _BYLINE_MAX and _byline_only(own, lead)):  # no lead of its own
            bodies = {node.root for body in body_css for node in element[0].css(body)}
            skipped = set(found) | bodies | {block.root for block in element[0].css(_NEVER_IN_SAPO)}
            wrapped = lead(clean_text(element_text(element[0].root, skipped)))
            if wrapped and wrapped != text:
                text, note = wrapped, SAPO_IN_BLOCK
            else:
                moved = _moved_paragraphs(element[0].root)
                if moved:
                    text, note = lead(clean_text(" ".join([own, *moved]))), SAPO_MOVED_OUT
        if text:
            boxes.update(count_boxes(found))
            if note:
                notes[note] += 1
            return text
    return ""


def _byline_only(text: str, lead) -> bool:
    """True when `text` is nothing but a byline prefix without its dash ("TTO", "(Dân trí)"): `lead`
    strips it from the start of a sentence."""
    probe = "Nội dung"
    return bool(text.strip()) and lead(f"{clean_text(text)} - {probe}") == probe


def _moved_paragraphs(node) -> list[str]:
    """The texts of the `<p>` elements right after `node` (only spaces and comments between), up to
    the first other element: what lxml's parser moved out of an `<h2>` that held them."""
    texts = []
    while True:
        if (node.tail or "").strip():
            break
        node = node.getnext()
        if node is not None and not isinstance(node.tag, str):  # a comment between
            continue
        if node is None or node.tag != "p":
            break
        texts.append(element_text(node, ()))
    return texts


def _body(selector: Selector, layout: Layout, boxes: Counter, keep: dict, memo: dict) -> str:
    for css in layout.body:
        container = selector.css(css)
        if not container:
            continue
        found, blocks = _container_blocks(container[0], layout, memo)
        text = body_lines(blocks, **keep)
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
