"""Replaying a translation memory: JSONL records {"src_lang", "tgt_lang", "text", "translation"}.

Used by the offline demo and to import a previous run's translations. A text that the memory does
not hold is an error that names it: a replay never invents a translation. Nor does it pick one: two
different translations of one (src, tgt, text) and an empty translation are errors naming their lines.
Language codes are read through the registry (curate.languages.registry_code), so a memory written
with Google's codes (`zh-CN`) serves the registry's `zh`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crawl.normalize import clean
from curate.io import read_jsonl_numbered
from curate.languages import registry_code

from .base import Backend, BatchLimits
from .errors import TranslationMemoryMiss

_FIELDS = ("src_lang", "tgt_lang", "text", "translation")


def _normalize(text: str) -> str:
    """NFC, invisible characters removed (crawl.normalize.clean), trimmed: a translation of only a
    zero-width space is an empty one."""
    return clean(text)


def _shown(text: str) -> str:
    """A text as quoted in a message: repr, cut to 80 characters."""
    return repr(text if len(text) <= 80 else text[:77] + "...")


@dataclass(frozen=True)
class Memory:
    """A memory file read: `entries` {(src, tgt, normalized text): translation}, with registry language
    codes (curate.languages.registry_code: an entry written with Google's `zh-CN` is a `zh` entry), and
    `pairs` {normalized text: {"src->tgt", ...}}, the directions each text has, for the miss message."""

    entries: dict[tuple[str, str, str], str]
    pairs: dict[str, set[str]]


@lru_cache(maxsize=4)
def _load_entries(path: Path, mtime_ns: int, size: int) -> Memory:
    """The memory file, read once a process per version of the file (flows translate shard after shard;
    an edited file has a new mtime and is read again).

    Raises:
        ValueError: `PATH:LINE: ...` for a line without the four text fields or with an empty (or
            whitespace-only) translation; `PATH: lines A and B give two ... translations` for one
            (src, tgt, text) given two different translations. A repeat of the same translation
            (after NFC and stripping) is one entry.
    """
    entries: dict[tuple[str, str, str], str] = {}
    lines: dict[tuple[str, str, str], int] = {}
    pairs: dict[str, set[str]] = {}
    for number, record in read_jsonl_numbered(path):
        missing = [name for name in _FIELDS if name not in record]
        if missing:
            raise ValueError(f"{path}:{number}: the record lacks the text field(s) {', '.join(missing)}")
        wrong = [f"{name} ({json.dumps(record[name])})" for name in _FIELDS if not isinstance(record[name], str)]
        if wrong:
            raise ValueError(f"{path}:{number}: {', '.join(wrong)} is not a text")
        src, tgt = registry_code(record["src_lang"]), registry_code(record["tgt_lang"])
        text, translation = _normalize(record["text"]), _normalize(record["translation"])
        if not translation:  # never "translated" as "": the translator only counts empty *inputs* as empty
            raise ValueError(
                f"{path}:{number}: the {src}->{tgt} translation of {_shown(text)} is empty; "
                "a memory entry holds a translation (remove the line or fill it in)"
            )
        key = (src, tgt, text)
        if key in entries and entries[key] != translation:
            raise ValueError(
                f"{path}: lines {lines[key]} and {number} give two {src}->{tgt} translations of {_shown(text)} "
                f"({entries[key]!r} and {translation!r}); keep one"
            )
        entries.setdefault(key, translation)
        lines.setdefault(key, number)
        pairs.setdefault(text, set()).add(f"{src}->{tgt}")
    return Memory(entries, pairs)


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
        self.memory = _load_entries(self.path.resolve(), stat.st_mtime_ns, stat.st_size)
        self.entries = self.memory.entries

    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """The memory's translations; the first missing text raises TranslationMemoryMiss."""
        src, tgt = registry_code(src), registry_code(tgt)
        answers = []
        for text in texts:
            translation = self.entries.get((src, tgt, _normalize(text)))
            if translation is None:
                held = sorted(self.memory.pairs.get(_normalize(text), ()))
                elsewhere = f"; it has this text for {', '.join(held)}" if held else ""
                raise TranslationMemoryMiss(
                    f"{self.path} has no {src}->{tgt} translation of {_shown(text)} ({len(self.entries)} entries"
                    f"{elsewhere}); add it to the memory or use another backend"
                )
            answers.append(translation)
        return answers
