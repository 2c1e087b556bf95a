"""The errors of the translation layer, each with a message that says what to do next."""

from __future__ import annotations


class TranslationStopped(ValueError):
    """The run stopped cleanly (quota, permission, gave up retrying); answered texts stay cached.

    A ValueError so the CLI prints it as one line with exit status 2.
    """


class ResponseCountError(RuntimeError):
    """A backend answered a different number of translations than it was sent (retried, never cached)."""


class TranslationMemoryMiss(ValueError):
    """The translation memory has no entry for a text."""


class GaveUpRetrying(RuntimeError):
    """Transient failures went on past the retry deadline; `cause` is the last one."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class EndpointUnreachable(TranslationStopped):
    """No connection to the backend's server could be made before anything succeeded in this run."""
