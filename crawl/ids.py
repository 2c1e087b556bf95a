"""Stable record ids: a hash of the canonical URL."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url


def record_id(url: str) -> str:
    """16 hex digits of SHA-1 over the canonical URL's host, path and query.

    Scheme and port are left out: http and https agree, and a local copy of a site keeps its ids
    when it is served again on another free port (the demo, a resumed test crawl).
    """
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    key = (parts.hostname or "") + parts.path + (f"?{parts.query}" if parts.query else "")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
