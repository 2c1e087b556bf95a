"""The language registry: one entry per language, with its codes and its ROUGE tokenizer.

Adding a language pair means, at most, one `register(Language(...))` call here (or in user code)
plus a recipe. Each tokenizer is an object with a `.tokenize(text)` method, the interface
rouge-score accepts, and it never lets rouge-score's default tokenizer see the text: that one
deletes every character outside a-z0-9 (it scores identical Chinese strings 0 and shreds
Vietnamese syllables).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, Protocol

# CJK ideographs: unified (basic, extensions A-F), compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_WORD = re.compile(r"\w+")
# A CJK character, or a run of word characters that are neither CJK nor "_".
_ZH_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")

# Vietnamese has two tone-mark placements for the open syllables oa, oe, uy: the old style puts the
# mark on the second vowel (hoà, khoẻ, thuỷ), the new style on the first (hòa, khỏe, thủy). Both
# spellings are in use, so ROUGE must treat them as one token; we rewrite the old style to the new.
# (underthesea.text_normalize does this too, but it is slow and heavy for 142k-pair scoring.)
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # grave, acute, hook, tilde, dot below


def _old_to_new_style() -> dict[str, str]:
    mapping = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            old = first + unicodedata.normalize("NFC", second + tone)
            new = unicodedata.normalize("NFC", first + tone) + second
            mapping[old] = new
    return mapping


_OLD_STYLE = _old_to_new_style()
# Only at the end of a syllable (an open syllable) and not after "q" (in "quý" the u is part of qu).
_OLD_STYLE_RE = re.compile(f"(?<!q)({'|'.join(_OLD_STYLE)})(?!\\w)")


def normalize_vietnamese(text: str) -> str:
    """NFC, lower-case, old-style tone marks moved to the new style (`hoà` -> `hòa`), `Ð` -> `đ`."""
    text = unicodedata.normalize("NFC", text).lower().replace("ð", "đ")
    return _OLD_STYLE_RE.sub(lambda m: _OLD_STYLE[m.group(1)], text)


class Tokenizer(Protocol):
    """What rouge-score calls: an object with `.tokenize(text) -> list[str]`."""

    def tokenize(self, text: str) -> list[str]: ...


class VietnameseSyllableTokenizer:
    """Vietnamese ROUGE tokens: syllables (`\\w+` runs) of the normalized text."""

    def tokenize(self, text: str) -> list[str]:
        """Split normalized Vietnamese text into syllables."""
        return _WORD.findall(normalize_vietnamese(text))


class ChineseCharTokenizer:
    """Chinese ROUGE tokens: each CJK character; a Latin/digit run is one lower-cased token."""

    def tokenize(self, text: str) -> list[str]:
        """`COVID-19疫情` -> `['covid', '19', '疫', '情']`; punctuation is dropped."""
        return _ZH_TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


class WordTokenizer:
    """Space-delimited languages: lower-cased `\\w+` runs of the NFC text."""

    def tokenize(self, text: str) -> list[str]:
        """Split text into lower-cased word tokens."""
        return _WORD.findall(unicodedata.normalize("NFC", text).lower())


@dataclass(frozen=True)
class Language:
    """One language: its codes in our records, in Google Translate and in mBART, and how to count it."""

    code: str
    name: str
    google: str
    mbart: str
    tokenizer: Tokenizer
    unit: Literal["words", "chars"]

    def count_units(self, text: str) -> int:
        """Length for Table-1 statistics: words (the ROUGE tokens) or characters (non-space)."""
        if self.unit == "chars":
            return sum(1 for ch in text if not ch.isspace())
        return len(self.tokenizer.tokenize(text))


LANGUAGES: dict[str, Language] = {}


def register(language: Language) -> Language:
    """Add (or replace) a language in the registry and return it."""
    LANGUAGES[language.code] = language
    return language


class UnknownLanguageError(ValueError):
    """A language code that is not in the registry."""


def get_language(code: str) -> Language:
    """The registry entry for `code`; an unknown code raises an error that lists the known ones."""
    try:
        return LANGUAGES[code]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise UnknownLanguageError(f"unknown language {code!r}; known languages: {known}") from None


register(Language("vi", "Vietnamese", google="vi", mbart="vi_VN", tokenizer=VietnameseSyllableTokenizer(), unit="words"))
register(Language("zh", "Chinese", google="zh-CN", mbart="zh_CN", tokenizer=ChineseCharTokenizer(), unit="chars"))
register(Language("en", "English", google="en", mbart="en_XX", tokenizer=WordTokenizer(), unit="words"))
