"""Which charset a page really uses, and whether decoded text is still mojibake.

Scrapy decodes by the HTTP header's charset before the page's own `<meta charset>`, so a UTF-8 page
served as `text/html; charset=iso-8859-1` (a common server default) decodes to mojibake
("Thá»§ tÆ°á»›ng"). `page_encoding` corrects that from the bytes; `looks_like_mojibake` catches
what no charset choice can fix (text double-encoded by the site itself).
"""

from __future__ import annotations

from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

# What servers send by default, whatever the page holds: iso-8859-1, latin-1, us-ascii and windows-1252
# all resolve to cp1252 (WHATWG), and the page's own declaration outranks them.
DEFAULT_HEADER_CHARSET = "cp1252"


def page_encoding(response: TextResponse) -> str | None:
    """The charset `response` should be decoded with when it differs from Scrapy's choice, else None.

    Non-ASCII bytes that decode as UTF-8 are UTF-8, whatever the header says: text in a single-byte
    charset (cp1252, cp1258, latin-1) with non-ASCII letters is practically never valid UTF-8.
    Otherwise the page's `<meta charset>` wins over a header that names UTF-8 (the bytes prove it
    wrong: a windows-1258 page served as `charset=utf-8`) or a server default charset.
    (Strict UTF-8 decoding is exact, so no detection library is needed for the first rule; w3lib,
    which Scrapy uses, reads the declarations.)
    """
    body = response.body
    if body.isascii():
        return None
    chosen = resolve_encoding(response.encoding) or response.encoding
    try:
        body.decode("utf-8")
        return None if chosen == "utf-8" else "utf-8"
    except UnicodeDecodeError:
        pass
    declared = resolve_encoding(html_body_declared_encoding(body) or "")
    if not declared or declared == chosen or declared == "utf-8":
        return None
    if chosen == "utf-8":
        return declared
    header = resolve_encoding(http_content_type_encoding(response.headers.get(b"Content-Type", b"").decode("latin-1")) or "")
    return declared if header == DEFAULT_HEADER_CHARSET else None


# Mojibake runs through a whole page: its first lines show it (and the cost is linear).
MAX_CHARS = 1500
# ftfy counts unlikely character sequences; UTF-8 Vietnamese read as cp1252 scores about one per
# accented word ("GiÃ¡ cÃ\xa0 phÃª tÄƒng máº¡nh": 9), clean text 0, and a rare legitimate sequence 1
# (a name ending in "Â " reads like a mojibake no-break space).
MIN_BADNESS = 3


def looks_like_mojibake(text: str) -> bool:
    """True when `text` (its first MAX_CHARS characters) holds UTF-8 read as a single-byte charset
    ("Thá»§ tÆ°á»›ng", "Ä‘Æ°á»ng"): at least MIN_BADNESS unlikely sequences by ftfy's
    `ftfy.badness.badness`. Pass a whole record (title, summary, text), not a lone short title."""
    from ftfy.badness import badness

    return badness(text[:MAX_CHARS]) >= MIN_BADNESS
