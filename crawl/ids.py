"""Stable record ids: a hash of the canonical URL."""

from __future__ import annotations

import hashlib

from w3lib.url import canonicalize_url


def record_id(url: str) -> str:
    """16 hex digits of SHA-1 over the canonical URL without its scheme (http and https agree)."""
    canonical = canonicalize_url(url, keep_fragments=False).split("://", 1)[-1]
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]
