"""Article extraction: profile selectors -> meta tags -> trafilatura (with the sapo pruned).

`extract_article` turns one article page into the record fields. The summary must never leak into
the text: the sapo element is pruned before trafilatura runs and any body line equal to the
summary is dropped. Dates come only from meta/time elements, never from body text.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from cssselect import GenericTranslator
from parsel import Selector
from w3lib.url import canonicalize_url

from crawl.profile import META_SUMMARY, SiteProfile
from crawl.text import clean_text, strip_summary_prefix

# Sapo containers on Vietnamese CMSs, pruned before trafilatura so the lead never enters the body.
GENERIC_SAPO_XPATHS = ("//*[contains(@class,'sapo')]", "//p[contains(@class,'description')]")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d")
_GMT = re.compile(r"\s*\(?GMT\s*[+-]\s*\d+\)?\s*$", re.IGNORECASE)
_css_to_xpath = GenericTranslator().css_to_xpath
# Blocks never part of a sapo: an unclosed <h2> sapo in broken HTML swallows the body container.
_NOT_IN_SAPO = "div, article, section, ul, ol, table, figure"


def extract_article(selector: Selector, url: str, profile: SiteProfile, *, trafilatura_only: bool = False) -> dict:
    """The record fields of one article page.

    Args:
        selector: the parsed page (a Scrapy response's `.selector`).
        url: the page's URL (after redirects).
        profile: the site profile whose selectors apply.
        trafilatura_only: skip the profile selectors (the benchmark's baseline).

    Returns:
        dict with `url` (canonical), `title`, `summary`, `text`, `published`, `category` and
        `extracted_by` (which step of the fallback chain produced the text).
    """
    if trafilatura_only:
        title, summary, text, extracted_by = _by_trafilatura(selector, url, profile)
    else:
        title = clean_text(_first_text(selector, profile.title_selectors()))
        summary = _summary(selector, profile)
        text, extracted_by = _body(selector, profile, summary), "profile"
        if not text:
            text, extracted_by = _trafilatura_text(selector, url, profile, summary), "trafilatura"
    return {
        "url": canonical_url(selector, url),
        "title": title,
        "summary": summary,
        "text": text,
        "published": published_date(selector, profile),
        "category": clean_text(_first_text(selector, profile.category_selectors())) or None,
        "extracted_by": extracted_by,
    }


def canonical_url(selector: Selector, url: str) -> str:
    """The page's `<link rel=canonical>` when it points to the same host, else `url`; canonicalized."""
    href = selector.css('link[rel="canonical"]::attr(href)').get()
    candidate = urljoin(url, href.strip()) if href else url
    if urlsplit(candidate).netloc.lower() != urlsplit(url).netloc.lower():
        candidate = url
    return canonicalize_url(candidate, keep_fragments=False)


def published_date(selector: Selector, profile: SiteProfile) -> str | None:
    """ISO 8601 date with offset from the page's meta/time elements (profile ones first), or None."""
    offset = _parse_offset(profile.utc_offset)
    for css in profile.published_selectors():
        for value in selector.css(css).getall():
            parsed = _parse_date(value.strip(), offset)
            if parsed:
                return parsed.isoformat(timespec="seconds")
    return None


def _summary(selector: Selector, profile: SiteProfile) -> str:
    for css in profile.summary:
        element = selector.css(css)
        if element:
            skipped = _dropped(element[0], profile) | {block.root for block in element[0].css(_NOT_IN_SAPO)}
            text = clean_text(_element_text(element[0].root, skipped))
            if text:
                return strip_summary_prefix(text, profile.prefix_patterns())
    return strip_summary_prefix(clean_text(_first_text(selector, META_SUMMARY)), profile.prefix_patterns())


def _body(selector: Selector, profile: SiteProfile, summary: str) -> str:
    for css in profile.body:
        container = selector.css(css)
        if not container:
            continue
        skipped = _dropped(container[0], profile)
        lines = []
        for block in container[0].css(profile.paragraphs):
            node = block.root
            if node in skipped or any(parent in skipped for parent in node.iterancestors()):
                continue
            lines.append(_element_text(node, skipped))
        text = _keep_body_lines(lines, profile, summary)
        if text:
            return text
    return ""


def _trafilatura_text(selector: Selector, url: str, profile: SiteProfile, summary: str) -> str:
    import trafilatura

    prune = list(GENERIC_SAPO_XPATHS) + [_css_to_xpath(css) for css in profile.summary + profile.drop]
    text = trafilatura.extract(
        selector.get(), url=url, prune_xpath=prune, include_comments=False, include_tables=False,
        include_images=False, deduplicate=False,
    )
    return _keep_body_lines((text or "").split("\n"), profile, summary)


def _by_trafilatura(selector: Selector, url: str, profile: SiteProfile) -> tuple[str, str, str, str]:
    import trafilatura

    document = trafilatura.bare_extraction(
        selector.get(), url=url, with_metadata=True, prune_xpath=list(GENERIC_SAPO_XPATHS),
        include_comments=False, include_tables=False, include_images=False,
    )
    if document is None:
        return "", "", "", "trafilatura"
    summary = strip_summary_prefix(clean_text(document.description), profile.prefix_patterns())
    lines = (document.text or "").split("\n")
    return clean_text(document.title), summary, _keep_body_lines(lines, profile, summary), "trafilatura"


def _keep_body_lines(lines: list[str], profile: SiteProfile, summary: str) -> str:
    """Clean lines, dropping empties, author/caption lines and any line that repeats the summary."""
    drop_patterns, prefix_patterns = profile.all_drop_lines(), profile.prefix_patterns()
    kept = []
    for line in lines:
        line = clean_text(line)
        if not line or any(p.search(line) for p in drop_patterns):
            continue
        if summary:  # compared without a byline prefix, which the summary no longer has
            unprefixed = strip_summary_prefix(line, prefix_patterns)
            rest = _without_lead(unprefixed, summary)
            line = rest if rest != unprefixed else line
        if line:
            kept.append(line)
    return "\n".join(kept)


def _without_lead(line: str, summary: str) -> str:
    """`line` less the summary it starts with: "" for the summary itself or the paragraph a truncated
    ("...") meta description was cut from, the rest when the paragraph goes on after the summary."""
    cut = summary.removesuffix("…").removesuffix("...")
    if cut != summary:
        return "" if line.startswith(cut.rstrip()) else line
    return line[len(summary):].strip() if line.startswith(summary) else line


def _dropped(element: Selector, profile: SiteProfile) -> set:
    """The lxml nodes under `element` that the profile drops (captions, author lines, stamps)."""
    return {match.root for css in profile.drop for match in element.css(css)}


def _element_text(node, skipped: set) -> str:
    """Text of an lxml node, leaving out skipped subtrees, scripts and comments."""
    parts: list[str] = []

    def walk(current) -> None:
        """Append the text of `current` and its children (with their tails) to `parts`."""
        if current in skipped or not isinstance(current.tag, str) or current.tag in ("script", "style"):
            return
        if current.tag == "br":
            parts.append(" ")
        parts.append(current.text or "")
        for child in current:
            walk(child)
            parts.append(child.tail or "")

    walk(node)
    return "".join(parts)


def _first_text(selector: Selector, selectors: tuple[str, ...]) -> str:
    for css in selectors:
        for value in selector.css(css).getall():
            if value and value.strip():
                return value
    return ""


def _parse_date(value: str, offset: timezone) -> datetime | None:
    value = _GMT.sub("", value).strip("() ")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=offset)


def _parse_offset(text: str) -> timezone:
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text.lstrip("+-").split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
