"""One Unicode normalisation for every stage: crawl cleaning, ROUGE tokens, statistics, dedup keys.

Two levels, each a strict superset of the one before:

- `clean(text)`, for text we store (crawl records): the invisible characters (`INVISIBLE`: every
  Unicode Default_Ignorable_Code_Point) removed, Unicode NFC, runs of whitespace collapsed to one
  space, ends stripped. No letter changes, so records keep the site's own spelling (the one visible
  change: an emoji sequence joined by ZWJ or styled by a variation selector falls apart into its
  plain members, which news text of vi/zh/en can afford).
- `tokens(text)`, for text we compare or count (ROUGE, Table-1 word counts, dedup keys): the
  invisible characters removed, NFKC (composed, and full-width Latin letters and digits become
  ASCII), case folding, `Ð`/`ð` (U+00D0 / U+00F0, look-alikes typed for Vietnamese `Đ`) read as
  `đ` (`fold`), then split: every Han character (Unicode script property Han, which includes `〇`
  U+3007 and the CJK extension planes B-H) is one token, so is every letter (with its marks) of Thai,
  Lao, Khmer and Myanmar (scripts written without spaces between words), and every run of other letters, marks and
  digits (regex's `\\w` without `_`) that starts with a letter or digit is one token, with its
  Vietnamese tone mark moved to the standard place (`place_tone_marks`); punctuation, symbols, spaces
  and `_` separate tokens and are dropped, and so is a combining mark with no letter of its run before
  it (after a Han character, a space or punctuation: `中\\u0301` is `['中']`). `dedup_key(text)` is
  these tokens joined by single spaces.

crawl/ owns this module because curate/ may import crawl/ but not the other way round.
"""

from __future__ import annotations

import re
import unicodedata

import regex

# Invisible characters: Unicode's Default_Ignorable_Code_Point property (regex's
# \p{Default_Ignorable_Code_Point}), not general category Cf. It is the set the standard says to render
# as nothing: soft hyphen, CGJ U+034F, Arabic letter mark, Hangul fillers, Khmer inherent vowels,
# Mongolian free variation selectors and vowel separator U+180B-U+180F, zero-width space / non-joiner /
# joiner U+200B-U+200D, LRM/RLM U+200E/F, bidi embeddings and overrides U+202A-U+202E, word joiner,
# invisible operators U+2061-U+2064, bidi isolates U+2066-U+2069, variation selectors U+FE00-U+FE0F and
# U+E0100-U+E01EF, BOM U+FEFF, tag characters U+E0000-U+E007F and the reserved rest of those blocks.
# Cf would also take visible signs (Arabic number signs U+0600-U+0605, Egyptian hieroglyph controls)
# and miss CGJ and the variation selectors, which sit inside a word as marks. Scraped pages carry them
# (LRM before a Dân trí sapo, a BOM, ZWSP from `&#8203;`); each one splits a word in two for every
# tokenizer or hides inside a token, so they go before anything else, in stored text and comparison
# alike. ZWNJ/ZWJ carry meaning in Persian, Indic scripts and emoji sequences; for this project's
# languages (vi, zh, en) they are invisible noise, and they are removed like the rest. The interlinear
# annotation controls U+FFF9-U+FFFB are format characters outside that property that render as nothing
# too (they delimit ruby text): removed as well.
INVISIBLE = r"[\p{Default_Ignorable_Code_Point}\uFFF9-\uFFFB]"
_INVISIBLE = regex.compile(INVISIBLE + "+")
_SPACES = re.compile(r"\s+")
# A Han character alone, or a run of letters / marks / digits that are not Han (and not "_").
# Thai, Lao, Khmer and Myanmar write no spaces between words: like Han, each letter (with its marks)
# is one token (the crawl's length gates count these languages in characters: crawl/lengths.py).
_UNSPACED = r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
# A run starts with a letter or digit: a combining mark after a Han character (or after a space or
# punctuation) has no base letter in the run and is skipped by findall, not made a token of its own.
_TOKEN = regex.compile(rf"\p{{Han}}|[{_UNSPACED}]\p{{M}}*|[^\W_\p{{M}}\p{{Han}}{_UNSPACED}][^\W_\p{{Han}}{_UNSPACED}]*")
_WORD_RUN = regex.compile(rf"[^\W_\p{{Han}}{_UNSPACED}]+")
# Speed: the stdlib engine's [^\W_]+ is twice as fast as regex's and matches exactly the same
# characters inside these blocks (ASCII, Latin-1 letters, Latin Extended-A/B, Latin Extended
# Additional with the Vietnamese letters, general punctuation without its connectors); tests check
# every character of them. Text with any character outside them takes the `regex` path.
_FAST_BLOCKS = "\x00-\x7f\xa0-\xb1\xb4-\xb8\xba\xbb\xbf-\u024f\u1e00-\u1eff\u2010-\u203e\u2041-\u2053\u2055-\u205e"
_OUTSIDE_FAST_BLOCKS = re.compile(f"[^{_FAST_BLOCKS}]")
_FAST_TOKEN = re.compile(r"[^\W_]+")

