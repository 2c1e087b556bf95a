"""What a translation run did and cost: printed as one JSON line and returned to the flows."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields


@dataclass
class Counters:
    """Totals of one translator. `requests` counts every attempt (retries too), `characters_sent` the
    code points in all of them: an upper bound of the bill, priced at `price_per_million_chars`
    (the 500,000 free characters a month are not subtracted)."""

    backend: str
    model: str
    price_per_million_chars: float = 0.0
    texts: int = 0  # non-empty texts asked for
    empty: int = 0  # empty or whitespace-only texts (never sent)
    segments: int = 0  # distinct pieces to translate (a long text is several, duplicates count once)
    cache_hits: int = 0  # pieces found in the cache
    translated: int = 0  # pieces answered by the backend in this run
    requests: int = 0
    characters_sent: int = 0
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add_request(self, chars: int) -> None:
        """Count one request attempt of `chars` code points (thread-safe)."""
        with self._lock:
            self.requests += 1
            self.characters_sent += chars

    def add_retry(self) -> None:
        """Count one retried failure (thread-safe)."""
        with self._lock:
            self.retries += 1

    @property
    def estimated_cost_usd(self) -> float:
        """The list price of the characters sent."""
        return round(self.characters_sent * self.price_per_million_chars / 1_000_000, 4)

    def as_dict(self) -> dict:
        """The counters as a JSON-ready dict, cost included."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        values.pop("price_per_million_chars")
        return {**values, "estimated_cost_usd": self.estimated_cost_usd}
