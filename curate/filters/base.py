"""The filter-step interface: a name, a parameters model, the score columns it adds, a reason per drop.

A step looks at records in two calls (so a chain can stream a pool that does not fit in memory):
`scores(records)` returns one `{column: float}` per record (a step may consume every record first,
as near-duplicate detection must), then `drops(ids, scores)` returns, per record, the reason it is
dropped or None. A step never edits records; the chain adds its score columns.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class FilterContext:
    """What every step may need to know about the pool: its languages and field names.

    `source_lang` / `target_lang` are registry codes (curate.languages); records hold the source
    text in `text`, the source summary in `summary`, the translation in `target_field`
    (`summary_zh`) and the back-translation in `back_field` (`summary_back`).
    """

    source_lang: str
    target_lang: str
    target_field: str
    back_field: str = "summary_back"
    text_field: str = "text"
    summary_field: str = "summary"


class StepParams(BaseModel):
    """A step's parameters (a recipe's `{step: NAME, ...}` entry minus `step`).

    A misspelt key is an error, and so is a value of the wrong type: strict validation, so YAML's
    `k: yes` is not K=1 nor `"5"` a 5; NaN and infinity are refused (a NaN threshold compares false
    with every score, so it would silently keep or drop everything)."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class FilterStep(ABC):
    """One filter step. Subclasses set `name`, `Params` (a StepParams subclass), `columns` and
    `description`, and implement `scores` and `drops`."""

    name: ClassVar[str]
    Params: ClassVar[type[StepParams]] = StepParams
    columns: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    # The column whose distribution the card plots (None: no plot), and its range for the histogram.
    plot_column: ClassVar[str | None] = None
    plot_range: ClassVar[tuple[float, float]] = (0.0, 1.0)

    def __init__(self, params: StepParams, context: FilterContext) -> None:
        self.params = params
        self.context = context

    @abstractmethod
    def scores(self, records: Iterable[dict[str, Any]]) -> list[dict[str, float]]:
        """One `{column: value}` per record, in input order (columns from `self.columns`)."""

    @abstractmethod
    def drops(self, ids: Sequence[str], scores: Sequence[dict[str, float]]) -> list[str | None]:
        """Per record, the reason it is dropped (`below_min_language`, ...) or None to keep it."""

    def cutoff(self) -> float | None:
        """The threshold the plot marks (set by `drops` when there is one)."""
        return getattr(self, "_cutoff", None)

    def plot(self, values: Sequence[float], path: Path) -> None:
        """PNG histogram of `plot_column` over the step's input, the cut-off marked."""
        from curate.filters.plots import histogram

        histogram(values, self.cutoff(), f"{self.name}: {self.plot_column}", self.plot_range, path)