# Vietnamese syllable structure: initial consonant, vowel nucleus, final consonant, and one tone.
# The rule places the tone where underthesea's text_normalize puts it: on the last vowel with a
# quality mark (ă â ê ô ơ ư; ơ in ươ), else on the last vowel of a closed syllable, else on the first
# of two vowels (hòa, thủy, khỏe) or the middle of three (ngoài). We apply the rule instead of calling
# underthesea because its text_normalize is a lookup table of the misspellings it has seen (2,904
# tokens, none longer than 6 letters: "tíên", "chủân", "nghịêng" stay wrong) and importing it takes
# seconds. tests/crawl/test_normalize.py checks the rule against every tone entry of that table.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = frozenset("aăâeêioôơuưy")
_QUALITY = frozenset("ăâêôơư")
_INITIALS = (
    "ngh", "ng", "gh", "gi", "qu", "ch", "kh", "nh", "ph", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
_FINALS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
_SINGLE = frozenset(_VOWELS)
_OPEN_NUCLEI = _SINGLE | frozenset(
    "ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ uy ưa ưi ưu ươ "
    "iêu yêu oai oay oeo uây uôi uya uyu ươi ươu".split()
)
_CLOSED_NUCLEI = _SINGLE | frozenset("oa oă oe oo ôô uâ uê uô uy ươ iê yê uyê".split())
_SYLLABLES: dict[str, str] = {}  # memo: each distinct word run is placed once
_MEMO_LIMIT = 1 << 20


def remove_invisible(text: str) -> str:
    """`text` without its invisible characters (`INVISIBLE`: every Default_Ignorable_Code_Point)."""
    return _INVISIBLE.sub("", text)


def clean(text: str | None) -> str:
    """Stored-text form: invisible characters removed, NFC, whitespace runs -> one space, stripped."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", remove_invisible(text))).strip()


def fold(text: str) -> str:
    """Comparison form without tone placement: invisible characters removed, NFKC, case-folded,
    `ð` -> `đ` (spacing and punctuation are kept)."""
    folded = unicodedata.normalize("NFKC", remove_invisible(text)).casefold()
    return folded.replace("\u00f0", "\u0111") if "\u00f0" in folded else folded


def place_tone_marks(word: str) -> str:
    """A Vietnamese syllable with its tone mark in the standard place; other words unchanged.

    `baỏ` -> `bảo`, `lựơng` -> `lượng`, `nghịêm` -> `nghiệm`, `hoà` -> `hòa`, `thuỷ` -> `thủy`,
    `HOÀ` -> `HÒA` (case is kept). A word that is not one Vietnamese syllable (an initial from
    `_INITIALS`, a nucleus from `_OPEN_NUCLEI` / `_CLOSED_NUCLEI`, a final from `_FINALS`) or that
    carries two different tone marks is returned as it is. Input is one `\\w` run in NFC; memoised.
    """
    placed = _SYLLABLES.get(word)
    if placed is None:
        placed = _place(word)
        if len(_SYLLABLES) >= _MEMO_LIMIT:
            _SYLLABLES.clear()
        _SYLLABLES[word] = placed
    return placed


def fold_vietnamese(text: str) -> str:
    """`fold(text)` with every syllable's tone mark in its standard place (`place_tone_marks`)."""
    return _WORD_RUN.sub(lambda m: place_tone_marks(m.group()), fold(text))


def tokens(text: str) -> list[str]:
    """Comparison tokens of `text` (module docstring): `Vi\\u200bỆT Nam, 二〇〇八年` ->
    `['việt', 'nam', '二', '〇', '〇', '八', '年']`."""
    folded = fold(text)
    found = (_TOKEN if _OUTSIDE_FAST_BLOCKS.search(folded) else _FAST_TOKEN).findall(folded)
    syllables = _SYLLABLES
    return [syllables.get(t) or place_tone_marks(t) for t in found]


def dedup_key(text: str) -> str:
    """Key for exact / near-exact duplicate detection: `tokens(text)` joined by single spaces.

    Texts that differ only in case, punctuation, spacing, invisible characters, full-width forms,
    Unicode composition or Vietnamese tone-mark placement get the same key.
    """
    return " ".join(tokens(text))


def _place(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = {ch for ch in decomposed if ch in _TONE_MARKS}
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    position = _tone_position(base.lower()) if len(base) == len(base.lower()) else None
    if position is None:
        return word
    placed = base[:position] + unicodedata.normalize("NFC", base[position] + tones.pop()) + base[position + 1 :]
    return placed


def _tone_position(syllable: str) -> int | None:
    """Index of the letter that carries the tone in a lower-case, toneless syllable; None if not one."""
    for initial in _INITIALS:
        if not syllable.startswith(initial):
            continue
        rest = syllable[len(initial) :]
        if initial in ("gi", "qu") and not (rest and rest[0] in _VOWELS):
            continue  # "gìn" is g + i + n; "qu" needs a vowel after it
        end = 0
        while end < len(rest) and rest[end] in _VOWELS:
            end += 1
        nucleus, final = rest[:end], rest[end:]
        if not nucleus or final not in _FINALS:
            return None
        if nucleus not in (_CLOSED_NUCLEI if final else _OPEN_NUCLEI):
            return None
        quality = [i for i, ch in enumerate(nucleus) if ch in _QUALITY]
        if quality:
            offset = quality[-1]
        elif len(nucleus) == 1:
            offset = 0
        elif final:
            offset = len(nucleus) - 1
        else:
            offset = 0 if len(nucleus) == 2 else 1
        return len(initial) + offset
    return None
