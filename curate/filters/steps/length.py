"""`length_ratio` and `summary_in_source`: cheap checks on lengths and on summaries copied from the text.

Lengths are in each language's unit from the registry (`Language.count_units`: words for vi/en,
characters for zh), as in the paper's Table 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import Field, model_validator

from curate.dataset import normalized_text
from curate.filters.base import FilterStep, StepParams
from curate.languages import get_language


class LengthParams(StepParams):
    min_ratio: float = Field(default=0.2, ge=0.0, description="Lowest target-summary / source-summary length ratio kept.")
    max_ratio: float = Field(default=5.0, gt=0.0, description="Highest target-summary / source-summary length ratio kept.")
    max_summary_share: float = Field(default=1.0, gt=0.0, description="Drop when source-summary / source-text length reaches this (1: the summary must be shorter).")

    @model_validator(mode="after")
    def _ordered(self) -> LengthParams:
        if self.min_ratio >= self.max_ratio:
            raise ValueError(f"min_ratio {self.min_ratio} must be below max_ratio {self.max_ratio}")
        return self


class LengthRatio(FilterStep):
    """`len_ratio` = target summary length / source summary length (a truncated or runaway translation
    is far off); `summary_share` = source summary length / source text length (a summary as long as
    its article is not a summary). An empty field gives a ratio of 0 and is dropped as `empty_summary`,
    `empty_target_summary` or `empty_text`, whatever the bounds."""

    name = "length_ratio"
    Params = LengthParams
    description = "Target/source summary length ratio within bounds; summary shorter than its text."
    columns = ("len_ratio", "summary_share")
    plot_column = "len_ratio"
    plot_range = (0.0, 5.0)

    def scores(self, records: Iterable[dict[str, Any]]) -> list[dict[str, float]]:
        ctx = self.context
        source, target = get_language(ctx.source_lang), get_language(ctx.target_lang)
        self._empty: list[str | None] = []
        out = []
        for record in records:
            summary = source.count_units(_str(record.get(ctx.summary_field)))
            text = source.count_units(_str(record.get(ctx.text_field)))
            translated = target.count_units(_str(record.get(ctx.target_field)))
            # an empty field is its own reason, whatever the bounds (min_ratio 0 would keep an empty translation);
            # empty = no word or letter at all ("。", a zero-width space), as dedup keys see text
            fields = (ctx.summary_field, "empty_summary"), (ctx.target_field, "empty_target_summary"), (ctx.text_field, "empty_text")
            self._empty.append(next((reason for name, reason in fields if not normalized_text(_str(record.get(name)))), None))
            out.append(
                {
                    "len_ratio": round(translated / summary, 4) if summary else 0.0,
                    "summary_share": round(summary / text, 4) if text else 0.0,
                }
            )
        return out

    def drops(self, ids: Sequence[str], scores: Sequence[dict[str, float]]) -> list[str | None]:
        p = self.params
        reasons: list[str | None] = []
        for empty, score in zip(self._empty, scores):
            if empty:
                reasons.append(empty)
            elif score["len_ratio"] < p.min_ratio:
                reasons.append("length_ratio_low")
            elif score["len_ratio"] > p.max_ratio:
                reasons.append("length_ratio_high")
            elif score["summary_share"] >= p.max_summary_share:
                reasons.append("summary_not_shorter")
            else:
                reasons.append(None)
        return reasons


class SummaryInSourceParams(StepParams):
    ngram: int = Field(default=3, ge=1, description="Token n-gram length of the overlap score.")
    max_overlap: float = Field(default=1.0, gt=0.0, le=1.0, description="Drop when this share of the summary's n-grams (or more) is in the text.")


class SummaryInSource(FilterStep):
    """`summary_overlap` = share of the source summary's token n-grams found in the source text. A
    summary whose normalised form is a span of the normalised text (the page's sapo left inside the
    article body) is dropped as `summary_in_source`; one at or over `max_overlap` as
    `summary_mostly_in_source`."""

    name = "summary_in_source"
    Params = SummaryInSourceParams
    description = "The source summary must not be a span of the source text (a leaked sapo)."
    columns = ("summary_overlap",)
    plot_column = "summary_overlap"

    def scores(self, records: Iterable[dict[str, Any]]) -> list[dict[str, float]]:
        ctx, n = self.context, self.params.ngram
        tokenizer = get_language(ctx.source_lang).tokenizer
        self._spans: list[bool] = []
        out = []
        for record in records:
            summary, text = _str(record.get(ctx.summary_field)), _str(record.get(ctx.text_field))
            normal = normalized_text(summary)
            # whole tokens only: "ten days" is no span of "often days" (the keys are tokens joined by spaces)
            self._spans.append(bool(normal) and f" {normal} " in f" {normalized_text(text)} ")
            grams = _ngrams(tokenizer.tokenize(summary), n)
            found = len(grams & _ngrams(tokenizer.tokenize(text), n)) / len(grams) if grams else 0.0
            out.append({"summary_overlap": round(found, 4)})
        return out

    def drops(self, ids: Sequence[str], scores: Sequence[dict[str, float]]) -> list[str | None]:
        self._cutoff = self.params.max_overlap
        return [
            "summary_in_source" if span else "summary_mostly_in_source" if s["summary_overlap"] >= self.params.max_overlap else None
            for span, s in zip(self._spans, scores)
        ]


def _ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)} if len(tokens) >= n else ({tuple(tokens)} if tokens else set())


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
