"""`language_id`: the source text, source summary and target summary are in the recipe's languages.

py3langid (a naive-Bayes identifier whose model ships in the wheel, so it works offline) gives a
probability per language (`norm_probs`); the score columns hold the probability of the EXPECTED
language: `lid_text` (source text, first `max_chars` characters), `lid_summary` (source summary,
expected `source_lang`), `lid_target` (target summary, expected `target_lang`). A record is
dropped as `wrong_language_<field>` when a probability is under `min_confidence`. Our language
codes map to the identifier's ISO 639-1 codes through the language registry (the Google code's
language part: `zh-CN` -> `zh`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache, partial
from typing import Any

from pydantic import Field

from curate.filters.base import FilterStep, StepParams
from curate.filters.parallel import map_batches
from curate.languages import get_language

COLUMNS = {"lid_text": "text", "lid_summary": "summary", "lid_target": "target"}
# Macrolanguages whose members the identifier labels separately: its model splits simplified-Chinese
# Mandarin news between `zh` and `wuu` (Wu) about evenly, so the score of `zh` sums the members.
MACROLANGUAGES = {"zh": ("zh", "wuu", "yue", "gan", "hak", "nan")}


class LanguageParams(StepParams):
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0, description="Drop a record whose field's probability of its expected language is under this.")
    max_chars: int = Field(default=300, ge=20, description="Characters of the source text identified (the start; the cost grows with length).")
    workers: int | None = Field(default=None, ge=1, description="Processes (default: every core).")


def identifier_code(code: str) -> str:
    """The identifier's ISO 639-1 code for a registry language (`zh` for `zh`, whose Google code is `zh-CN`)."""
    return get_language(code).google.split("-")[0].lower()


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def members(code: str) -> tuple[str, ...]:
    """The identifier labels that count as `code` (its macrolanguage members, or itself)."""
    return MACROLANGUAGES.get(code, (code,))


def probability(text: str, code: str) -> float:
    """Probability (0-1) that `text` is in the identifier language `code` (summed over its
    macrolanguage members); 0.0 for an empty text."""
    if not text or not text.strip():
        return 0.0
    ranked = dict(_identifier().rank(text))
    return min(1.0, sum(ranked.get(label, 0.0) for label in members(code)))


def _score_batch(rows: list[tuple[str, str, str]], codes: tuple[str, str, str]) -> list[dict[str, float]]:
    return [
        {column: round(probability(text, code), 4) for column, text, code in zip(COLUMNS, row, codes)} for row in rows
    ]


class LanguageId(FilterStep):
    name = "language_id"
    Params = LanguageParams
    description = "Language identification (py3langid): source text, source summary and target summary in the recipe's languages."
    columns = tuple(COLUMNS)
    plot_column = "lid_target"

    def scores(self, records: Iterable[dict[str, Any]]) -> list[dict[str, float]]:
        ctx, limit = self.context, self.params.max_chars
        source, target = identifier_code(ctx.source_lang), identifier_code(ctx.target_lang)
        rows = (
            (_str(r.get(ctx.text_field))[:limit], _str(r.get(ctx.summary_field)), _str(r.get(ctx.target_field)))
            for r in records
        )
        batch = partial(_score_batch, codes=(source, source, target))
        return list(map_batches(batch, rows, self.params.workers, batch_size=1000))

    def drops(self, ids: Sequence[str], scores: Sequence[dict[str, float]]) -> list[str | None]:
        self._cutoff = minimum = self.params.min_confidence
        return [
            next((f"wrong_language_{field}" for column, field in COLUMNS.items() if score[column] < minimum), None)
            for score in scores
        ]


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
