"""The recipe's `filter:` value: an ordered list of `{step: NAME, ...params}`, checked against the registry.

The older mapping form (`{key, k, min_scores}`, the round-trip filter alone, which also dropped
duplicates) is still accepted and read as `[near_duplicates, roundtrip_rouge(key, k, min_scores)]`.
"""

from __future__ import annotations

from typing import Any

from curate.filters.registry import normalize_entry

LEGACY_KEYS = {"key", "k", "min_scores"}
LEGACY_K = 11_000  # the old form's default K (the paper's 11,000)
DEFAULT_FILTER: list[dict[str, Any]] = [
    {"step": "language_id"},
    {"step": "near_duplicates"},
    {"step": "roundtrip_rouge", "k": LEGACY_K},
]


def filter_steps(value: Any) -> list[dict[str, Any]]:
    """Validated filter entries with every parameter spelt out; ValueError (one line) for an unknown
    step, a misspelt or bad parameter, or a value that is neither a list nor the old mapping."""
    if value is None:
        value = DEFAULT_FILTER
    if isinstance(value, dict):
        if not value:
            raise ValueError("`filter: {}` names no filter: give a list of steps ([{step: NAME, ...}]), or [] for none")
        unknown = set(value) - LEGACY_KEYS
        if unknown:
            raise ValueError(
                f"`filter` is a list of steps ([{{step: NAME, ...}}]); the old mapping form takes only key, k, "
                f"min_scores, not {', '.join(sorted(unknown))}"
            )
        value = [{"step": "near_duplicates"}, {"step": "roundtrip_rouge", "k": LEGACY_K, **value}]
    if not isinstance(value, list):
        raise ValueError(f"`filter` is a list of steps ([{{step: NAME, ...}}]), got {type(value).__name__}")
    entries = []
    for number, entry in enumerate(value, 1):
        try:
            entries.append(normalize_entry(entry))
        except ValueError as exc:
            raise ValueError(f"step {number}: {exc}") from None
        if entries[-1] in entries[:-1]:  # the same check twice filters nothing more: a slip in the list
            raise ValueError(f"step {number}: {entries[-1]['step']} is given twice with the same parameters")
    return entries


def find_step(entries: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The first entry of step `name` in a filter list, or None."""
    return next((entry for entry in entries if entry["step"] == name), None)
