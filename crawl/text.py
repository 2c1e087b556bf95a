"""Text cleaning for crawl records (crawl/normalize.py's `clean`), summary prefixes, body fingerprints."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from crawl.normalize import clean, dedup_key, remove_invisible, tokens
from crawl.places import is_place

# A location stamp ("HÀ NỘI - ", "TP HCM – "): an upper-case place name (crawl.places), then a dash.
_STAMP = re.compile(r"^(?P<stamp>[^\W\d_][^-–—:]{1,40}?)\s*[-–—]\s+")
_MAX_STAMPS = 2  # "BÀ RỊA - VŨNG TÀU - ", "THỪA THIÊN - HUẾ - "


def clean_text(text: str | None) -> str:
    """Invisible format characters removed, Unicode NFC, whitespace runs -> one space, ends stripped."""
    return clean(text)


def strip_summary_prefix(summary: str, patterns: Iterable[re.Pattern]) -> str:
    """Remove the site's byline prefixes ("(Dân trí) - ") and an upper-case location stamp.

    A stamp is stripped only when it names a place (crawl.places.is_place: "HÀ NỘI - ", "TP.HCM – ",
    "BÀ RỊA - VŨNG TÀU - "); an acronym or an upper-case subject before a dash ("ASEAN - Nhật Bản
    ...", "U23 VIỆT NAM - THÁI LAN: ...") stays. Invisible format characters (a zero-width space
    before "(Dân trí)") are removed first, so that they cannot hide a prefix from its pattern.
    """
    summary = remove_invisible(summary).strip()
    for pattern in patterns:
        summary = pattern.sub("", summary, count=1)
    for _ in range(_MAX_STAMPS):
        stamp = _STAMP.match(summary)
        if not (stamp and _is_upper_case(stamp.group("stamp")) and is_place(stamp.group("stamp"))):
            break
        summary = summary[stamp.end():]
    return summary.strip()


def word_count(text: str) -> int:
    """Number of comparison tokens (crawl.normalize.tokens): syllables for Vietnamese, characters for Han,
    letters for Thai/Lao/Khmer/Myanmar. The quality gates measure by language instead (crawl/lengths.py)."""
    return len(tokens(text))


def body_key(text: str) -> str:
    """A fingerprint of a body for exact-duplicate dedup: SHA-1 of crawl.normalize.dedup_key(text)
    (ignores case, punctuation, spacing, invisible characters and tone-mark placement)."""
    return hashlib.sha1(dedup_key(text).encode("utf-8")).hexdigest()


def _is_upper_case(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape_entities(text: str) -> str:
    """`text` with HTML character references read once more: a CMS that escapes its meta tags twice
    (`content="&amp;quot;trích&amp;quot;"`) leaves `&quot;trích&quot;` after the HTML parser.

    Only complete references (`&name;`, `&#N;`, `&#xH;`) count, so "AT&T" or "R&D" stay as they are.
    """
    return html.unescape(text) if _ENTITY.search(text) else text
