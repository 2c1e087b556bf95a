"""Records a stage left out, counted by reason: one type for every stage of curate.

The splits, the NCLS sampler, the filter steps and the top-K selection all count their skipped or
dropped records with `Drops`, so every result and card shows them the same way: `{reason: count}`
with the reasons sorted, and `pool == kept + drops.total` can be checked for any stage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, ItemsView, Mapping
from dataclasses import asdict, is_dataclass
from typing import Any


class Drops:
    """How many records were dropped, by reason (a `collections.Counter` of reason -> count).

    `Drops()` starts empty; `Drops({"duplicate": 2})` or `Drops(["duplicate", "duplicate"])` start
    counted. Equal to another Drops or to a plain mapping with the same non-zero counts.
    """

    def __init__(self, counts: Mapping[str, int] | Iterable[str] | None = None) -> None:
        self._counts: Counter[str] = Counter(counts or ())

    def add(self, reason: str, count: int = 1) -> None:
        """Count `count` more records dropped for `reason` (ValueError for an empty reason or a negative count)."""
        if not reason or count < 0:
            raise ValueError(f"a drop needs a reason and a count >= 0, got {reason!r} x {count}")
        self._counts[reason] += count

    @property
    def total(self) -> int:
        """Records dropped, all reasons together."""
        return sum(self._counts.values())

    def as_dict(self) -> dict[str, int]:
        """`{reason: count}` sorted by reason, reasons with no record left out (JSON-able)."""
        return {reason: count for reason, count in sorted(self._counts.items()) if count}

    def merge(self, other: Drops | Mapping[str, int]) -> Drops:
        """A new Drops holding both counts (this one and `other` are left as they are)."""
        merged = Drops(self._counts)
        merged._counts.update(other._counts if isinstance(other, Drops) else Counter(other))
        return merged

    def items(self) -> ItemsView[str, int]:
        """(reason, count) pairs, sorted by reason."""
        return self.as_dict().items()

    def __getitem__(self, reason: str) -> int:
        return self._counts[reason]

    def __bool__(self) -> bool:
        return self.total > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Drops):
            return self.as_dict() == other.as_dict()
        if isinstance(other, Mapping):
            return self.as_dict() == {reason: count for reason, count in other.items() if count}
        return NotImplemented

    __hash__ = None  # mutable, like the Counter it wraps

    def __repr__(self) -> str:
        return f"Drops({self.as_dict()})"


def plain(result: Any) -> Any:
    """A stage result (a dataclass) as JSON-able dicts and lists: `dataclasses.asdict`, with every Drops,
    however deep, turned into its `as_dict()`."""
    if is_dataclass(result) and not isinstance(result, type):
        return asdict(result, dict_factory=lambda items: {key: plain(value) for key, value in items})
    if isinstance(result, Drops):
        return result.as_dict()
    if isinstance(result, Mapping):
        return {key: plain(value) for key, value in result.items()}
    if isinstance(result, list):
        return [plain(value) for value in result]
    if isinstance(result, tuple):
        return tuple(plain(value) for value in result)
    return result
