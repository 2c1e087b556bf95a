"""Field hygiene shared by every extraction layer: site-name suffixes, byline prefixes, the choice
between a description and its truncation, and keeping the sapo and the headline out of the body.

Every string reaching these functions has been through `crawl.text.clean_text` first, so invisible
characters and odd spacing are gone before any prefix or suffix pattern runs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from crawl.lengths import script_unit
from crawl.normalize import tokens
from crawl.text import clean_text, strip_summary_prefix, unescape_entities

_ELLIPSIS = ("…", "...")
MIN_TRUNCATION_CHARS = 20  # a shorter common head says nothing about one text being cut from the other
# A body line of fewer words inside the sapo may be a coincidence ("Theo ông"); words in the line's
# length unit (crawl.lengths.script_unit: 4 syllables; 7 Chinese characters, 13 Thai letters).
MIN_LEAK_WORDS = 4
# A source credit: a short last body line "Nguồn: X", "Nguồn tin: X", "Theo X", maybe in parentheses.
# Short as crawl.layout's author lines (under 60 characters) and of few words; "Theo" starts real
# sentences too ("Theo Bộ Y tế, số ca mắc tăng."), so after "Theo" the name must start upper-case
# (or with a word for a medium: "Theo báo Tuổi Trẻ") and no lower-case clause may follow a comma.
MAX_CREDIT_CHARS = 60
MAX_CREDIT_WORDS = 8
_CREDIT = re.compile(r"^\(?\s*(?:(?P<source>Nguồn(?:\s+tin)?\s*:)|Theo\b\s*:?)\s*(?P<name>[^()]+?)\s*\)?\s*\.?$",
                     re.IGNORECASE)
_MEDIA_WORDS = ("báo ", "trang ", "tạp chí ", "đài ", "kênh ", "hãng ", "thông tấn xã ")
_CLAUSE = re.compile(r",\s*[^\W\d_]")  # a comma then a word: its case tells a clause from a name list
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
               prefixes: list[re.Pattern], dropped: Counter | None = None) -> str:
    """The body text: clean lines without empties, `drop` lines, the headline, the sapo and a short
    last source credit (`is_credit_line`).

    The sapo is removed wherever it shows: a line equal to it, the head or tail of a paragraph, a
    piece of it on a line of its own, with or without its byline prefix.

    `dropped`, when given and the body is not empty, counts the removed `drop` and credit lines by
    name: a `drop` pattern's named group that matched (crawl.profile.COMMON_DROP_LINES:
    "caption_line", "read_more_line"), else "drop_line"; "credit_line".
    """
    kept, removed = [], Counter()
    title_key = _compact(title) if title else None
    for line in lines:
        line = clean_text(line)
        if not line or line == title or _compact(line) == title_key:
            continue
        name = _dropped_by(line, drop)
        if name:
            removed[name] += 1
            continue
        if summary:
            unprefixed = strip_summary_prefix(line, prefixes)
            rest = without_summary(unprefixed, summary)
            line = rest if rest != unprefixed else line
        if line:
            kept.append(line)
    while kept and is_credit_line(kept[-1]):
        kept.pop()
        removed["credit_line"] += 1
    if kept and dropped is not None:
        dropped.update(removed)
    return "\n".join(kept)


def is_credit_line(line: str) -> bool:
    """True for a source credit line (`_CREDIT`): "Nguồn: VnExpress", "(Theo VTV)", "Theo báo Tuổi
    Trẻ", "Theo Reuters, AFP"; not "Theo Bộ Y tế, số ca mắc tăng." nor "Theo kế hoạch, ...".
    Whether it is the body's last line is the caller's to check."""
    match = _CREDIT.match(line)
    if not match or len(line) >= MAX_CREDIT_CHARS or len(line.split()) > MAX_CREDIT_WORDS + 1:
        return False
    name = match.group("name")
    if match.group("source"):
        return True
    named = name[0].isupper() or name[0].isdigit() or name.lower().startswith(_MEDIA_WORDS)
    return named and not any(clause.group()[-1].islower() for clause in _CLAUSE.finditer(name))


def _dropped_by(line: str, drop: list[re.Pattern]) -> str | None:
    """The counter name of the first `drop` pattern matching `line` (its matched named group, else
    "drop_line"), None when none matches."""
    for pattern in drop:
        match = pattern.search(line)
        if match:
            return next((name for name, value in match.groupdict().items() if value is not None), "drop_line")
    return None


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
    if line_key in key:
        unit = script_unit(line)
        if unit.count(line) >= unit.limit(MIN_LEAK_WORDS):
            return ""
    return line


@lru_cache(maxsize=4096)  # the summary's key is asked for once per body line
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
