"""Replaying a translation memory: JSONL records {"src_lang", "tgt_lang", "text", "translation"}.

Used by the offline demo and to import a previous run's translations. A text that the memory does
not hold is an error that names it: a replay never invents a translation.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from curate.io import read_jsonl

from .base import Backend, BatchLimits
from .errors import TranslationMemoryMiss

_FIELDS = ("src_lang", "tgt_lang", "text", "translation")


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


@lru_cache(maxsize=4)
def _load_entries(path: Path, mtime_ns: int, size: int) -> dict[tuple[str, str, str], str]:
    """The memory file as {(src, tgt, normalized text): translation}, read once a process per version
    of the file (flows translate shard after shard; an edited file has a new mtime and is read again)."""
    entries = {}
    for number, record in enumerate(read_jsonl(path), 1):
        missing = [name for name in _FIELDS if not isinstance(record.get(name), str)]
        if missing:
            raise ValueError(f"{path}: record {number} lacks the text field(s) {', '.join(missing)}")
        entries[(record["src_lang"], record["tgt_lang"], _normalize(record["text"]))] = record["translation"]
    return entries


class MemoryBackend(Backend):
    """Looks every text up in the memory file (texts compared after NFC and stripping)."""

    name = "memory"
    limits = BatchLimits(max_segments=100_000, max_chars=None, max_piece_chars=None)
    cacheable = False  # nothing is paid for, and a cache would hide edits to the memory file

    def __init__(self, path: Path | str | None) -> None:
        if path is None:
            raise ValueError("the memory backend needs a translation memory: pass --memory FILE")
        self.path = Path(path)
        self.model = str(self.path)
        stat = self.path.stat()
        self.entries = _load_entries(self.path.resolve(), stat.st_mtime_ns, stat.st_size)

    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """The memory's translations; the first missing text raises TranslationMemoryMiss."""
        answers = []
        for text in texts:
            translation = self.entries.get((src, tgt, _normalize(text)))
            if translation is None:
                shown = text if len(text) <= 80 else text[:77] + "..."
                raise TranslationMemoryMiss(
                    f"{self.path} has no {src}->{tgt} translation of {shown!r} ({len(self.entries)} entries); "
                    "add it to the memory or use another backend"
                )
            answers.append(translation)
        return answers
