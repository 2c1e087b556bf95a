"""The one interface every translation backend implements: translate a batch of texts src -> tgt."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

ErrorKind = Literal["transient", "stop"]


@dataclass(frozen=True)
class BatchLimits:
    """What one request may hold: texts, code points in all, and the longest single text.

    `None` means no limit. A text longer than `max_piece_chars` is split at sentence boundaries.
    """

    max_segments: int
    max_chars: int | None
    max_piece_chars: int | None


class Backend(ABC):
    """A translation backend. Subclasses set the class attributes and implement `translate_batch`."""

    name: str  # the --backend name, part of the cache key
    model: str  # the model used, part of the cache key
    limits: BatchLimits
    price_per_million_chars: float = 0.0  # for the estimated cost counter
    default_concurrency: int = 1  # requests in flight at once
    default_chars_per_minute: int | None = None  # the provider's default rate quota
    cacheable: bool = True  # False where a cache would only duplicate the backend (a replay memory)
    endpoint: str | None = None  # the server a backend talks to (named in errors); None for local backends

    @abstractmethod
    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """Translate `texts` (non-empty, within `limits`) from language `src` to `tgt` (our codes), in order."""

    def model_identity(self) -> str:
        """What the translation cache keys this backend's translations on besides its name: the model
        name (`model`) unless a backend knows better (a local model folder: a fingerprint of its files)."""
        return self.model

    def error_kind(self, exc: BaseException) -> ErrorKind | None:
        """'transient' to retry `exc`, 'stop' to end the run cleanly, None to let it propagate."""
        return None

    def is_unreachable(self, exc: BaseException) -> bool:
        """True when `exc` says no connection to the server could be made (refused, unknown host, TLS)."""
        return False

    def retry_reason(self, exc: BaseException) -> str:
        """A few words saying why a request failed, for the retry lines ("503 Service Unavailable")."""
        return f"{type(exc).__name__}: {exc}"[:120]

    def stop_message(self, exc: BaseException) -> str:
        """The one-line message (what happened, what to do) for an error classified 'stop'."""
        return str(exc)
