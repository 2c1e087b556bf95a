"""Language identification of record text with py3langid (langid.py's 97-language model, shipped in
the wheel: works offline, no download).

It replaces a count of Vietnamese-only letters, which mojibake ("Thá»§ tÆ°á»›ng") and any
Latin-script text with a few diacritics passed. Codes are ISO 639-1 (`vi`, `th`, `lo`, `zh`, `en`),
the codes of the record field `lang`.
"""

from __future__ import annotations

from functools import cache

# A body says no more about its language than its first few sentences do (and the cost is linear).
MAX_CHARS = 800


def identify(text: str) -> str:
    """The ISO 639-1 code of the most probable language of `text` (e.g. "vi"); "" for empty text."""
    if not text.strip():
        return ""
    language, _score = _identifier().classify(text[:MAX_CHARS])
    return language


@cache
def _identifier():
    """py3langid's identifier over all its languages, loaded once per process (about 0.3 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


def supported_languages() -> list[str]:
    """The language codes py3langid can answer (its model's classes, sorted: 139 in py3langid 0.4; ISO
    639-1 where there is one, e.g. "vi", else ISO 639-3, e.g. "yue"), less "zxx" (no linguistic content)."""
    return sorted(set(_identifier().nb_classes) - {"zxx"})


def check_language(code: str) -> str:
    """`code` itself when py3langid knows it (records found in any other language would all be dropped).

    Raises:
        ValueError: a code py3langid cannot answer (an ISO 639-1 code it lacks, "VI", "vn", "xx").
    """
    known = supported_languages()
    if code not in known:
        raise ValueError(f"unknown language code {code!r}: --lang takes one of py3langid's {len(known)} "
                         f"codes ({', '.join(known)})")
    return code
