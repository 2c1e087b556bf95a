"""The persistent translation cache: SQLite, one row per (backend, model, src, tgt, text hash).

`model` is the backend's `model_identity()`: the model's name (Google, a Hub id), or `sha256:<hex>`
of a local model folder's files (curate.translate.hf), so another model saved under the same path
does not answer with the old one's translations.

A text is paid for at most once across runs: the translator looks every text up here first and
commits each answered request as it arrives, so a killed run loses at most its in-flight requests.
WAL mode plus a busy timeout lets several processes (parallel flow tasks) write the same file.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    src TEXT NOT NULL,
    tgt TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (backend, model, src, tgt, text_sha256)
)
"""
_LOOKUP_CHUNK = 500  # hashes per SELECT, below SQLite's bound-parameter limit
_SETUP_ATTEMPTS = 8  # about 6 s of backoff in all


def text_hash(text: str) -> str:
    """The cache key of a text: SHA-256 of its UTF-8 bytes (texts are NFC before they get here)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CacheKey = tuple[str, str, str, str]  # (backend, model identity, src, tgt)


class TranslationCache:
    """Translations keyed by backend, model, language pair and text, in an SQLite file (in memory with no path)."""

    def __init__(self, path: Path | str | None = None) -> None:
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = None
        try:
            self._db = sqlite3.connect(str(path) if path is not None else ":memory:", timeout=60, check_same_thread=False)
            self._set_up()
        except sqlite3.DatabaseError as exc:
            if self._db is not None:
                self._db.close()
            if "locked" in str(exc):
                raise
            raise ValueError(f"{path}: not usable as the translation cache ({exc}); pass --cache a new file or an existing cache") from None

    def _set_up(self) -> None:
        """WAL mode and the table; retried, since switching to WAL answers "database is locked" at once
        (without waiting for the busy timeout) while another process is setting up the same file."""
        for attempt in range(_SETUP_ATTEMPTS):
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(_SCHEMA)
                self._db.commit()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == _SETUP_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * 2**attempt + random.random() * 0.05)

    def get_many(self, key: CacheKey, texts: Sequence[str]) -> dict[str, str]:
        """The cached translations (under `key`) of those `texts` that have one, keyed by text."""
        by_hash = {text_hash(text): text for text in texts}
        hashes = list(by_hash)
        found: dict[str, str] = {}
        for start in range(0, len(hashes), _LOOKUP_CHUNK):
            chunk = hashes[start : start + _LOOKUP_CHUNK]
            rows = self._db.execute(
                "SELECT text_sha256, translation FROM translations WHERE backend=? AND model=? AND src=? AND tgt=?"
                f" AND text_sha256 IN ({','.join('?' * len(chunk))})",
                (*key, *chunk),
            )
            found.update((by_hash[digest], translation) for digest, translation in rows)
        return found

    def put_many(self, key: CacheKey, pairs: Iterable[tuple[str, str]]) -> None:
        """Store (text, translation) pairs and commit at once (one answered request = one transaction)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (backend, model, src, tgt, text_sha256, text, translation)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*key, text_hash(text), text, translation) for text, translation in pairs],
            )

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()
