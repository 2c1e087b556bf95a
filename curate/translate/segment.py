"""Splitting long texts at sentence boundaries, rejoining their translations, packing requests."""

from __future__ import annotations

import re
from collections.abc import Sequence

from curate.languages import get_language

from .base import BatchLimits

# A sentence ends at . ! ? … (then whitespace) or at a CJK full stop / mark (whitespace optional).
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？；])\s*")
_SPACE = re.compile(r"\s+")


def split_long(text: str, max_chars: int | None) -> list[str]:
    """`text` as pieces of at most `max_chars` code points, cut at sentence ends, else spaces, else anywhere."""
    if max_chars is None or len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    for sentence in _sentences(text):
        if len(sentence.strip()) > max_chars:
            pieces.extend(_pack_words(sentence.strip(), max_chars))
        elif pieces and len((pieces[-1] + sentence).strip()) <= max_chars:
            pieces[-1] += sentence
        else:
            pieces.append(sentence)
    return [piece.strip() for piece in pieces]


def _sentences(text: str) -> list[str]:
    """The sentences of `text`, each with the whitespace that follows it (they concatenate back to `text`)."""
    sentences, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if end.end() > start:
            sentences.append(text[start : end.end()])
            start = end.end()
    if start < len(text):
        sentences.append(text[start:])
    return sentences


def _pack_words(sentence: str, max_chars: int) -> list[str]:
    pieces: list[str] = []
    for word in _SPACE.split(sentence):
        while len(word) > max_chars:  # a run with no space at all (CJK without punctuation)
            pieces.append(word[:max_chars])
            word = word[max_chars:]
        if pieces and len(pieces[-1]) + 1 + len(word) <= max_chars:
            pieces[-1] = f"{pieces[-1]} {word}"
        elif word:
            pieces.append(word)
    return pieces


def join_pieces(pieces: Sequence[str], tgt: str) -> str:
    """Rejoin the translations of one text's pieces: no space in character languages (zh), else one."""
    separator = "" if get_language(tgt).unit == "chars" else " "
    return separator.join(piece.strip() for piece in pieces)


def pack_batches(texts: Sequence[str], limits: BatchLimits, target_chars: int | None = None) -> list[list[str]]:
    """Group texts, in order, into requests within `limits` and at most `target_chars` code points each.

    Each text must already fit one request (see `split_long`). Greedy in-order packing fills every
    request but the last to within one text of a limit.
    """
    budget = min((c for c in (limits.max_chars, target_chars) if c is not None), default=None)
    batches: list[list[str]] = []
    size = 0
    for text in texts:
        full = batches and len(batches[-1]) >= limits.max_segments
        over = budget is not None and batches and size + len(text) > budget
        if not batches or full or over:
            batches.append([])
            size = 0
        batches[-1].append(text)
        size += len(text)
    return batches
