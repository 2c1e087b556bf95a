"""Field hygiene shared by every extraction layer: site-name suffixes, byline prefixes, the choice
between a description and its truncation, and keeping the sapo and the headline out of the body.

Every string reaching these functions has been through `crawl.text.clean_text` first, so invisible
characters and odd spacing are gone before any prefix or suffix pattern runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from crawl.normalize import tokens
from crawl.text import clean_text, strip_summary_prefix, unescape_entities, word_count

_ELLIPSIS = ("…", "...")
MIN_TRUNCATION_CHARS = 20  # a shorter common head says nothing about one text being cut from the other
MIN_LEAK_WORDS = 4  # a body line of fewer syllables inside the sapo may be a coincidence ("Theo ông")
# What follows a whole text in a longer one when the longer one only adds a suffix (" | Chuyên mục"):
# the shorter one is then no truncation.
_SEPARATOR_NEXT = re.compile(r"\s*[-|–—:»›/]\s")


def strip_site_name(text: str, names: Iterable[str]) -> str:
    """`text` without a trailing site name: "Giá vàng tăng - VnExpress" -> "Giá vàng tăng"."""
    pattern = _suffix_pattern(tuple(sorted({n for n in names if n}, key=len, reverse=True)))
    return pattern.sub("", text).strip() if pattern else text


def clean_lead(text: str | None, prefixes: list[re.Pattern], names: Iterable[str]) -> str:
    """A sapo/description from any layer: cleaned, double-escaped entities ("&amp;quot;") read once
    more, then site-name suffix and byline prefix removed."""
    return strip_summary_prefix(strip_site_name(unescape_entities(clean_text(text)), names), prefixes)


def clean_title(text: str | None, names: Iterable[str]) -> str:
    """A title from any layer: cleaned, double-escaped entities read once more, site name removed."""
    return strip_site_name(unescape_entities(clean_text(text)), names)


def is_truncation(short: str, whole: str) -> bool:
    """True when `short` is `whole` cut off (mid-phrase, with or without an ellipsis).

    Without an ellipsis, `whole` must go on with more of the phrase, not with a separator and a
    suffix ("Giá vàng tăng" is no truncation of "Giá vàng tăng | Chuyên mục Kinh tế").
    """
    head = _without_ellipsis(short).rstrip(" ,;:")
    if not (len(head) >= MIN_TRUNCATION_CHARS and len(head) < len(whole) and whole.startswith(head)):
        return False
    return head != short.rstrip(" ,;:") or not _SEPARATOR_NEXT.match(whole, len(head))


def choose_field(candidates: list[tuple[str, str | None]], clean: Callable[[str], str],
                 wholes: Iterable[tuple[str, str | None]] = ()) -> tuple[str, str]:
    """(layer, value) for any field chain (title, category, description), in layer order: each value
    cleaned with `clean`; the first non-empty wins unless it is a truncation of a later one
    (`choose_lead`); ("none", "") when every layer is empty.

    `wholes` are (layer, value) texts that only ever replace a truncation of themselves, never
    chosen on their own (a page's first `<h1>` for the title: it may be the site's logo).
    """
    layer, value = choose_lead([(layer, clean(value) if value else "") for layer, value in candidates])
    for whole_layer, whole in wholes:
        whole = clean(whole) if whole else ""
        if value and whole and is_truncation(value, whole):
            layer, value = whole_layer, whole
    return layer, value


def choose_lead(candidates: list[tuple[str, str]]) -> tuple[str, str]:
    """The (layer, text) to use among cleaned candidates, in layer order.

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
    title_key = _compact(title) if title else None
    for line in lines:
        line = clean_text(line)
        if not line or any(p.search(line) for p in drop) or line == title or _compact(line) == title_key:
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
    truncated ("...") summary was cut from; the rest when the paragraph starts or ends with it.

    "The summary" is compared in crawl.normalize.dedup_key's terms, spaces removed too: a copy that
    differs in quotes, case, tone-mark placement, spacing or punctuation, or is split by a `<br>`
    inside a word, is still the summary.
    """
    cut = _without_ellipsis(summary)
    if cut != summary:
        cut_key = _compact(cut)
        return "" if line.startswith(cut.rstrip()) or (cut_key and _compact(line).startswith(cut_key)) else line
    if line.startswith(summary):
        return line[len(summary):].strip()
    if line.endswith(summary):
        return line[:-len(summary)].strip()
    key, line_key = _compact(summary), _compact(line)
    if not key or not line_key:
        return line
    if line_key == key:
        return ""
    words = line.split()
    if line_key.startswith(key):
        rest = _after_key(words, key)
        if rest is not None:
            return " ".join(words[rest:])
    if line_key.endswith(key):
        rest = _after_key(words[::-1], key, reverse=True)
        if rest is not None:
            return " ".join(words[: len(words) - rest])
    if word_count(line) >= MIN_LEAK_WORDS and line_key in key:
        return ""
    return line


def _compact(text: str) -> str:
    """dedup_key(text) without its spaces (tokens are per whitespace-separated word, so the key of a
    run of words is the concatenation of the words' keys)."""
    return "".join(tokens(text))


def _after_key(words: list[str], key: str, *, reverse: bool = False) -> int | None:
    """How many of `words` (from the start; reversed words from the end) make up exactly `key`."""
    done = ""
    for count, word in enumerate(words, 1):
        part = _compact(word)
        done = part + done if reverse else done + part
        if len(done) >= len(key):
            return count if done == key else None
    return None


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
