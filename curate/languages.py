"""The language registry: one entry per language, with its codes and its ROUGE tokenizer.

Adding a language pair means, at most, one `register(Language(...))` call here (or in user code)
plus a recipe. Each tokenizer is an object with a `.tokenize(text)` method, the interface
rouge-score accepts, and it never lets rouge-score's default tokenizer see the text: that one
deletes every character outside a-z0-9 (it scores identical Chinese strings 0 and shreds
Vietnamese syllables).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from crawl.normalize import clean, fold_vietnamese, tokens


def normalize_vietnamese(text: str) -> str:
    """Vietnamese comparison form (crawl.normalize.fold_vietnamese): invisible characters removed,
    NFKC, case-folded, `Ð` -> `đ`, every syllable's tone mark in its standard place (`hoà` -> `hòa`,
    `baỏ` -> `bảo`, `lựơng` -> `lượng`)."""
    return fold_vietnamese(text)


class Tokenizer(Protocol):
    """What rouge-score calls: an object with `.tokenize(text) -> list[str]`."""

    def tokenize(self, text: str) -> list[str]: ...


class NormalizedTokenizer:
    """ROUGE tokens of crawl.normalize.tokens: one contract for every language.

    Han characters are one token each (Chinese), runs of other letters, marks and digits one token
    each (Vietnamese syllables, English words), after removing invisible characters, NFKC, case
    folding and Vietnamese tone-mark placement. Scripts without spaces other than Han (Thai, Lao)
    need their own segmenter.
    """

    def tokenize(self, text: str) -> list[str]:
        """`Vi\\u200bệt Nam hoà baỏ` -> `['việt', 'nam', 'hòa', 'bảo']`; `COVID-19疫情` ->
        `['covid', '19', '疫', '情']`; punctuation is dropped."""
        return tokens(text)


# The names each language used to have; all three are the one normalized tokenizer.
VietnameseSyllableTokenizer = ChineseCharTokenizer = WordTokenizer = NormalizedTokenizer


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
        """Length for Table-1 statistics: words (the ROUGE tokens) or characters (non-space characters
        of crawl.normalize.clean(text): NFC, invisible format characters not counted)."""
        if self.unit == "chars":
            return sum(1 for ch in clean(text) if not ch.isspace())
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


def registry_code(code: str) -> str:
    """`code` as the registry spells it: a registry code unchanged, and a registered language's code in
    another case (`ZH`), its Google (`zh-CN`, any case) or mBART (`zh_CN`) code as that language's code (`zh`). Any other code (`zh-TW`,
    an unregistered language) is returned unchanged: it names no registry language."""
    if code in LANGUAGES:
        return code
    folded = code.casefold()
    for language in LANGUAGES.values():
        if folded in (language.code.casefold(), language.google.casefold(), language.mbart.casefold()):
            return language.code
    return code


register(Language("vi", "Vietnamese", google="vi", mbart="vi_VN", tokenizer=NormalizedTokenizer(), unit="words"))
register(Language("zh", "Chinese", google="zh-CN", mbart="zh_CN", tokenizer=NormalizedTokenizer(), unit="chars"))
register(Language("en", "English", google="en", mbart="en_XX", tokenizer=NormalizedTokenizer(), unit="words"))
