"""Run an ordered list of filter steps over a JSONL pool, keeping every score and every reason.

Per step: pass 1 streams the step's input to `step.scores` (ids collected on the way), then
`step.drops` decides; pass 2 re-reads that input, writes each kept record with the step's score
columns added to the next step's input (the last step writes `output`) and appends each dropped one,
with its scores, `drop_step` and `drop_reason`, to `dropped`. Pass 2 of a step feeds pass 1 of the
next as it writes, so a list of N steps reads the pool N + 1 times and holds only scores in memory.
The counts add up: for every step, input = kept + sum(dropped), and the next step's input is its kept.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.drops import Drops, plain
from curate.filters.base import FilterContext, FilterStep
from curate.filters.registry import build_steps
from curate.io import atomic_path, read_jsonl, write_jsonl


@dataclass(frozen=True)
class ScoreSummary:
    """Distribution of one score column over a step's input (records with a value)."""

    count: int
    mean: float | None
    min: float | None
    p10: float | None
    p50: float | None
    p90: float | None
    max: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> ScoreSummary:
        if not values:
            return cls(0, None, None, None, None, None, None)
        import numpy as np

        array = np.asarray(values, dtype=float)
        p10, p50, p90 = (round(float(v), 4) for v in np.percentile(array, [10, 50, 90]))
        return cls(len(array), round(float(array.mean()), 4), round(float(array.min()), 4), p10, p50, p90, round(float(array.max()), 4))


@dataclass
class StepResult:
    """What one step did: records in, kept, dropped by reason, score distributions, cut-off, plot file."""

    step: str
    params: dict[str, Any]
    input: int
    kept: int
    dropped: Drops
    scores: dict[str, ScoreSummary] = field(default_factory=dict)
    cutoff: float | None = None
    plot: str | None = None
    seconds: float = 0.0  # scoring + decisions (and writing the previous step's output, which it streams)


@dataclass
class FilterResult:
    """The whole list: records in and out, one StepResult per step, and where the dropped records are."""

    input: int
    kept: int
    steps: list[StepResult]
    dropped_file: str

    def dropped(self) -> dict[str, int]:
        """Every drop, counted as `step/reason`."""
        return {f"{s.step}/{reason}": n for s in self.steps for reason, n in s.dropped.items()}

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (for the card, the artifacts and the CLI); each step's `dropped` a sorted dict."""
        return plain(self)


def run_filters(
    input: Path,
    output: Path,
    entries: Sequence[dict[str, Any]],
    context: FilterContext,
    dropped: Path,
    plot_dir: Path | None = None,
) -> FilterResult:
    """Run the recipe's filter list (`[{"step": NAME, **params}, ...]`) over `input` (JSONL).

    Writes the kept records to `output` and the dropped ones to `dropped` (both JSONL, atomically);
    plots each step's score histogram to `plot_dir/filter-<NN>-<step>.png` when given.
    Raises ValueError for an unknown step or a bad parameter (before reading anything).
    """
    steps = build_steps(list(entries), context)
    output, dropped = Path(output), Path(dropped)
    if not steps:
        total = write_jsonl(output, read_jsonl(input))
        write_jsonl(dropped, [])
        return FilterResult(total, total, [], str(dropped))
    inputs = [Path(input), *(output.parent / f".{output.stem}.step{i + 1}.jsonl" for i in range(len(steps) - 1))]
    results: list[StepResult] = []
    try:
        with atomic_path(dropped) as tmp, tmp.open("w", encoding="utf-8") as sink:
            source: Iterator[dict[str, Any]] = read_jsonl(inputs[0])
            for index, step in enumerate(steps):
                start = time.perf_counter()
                ids: list[str] = []
                tapped = _tap(source, ids)
                scores = step.scores(tapped)
                for _ in tapped:  # a step that stopped early still lets the previous step finish writing
                    pass
                reasons = step.drops(ids, scores)
                if not len(ids) == len(scores) == len(reasons):
                    raise RuntimeError(f"filter step {step.name}: {len(ids)} records, {len(scores)} scores, {len(reasons)} decisions")
                target = output if index == len(steps) - 1 else inputs[index + 1]
                source = _apply(inputs[index], target, step, scores, reasons, sink)
                results.append(_result(step, ids, scores, reasons, plot_dir, index))
                results[-1].seconds = round(time.perf_counter() - start, 2)
            for _ in source:  # the last step's writer
                pass
    finally:
        for path in inputs[1:]:
            path.unlink(missing_ok=True)
    return FilterResult(results[0].input, results[-1].kept, results, str(dropped))


def plot_name(index: int, step: FilterStep) -> str:
    """File name of the score plot of the step at `index` (0-based) of a filter list."""
    return f"filter-{index:02d}-{step.name}.png"


def plot_files(entries: Sequence[dict[str, Any]], context: FilterContext) -> list[str]:
    """The plot file names a run of `entries` writes (one per step with a plot column)."""
    return [plot_name(i, step) for i, step in enumerate(build_steps(list(entries), context)) if step.plot_column]


def _tap(records: Iterator[dict[str, Any]], ids: list[str]) -> Iterator[dict[str, Any]]:
    for record in records:
        ids.append(str(record.get("id", "")))
        yield record


def _apply(
    input: Path, output: Path, step: FilterStep, scores: list[dict[str, float]], reasons: list[str | None], sink
) -> Iterator[dict[str, Any]]:
    """Pass 2: write kept records (score columns added) to `output`, dropped ones to `sink`; yield the kept."""
    with atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as out:
        for record, score, reason in zip(read_jsonl(input), scores, reasons, strict=True):
            if reason is None:
                record.update({column: score.get(column) for column in step.columns})
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                yield record
            else:
                sink.write(json.dumps({**record, **score, "drop_step": step.name, "drop_reason": reason}, ensure_ascii=False) + "\n")


def _result(
    step: FilterStep, ids: list[str], scores: list[dict[str, float]], reasons: list[str | None], plot_dir: Path | None, index: int
) -> StepResult:
    columns = list(dict.fromkeys(name for score in scores[:1] for name in score)) or list(step.columns)
    values = {c: [s[c] for s in scores if s.get(c) is not None] for c in columns}
    plot = None
    if plot_dir is not None and step.plot_column:
        plot = plot_name(index, step)
        step.plot(values.get(step.plot_column, []), Path(plot_dir) / plot)
    dropped = Drops(reason for reason in reasons if reason is not None)
    return StepResult(
        step=step.name,
        params=step.params.model_dump(),
        input=len(ids),
        kept=len(ids) - dropped.total,
        dropped=dropped,
        scores={c: ScoreSummary.of(v) for c, v in values.items()},
        cutoff=step.cutoff(),
        plot=plot,
    )
