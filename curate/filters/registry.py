"""The one registry of filter steps: name -> class. The recipe schema, the CLI and the docs read it.

Adding a step is one class (a FilterStep subclass, see base.py) plus one line in BUILTIN below,
or `register(MyStep)` (also usable as a class decorator) from your own code.
"""

from __future__ import annotations

from typing import Any

from curate.filters.base import FilterContext, FilterStep, StepParams
from curate.filters.steps.language import LanguageId
from curate.filters.steps.length import LengthRatio, SummaryInSource
from curate.filters.steps.near_duplicates import NearDuplicates
from curate.filters.steps.roundtrip import RoundtripRouge
from curate.filters.steps.similarity import CrosslingualSimilarity

STEPS: dict[str, type[FilterStep]] = {}


def register(cls: type[FilterStep]) -> type[FilterStep]:
    """Add (or replace) a step class under its `name`; returns the class, so it works as a decorator."""
    if not (isinstance(cls, type) and issubclass(cls, FilterStep)) or not getattr(cls, "name", ""):
        raise TypeError(f"{cls!r} is not a FilterStep subclass with a `name`")
    STEPS[cls.name] = cls
    return cls


BUILTIN = (RoundtripRouge, LanguageId, NearDuplicates, CrosslingualSimilarity, LengthRatio, SummaryInSource)
for _step in BUILTIN:
    register(_step)


class UnknownStepError(ValueError):
    """A filter step name that is not registered."""


def get_step(name: str) -> type[FilterStep]:
    """The step class registered as `name`; an unknown name raises UnknownStepError listing the known ones."""
    try:
        return STEPS[name]
    except KeyError:
        raise UnknownStepError(f"unknown filter step {name!r}; known steps: {', '.join(sorted(STEPS))}") from None


def step_columns() -> tuple[str, ...]:
    """Every score column a registered step may add, in registration order (for the Parquet schema)."""
    return tuple(dict.fromkeys(column for cls in STEPS.values() for column in cls.columns))


def parse_step(entry: Any) -> tuple[type[FilterStep], StepParams]:
    """`{"step": NAME, **params}` -> (step class, validated params); a bad entry is one-line ValueError."""
    from pydantic import ValidationError

    if not isinstance(entry, dict) or "step" not in entry:
        raise ValueError(f"a filter step is a mapping with a `step` name, got {entry!r}")
    params = {key: value for key, value in entry.items() if key != "step"}
    cls = get_step(entry["step"])
    try:
        return cls, cls.Params.model_validate(params)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ValueError(f"filter step {cls.name}: {where + ': ' if where else ''}{error['msg']}") from None


def build_steps(entries: list[dict[str, Any]], context: FilterContext) -> list[FilterStep]:
    """Instantiate an ordered filter list (recipe form) for `context`."""
    steps = []
    for entry in entries:
        cls, params = parse_step(entry)
        steps.append(cls(params, context))
    return steps


def normalize_entry(entry: Any) -> dict[str, Any]:
    """A validated entry with every parameter spelt out (defaults filled in): `{"step": NAME, ...}`."""
    cls, params = parse_step(entry)
    return {"step": cls.name, **params.model_dump()}
