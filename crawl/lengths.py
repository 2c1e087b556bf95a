"""Length units of the crawl's quality gates, per language: words where words are written with
spaces, characters where they are not.

The gate settings (`CLSFORGE_SUMMARY_MIN_WORDS` 10, `CLSFORGE_SUMMARY_MAX_WORDS` 150,
`CLSFORGE_BODY_MIN_WORDS` 40) are in words. For Vietnamese, English and every other language
written with spaces, a word is a comparison token of crawl.normalize.tokens (a Vietnamese syllable,
an English word). Chinese, Japanese, Thai, Lao, Khmer and Myanmar write no spaces between words,
and tokens() makes each Han character and each Thai/Lao/Khmer/Myanmar letter a token, so a word
limit read as a token limit would cut a normal 190-character Thai sapo or 160-character Chinese
lead as `summary_too_long`. Those languages are measured in characters instead (`LengthUnit.count`:
letters and digits, combining marks not counted, punctuation and spaces not counted), against the
word limit times the language's characters per word (`LengthUnit.limit`).

The figures (frequency-weighted mean word length in the same characters, punctuation left out):
- Chinese 1.66: jieba 0.42.1's dictionary (dict.txt, 349,046 words with their corpus counts:
  sum(count x letters) / sum(count), computed once; jieba is not a clsforge dependency).
- Thai 3.22: the Thai National Corpus word-frequency list in PyThaiNLP's repository
  (pythainlp/corpus/tnc_freq.txt; its entries with a Thai letter: 33.2 million tokens; 4.12 code
  points per word with the marks).
- Japanese, Cantonese, Wu: Chinese's figure; Lao, Khmer, Myanmar: Thai's figure (scripts of the same
  kind; no frequency list of their own at hand): estimates. `CLSFORGE_GATE_CHARS_PER_WORD`
  (`{"lo": 3.0}`) overrides a figure without code.

No word segmenter is used. Chinese is measured in characters as Table 1 measures it (jieba would add a 0.5 s dictionary load to every crawl for the same rough limit), and no Thai,
Lao, Khmer or Myanmar segmenter is a dependency (pythainlp's newmm would add a large package for a
length gate whose limits are rough by nature).

crawl/ owns this table (curate/ may import crawl/, not the other way round); curate/languages.py's
Table-1 units agree with it for the languages registered there (tests/crawl/test_gate_lengths.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import regex

from crawl.normalize import clean, tokens

CHINESE_CHARS_PER_WORD = 1.66
THAI_CHARS_PER_WORD = 3.22


@dataclass(frozen=True)
class LengthUnit:
    """How one language's texts are measured by the gates.

    Attributes:
        name: "words" (crawl.normalize.tokens) or "chars" (letters and digits).
        chars_per_word: how many units one word of the gate settings is worth (1 for "words").
    """

    name: Literal["words", "chars"]
    chars_per_word: float = 1.0

    def count(self, text: str) -> int:
        """Length of `text` in this unit.

        "words": len(crawl.normalize.tokens(text)) (`Việt Nam, 2024` -> 3).
        "chars": the characters of crawl.normalize.clean(text) (invisible characters removed, NFC)
        that are letters or digits (str.isalnum: `ๆ` and Thai digits count; combining vowel and
        tone marks, punctuation and spaces do not): `น้ำท่วม` (7 code points) -> 5, `新冠疫情，2024年`
        -> 9.
        """
        if self.name == "chars":
            return sum(1 for ch in clean(text) if ch.isalnum())
        return len(tokens(text))

    def limit(self, words: int) -> int:
        """A gate limit of `words` words in this unit: words x chars_per_word, rounded half up
        (Chinese: 150 -> 249, 40 -> 66, 10 -> 17; Thai: 150 -> 483, 40 -> 129, 10 -> 32)."""
        return int(words * self.chars_per_word + 0.5)


WORDS = LengthUnit("words")
UNITS: dict[str, LengthUnit] = {}


def register_unit(lang: str, unit: LengthUnit) -> LengthUnit:
    """Measure language `lang` (an ISO 639 code as in the record field `lang`) in `unit`."""
    UNITS[lang.lower()] = unit
    return unit


def length_unit(lang: str | None, overrides: Mapping[str, float] | None = None) -> LengthUnit:
    """The unit of language `lang`: its entry (looked up by the code, then by its primary subtag:
    `zh-TW` -> `zh`), else WORDS. `overrides` (from `check_overrides`) maps codes to another
    chars_per_word; it changes only "chars" languages."""
    code = (lang or "").lower().replace("_", "-")
    primary = code.split("-")[0]
    unit = UNITS.get(code) or UNITS.get(primary) or WORDS
    if overrides and unit.name == "chars":
        figure = overrides.get(code, overrides.get(primary))
        if figure is not None:
            unit = replace(unit, chars_per_word=figure)
    return unit


# Letters of the scripts measured in characters, by the language whose figure they take.
_CHARS_SCRIPTS = (
    (regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]"), "zh"),
    (regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]"), "th"),
)


def script_unit(text: str) -> LengthUnit:
    """The unit of `text` told from its letters, where its language is not known (a body line
    compared with the sapo): Chinese's (Han and kana letters) or Thai's (Thai, Lao, Khmer, Myanmar
    letters) when more than half of its letters are of those scripts, else WORDS.
    `script_unit("新冠疫情")` -> LengthUnit("chars", 1.66); `script_unit("Giá vàng 新")` -> WORDS."""
    letters = [ch for ch in clean(text) if ch.isalpha()]
    for script, lang in _CHARS_SCRIPTS:
        if 2 * sum(1 for ch in letters if script.match(ch)) > len(letters):
            return UNITS[lang]
    return WORDS


def check_overrides(raw: Mapping[str, object] | None) -> dict[str, float]:
    """The setting CLSFORGE_GATE_CHARS_PER_WORD (`{"lo": 3.0}`) as {lowercase code: figure}.

    Raises:
        ValueError: a figure that is not a positive finite number (0, -1, nan, inf, "3").
    """
    checked = {}
    for code, figure in (raw or {}).items():
        if isinstance(figure, bool) or not isinstance(figure, (int, float)) or not 0 < figure < math.inf:
            raise ValueError(f"CLSFORGE_GATE_CHARS_PER_WORD[{code!r}] must be a positive finite number, not {figure!r}")
        checked[str(code).lower().replace("_", "-")] = float(figure)
    return checked


for _code in ("zh", "yue", "wuu", "ja"):
    register_unit(_code, LengthUnit("chars", CHINESE_CHARS_PER_WORD))
for _code in ("th", "lo", "km", "my"):
    register_unit(_code, LengthUnit("chars", THAI_CHARS_PER_WORD))
