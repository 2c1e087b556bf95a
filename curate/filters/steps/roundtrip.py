"""`roundtrip_rouge`: the paper's filter, on the `rt_rouge*` columns that round-trip scoring wrote.

Drops unscored records (`unscored`), those under a minimum (`below_min_rt_rouge2`) and, with `k`,
all but the K best by `key` (`below_top_k`; ties broken by id, then pool position, so the result
does not depend on the pool's order when ids are unique). No duplicate removal here: that is the
`near_duplicates` step. This is clsforge's only top-K selection.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import Field, model_validator

from curate.dataset import SCORE_COLUMNS
from curate.filters.base import FilterStep, StepParams

KEYS = ("mean", *SCORE_COLUMNS)


def score_name(key: str) -> str:
    """Canonical score name: `mean`, or an `rt_` column (`rouge2` and `rt_rouge2` both mean `rt_rouge2`).

    Raises ValueError (one line, naming the known keys) for any other key.
    """
    name = key if key == "mean" or key.startswith("rt_") else f"rt_{key}"
    if name not in KEYS:
        raise ValueError(f"unknown score key {key!r}; use one of: mean, rouge1, rouge2, rougeL")
    return name


def score_of(record: dict[str, Any], key: str) -> float | None:
    """The record's score under canonical `key` (`mean` = mean of the three F-measures); None when
    unscored: missing, not a number (a string, a bool) or not finite (NaN sorts nowhere)."""
    if key == "mean":
        values = [_number(record.get(name)) for name in SCORE_COLUMNS]
        return None if any(v is None for v in values) else sum(values) / len(values)
    return _number(record.get(key))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


class RoundtripParams(StepParams):
    key: Literal["mean", "rouge1", "rouge2", "rougeL"] = Field(
        default="mean", description="Score to rank by: mean of R1/R2/RL (F x 100), or one of them."
    )
    k: int | None = Field(default=None, ge=1, description="Keep the K best; none: keep every record over the minimums.")
    min_scores: dict[str, float] | None = Field(default=None, description="Drop records under these scores, e.g. {rouge2: 5}.")

    @model_validator(mode="after")
    def _known_scores(self) -> RoundtripParams:
        for name, value in (self.min_scores or {}).items():
            score_name(name)  # ValueError naming the known keys
            if not 0.0 <= value <= 100.0:
                raise ValueError(f"min_scores: {name} {value} is outside 0..100 (ROUGE F x 100)")
        return self


class RoundtripRouge(FilterStep):
    name = "roundtrip_rouge"
    Params = RoundtripParams
    description = "Round-trip ROUGE (source summary vs its back-translation): minimums, then the top K."
    columns = ()  # rt_rouge1/2/L are written by round-trip scoring
    plot_range = (0.0, 100.0)

    def __init__(self, params: RoundtripParams, context) -> None:
        super().__init__(params, context)
        self.key = score_name(params.key)
        self.minimums = {score_name(name): value for name, value in (params.min_scores or {}).items()}
        self.plot_column = self.key

    def scores(self, records: Iterable[dict[str, Any]]) -> list[dict[str, float]]:
        names = [self.key, *(name for name in self.minimums if name != self.key)]
        return [{name: score_of(record, name) for name in names} for record in records]

    def drops(self, ids: Sequence[str], scores: Sequence[dict[str, float]]) -> list[str | None]:
        reasons: list[str | None] = []
        candidates = []
        for index, score in enumerate(scores):
            reason = self._reason(score)
            reasons.append(reason)
            if reason is None:
                candidates.append((-score[self.key], ids[index], index))
        if self.params.k is not None:
            candidates.sort()
            for _, _, index in candidates[self.params.k :]:
                reasons[index] = "below_top_k"
            kept = candidates[: self.params.k]
            self._cutoff = -kept[-1][0] if kept else None
        else:
            self._cutoff = self.minimums.get(self.key)
        return reasons

    def _reason(self, score: dict[str, float | None]) -> str | None:
        if any(value is None for value in score.values()):
            return "unscored"
        for name, minimum in self.minimums.items():
            if score[name] < minimum:
                return f"below_min_{name}"
        return None

    def plot(self, values: Sequence[float], path) -> None:
        """The round-trip histogram: the top-K cut-off and, with a top K, the minimum of `key` marked."""
        from curate.filters.plots import histogram

        minimum = self.minimums.get(self.key) if self.params.k is not None else None  # else it is the cut-off
        histogram(values, self.cutoff(), f"round-trip ROUGE ({self.key}, F x 100)", self.plot_range, path, minimum)
