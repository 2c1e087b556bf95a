"""Checking a run's metrics.json before `clsforge report` reads it: required fields, types, score ranges.

A hand-edited, truncated or foreign metrics.json (NaN or null scores, no `test`, no `options.seed`,
no `dataset.fingerprint`) is refused with one line naming the file, the field and its value, not
averaged in or failing deep inside the statistics. Values are normalised to the types `clsforge
train` writes (a seed `"0"` is the seed `0`; an lr `"5e-05"` is `5e-05`), so that two runs compare
equal whatever wrote their numbers. pydantic does the checking and the normalising (lax mode).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, get_type_hints

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model, field_validator
from pydantic_core import PydanticCustomError

from train.config import TrainConfig

_PYDANTIC_CLASS = re.compile(r" or instance of \w+")  # "a valid dictionary or instance of Scores": our class names


def _not_bool(value: Any) -> Any:
    """Refuse true/false where a number belongs (pydantic's lax mode would read them as 1 and 0)."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "Input should be a number, not true or false")
    return value


NotBool = BeforeValidator(_not_bool)
# ROUGE F x 100, as `clsforge train` writes it (train.metrics): finite, 0..100.
Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False), NotBool]
LENIENT = ConfigDict(extra="allow")  # keys this check does not know are kept as they are


class Scores(BaseModel):
    """`test`: ROUGE-1/2/L F x 100 of the test set and `n`, the number of test examples scored."""

    model_config = LENIENT
    rouge1: Score
    rouge2: Score
    rougeL: Score
    n: Annotated[int, NotBool] = Field(ge=0)


class DatasetIdentity(BaseModel):
    """`dataset`: content fingerprints of validation+test and of the train subset (train.identity)."""

    model_config = LENIENT
    fingerprint: str = Field(min_length=1)
    train_fingerprint: str = Field(min_length=1)


class Backbone(BaseModel):
    """`backbone`: the model name and its weights' fingerprint (None when no local copy was found)."""

    model_config = LENIENT
    name: str | None
    fingerprint: str | None


def _option_type(name: str, kind: Any) -> Any:
    """The type an option is checked as: TrainConfig's (numbers never true/false), with paths kept as
    the strings to_json wrote."""
    if kind is Path:
        return str
    if kind in (float, float | None):  # finite: a NaN option (an old run's `--r nan`) is no setup to tabulate
        finite = Annotated[float, Field(allow_inf_nan=False), NotBool]
        return finite if kind is float else finite | None
    return Annotated[kind, NotBool] if kind in (int, int | None) else kind


# `options`: TrainConfig's fields at their types; only `seed` is required here (the report compares seeds).
Options = create_model(
    "Options",
    __config__=LENIENT,
    **{name: (_option_type(name, kind), ... if name == "seed" else None)
       for name, kind in get_type_hints(TrainConfig).items()},
)


class MetricsFile(BaseModel):
    """What `clsforge report` reads from a metrics.json (the rest is kept unchecked)."""

    model_config = LENIENT
    method: str = Field(min_length=1)
    train_size: Annotated[int, NotBool] = Field(ge=1)
    source_lang: str = Field(min_length=1)
    target_lang: str = Field(min_length=1)
    r: Annotated[float, Field(allow_inf_nan=False), NotBool] | None = None  # Stage 2's ratio (null without Stage 2)
    test: Scores
    options: Options  # type: ignore[valid-type]
    dataset: DatasetIdentity
    backbone: Backbone | None = None  # (older runs recorded only `model`)
    versions: dict[str, str | None] = {}

    @field_validator("method")
    @classmethod
    def _registered(cls, value: str) -> str:
        """A registered method's name, exactly: "TFLCLS" beside "tflcls" would be a second row of one method."""
        from train.registry import METHODS

        if value not in METHODS:
            raise ValueError(f"unknown method {value!r}; registered: {', '.join(METHODS)}")
        return value


def _shown(value: Any) -> str:
    """A field's value as it reads in the file (`NaN`, `null`, `"x"`, `250`)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def problem(exc: ValidationError) -> str:
    """The first validation error as one line: which field, its value, and what is wrong."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "missing":
        return "no test scores (`test` is missing)" if where == "test" else f"`{where}` is missing"
    message = f"{where} is {_shown(error['input'])}: {_PYDANTIC_CLASS.sub('', error['msg'])}"
    if error["type"] in ("greater_than_equal", "less_than_equal") and where.startswith("test.rouge"):
        message += " (a ROUGE F x 100 score)"
    return message


def check_metrics(path: Path, metrics: dict[str, Any]) -> dict[str, Any]:
    """`metrics` (read from `path`) checked, with its values at the types `clsforge train` writes.

    Raises:
        ValueError: `PATH: what is wrong` (a missing field, a score that is NaN, null or outside
            0..100, a negative `test.n`, a seed that is not an integer, ...).
    """
    try:
        checked = MetricsFile.model_validate(metrics)
    except ValidationError as exc:
        raise ValueError(f"{path}: {problem(exc)}") from None
    return checked.model_dump(exclude_unset=True)
