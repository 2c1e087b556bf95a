"""`roundtrip_rouge`: the paper's filter, on the `rt_rouge*` columns that round-trip scoring wrote.

Drops unscored records (`unscored`), those under a minimum (`below_min_rt_rouge2`) and, with `k`,
all but the K best by `key` (`below_top_k`; ties broken by id, so the result does not depend on the
pool's order). No duplicate removal here: that is the `near_duplicates` step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import Field, model_validator

from curate.filters.base import FilterStep, StepParams
from curate.select import score_name, score_of


class RoundtripParams(StepParams):
    key: Literal["mean", "rouge1", "rouge2", "rougeL"] = Field(
        default="mean", description="Score to rank by: mean of R1/R2/RL (F x 100), or one of them."
    )
    k: int | None = Field(default=None, ge=1, description="Keep the K best; none: keep every record over the minimums.")
    min_scores: dict[str, float] | None = Field(default=None, description="Drop records under these scores, e.g. {rouge2: 5}.")

    @model_validator(mode="after")
    def _known_scores(self) -> RoundtripParams:
        for name in self.min_scores or {}:
            score_name(name)  # ValueError naming the known keys
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
        """The round-trip histogram the card has always shown (curate.select.plot_scores)."""
        from curate.select import plot_scores

        plot_scores(list(values), self.cutoff(), self.key, self.minimums.get(self.key), path)
