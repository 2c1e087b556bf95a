"""Reading the JSON files of run and plan folders, with one-line errors naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from curate.io import read_text


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in `path` (a metrics.json, plan.json, key.json).

    Raises:
        FileNotFoundError: no such file (the caller usually checks first, to say what is missing).
        ValueError: not UTF-8, not valid JSON (with the parser's message, line and column), or not an object.
    """
    path = Path(path)
    try:
        value = json.loads(read_text(path))  # not UTF-8: curate.io's one-line error naming the file and byte
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(value, dict):
        raise ValueError(f"{path} does not hold a JSON object")
    return value
