"""Replaying a translation memory: JSONL records {"src_lang", "tgt_lang", "text", "translation"}.

Used by the offline demo and to import a previous run's translations. A text that the memory does
not hold is an error that names it: a replay never invents a translation.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from curate.io import read_jsonl

from .base import Backend, BatchLimits
from .errors import TranslationMemoryMiss

_FIELDS = ("src_lang", "tgt_lang", "text", "translation")


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


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
        self.entries: dict[tuple[str, str, str], str] = {}
        for number, record in enumerate(read_jsonl(self.path), 1):
            missing = [name for name in _FIELDS if not isinstance(record.get(name), str)]
            if missing:
                raise ValueError(f"{self.path}: record {number} lacks the text field(s) {', '.join(missing)}")
            key = (record["src_lang"], record["tgt_lang"], _normalize(record["text"]))
            self.entries[key] = record["translation"]

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
