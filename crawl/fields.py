"""Field hygiene shared by every extraction layer: site-name suffixes, byline prefixes, the choice
between a description and its truncation, and keeping the sapo and the headline out of the body.

Every string reaching these functions has been through `crawl.text.clean_text` first, so invisible
characters and odd spacing are gone before any prefix or suffix pattern runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from crawl.text import clean_text, strip_summary_prefix, word_count

_ELLIPSIS = ("…", "...")
MIN_TRUNCATION_CHARS = 20  # a shorter common head says nothing about one text being cut from the other
MIN_LEAK_WORDS = 4  # a body line of fewer syllables inside the sapo may be a coincidence ("Theo ông")


def strip_site_name(text: str, names: Iterable[str]) -> str:
    """`text` without a trailing site name: "Giá vàng tăng - VnExpress" -> "Giá vàng tăng"."""
    pattern = _suffix_pattern(tuple(sorted({n for n in names if n}, key=len, reverse=True)))
    return pattern.sub("", text).strip() if pattern else text


def clean_lead(text: str | None, prefixes: list[re.Pattern], names: Iterable[str]) -> str:
    """A sapo/description from any layer: cleaned, then site-name suffix and byline prefix removed."""
    return strip_summary_prefix(strip_site_name(clean_text(text), names), prefixes)


def is_truncation(short: str, whole: str) -> bool:
    """True when `short` is `whole` cut off (mid-phrase, with or without an ellipsis)."""
    head = _without_ellipsis(short).rstrip(" ,;:")
    return len(head) >= MIN_TRUNCATION_CHARS and len(head) < len(whole) and whole.startswith(head)


def choose_lead(candidates: list[tuple[str, str]]) -> tuple[str, str]:
    """The (layer, text) to use as the summary among the non-profile candidates, in layer order.

    The first wins, except that a truncation never wins over the whole text it was cut from.
    """
    candidates = [(layer, text) for layer, text in candidates if text]
    if not candidates:
        return "none", ""
    layer, text = candidates[0]
    for other_layer, other in candidates[1:]:
        if is_truncation(text, other):
            layer, text = other_layer, other
    return layer, text


def meta_description(og: str, meta: str) -> str:
    """og:description or meta description: the whole one when one truncates the other, else
    og:description (sites rewrite the meta description for search engines)."""
    if og and meta and is_truncation(og, meta):
        return meta
    return og or meta


def body_lines(lines: Iterable[str], *, summary: str, title: str, drop: list[re.Pattern],
               prefixes: list[re.Pattern]) -> str:
    """The body text: clean lines without empties, `drop` lines, the headline and the sapo.

    The sapo is removed wherever it shows: a line equal to it, the head or tail of a paragraph, a
    piece of it on a line of its own, with or without its byline prefix.
    """
    kept = []
    for line in lines:
        line = clean_text(line)
        if not line or any(p.search(line) for p in drop) or line == title:
            continue
        if summary:
            unprefixed = strip_summary_prefix(line, prefixes)
            rest = without_summary(unprefixed, summary)
            line = rest if rest != unprefixed else line
        if line:
            kept.append(line)
    return "\n".join(kept)


def without_summary(line: str, summary: str) -> str:
    """`line` less the summary: "" for the summary itself, a piece of it, or the paragraph a
    truncated ("...") summary was cut from; the rest when the paragraph starts or ends with it."""
    cut = _without_ellipsis(summary)
    if cut != summary:
        return "" if line.startswith(cut.rstrip()) else line
    if line.startswith(summary):
        return line[len(summary):].strip()
    if line.endswith(summary):
        return line[:-len(summary)].strip()
    if line in summary and word_count(line) >= MIN_LEAK_WORDS:
        return ""
    return line


def _without_ellipsis(text: str) -> str:
    for mark in _ELLIPSIS:
        if text.endswith(mark):
            return text[: -len(mark)]
    return text


@cache
def _suffix_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"\s+[-|–—:]\s*(?:Báo\s+)?(?:{alternatives})\s*$", re.IGNORECASE)
