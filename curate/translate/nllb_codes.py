"""NLLB-200 language codes keyed by our language codes (curate.languages keeps Google and mBART codes).

NLLB models name languages by ISO 639-3 code and script (`vie_Latn`, `zho_Hans`); to support a new
language with the `hf` backend, add its entry here.
"""

from __future__ import annotations

NLLB_CODES: dict[str, str] = {
    "vi": "vie_Latn",
    "zh": "zho_Hans",
    "en": "eng_Latn",
    "th": "tha_Thai",
    "lo": "lao_Laoo",
    "km": "khm_Khmr",
    "id": "ind_Latn",
    "ja": "jpn_Jpan",
    "ko": "kor_Hang",
    "fr": "fra_Latn",
    "de": "deu_Latn",
    "es": "spa_Latn",
    "ru": "rus_Cyrl",
}


def nllb_code(code: str) -> str | None:
    """The NLLB code of one of our language codes, or None when there is no mapping."""
    return NLLB_CODES.get(code)
