"""Retries with exponential backoff and full jitter, each one reported, and a fast stop for a dead endpoint.

Why not google.api_core's `Retry` (used before): it cannot say how long it will wait before the next
try (the line a user needs to see), and its deadline is fixed, while the rule here depends on the run
(issue 17): until something has succeeded, an endpoint that cannot be reached gets `connect_attempts`
short tries; once the run has made progress, transient failures (an outage) get the long, patient
backoff up to `timeout_s`.
"""

from __future__ import annotations

import logging
import random
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .base import Backend
from .errors import EndpointUnreachable, GaveUpRetrying

T = TypeVar("T")
LOGGER = logging.getLogger("clsforge.translate")


class RetryPolicy:
    """Calls a request function, retrying transient failures; shared by a translator's worker threads.

    Args:
        backend: supplies `name`, `endpoint`, `is_unreachable(exc)` and `retry_reason(exc)`.
        initial_s, maximum_s: the backoff before retry n is uniform in [0, min(maximum_s, initial_s * 2**(n-1))]
            ("full jitter", AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
        timeout_s: once the run has made progress, give up (GaveUpRetrying) when the next try would
            start more than `timeout_s` seconds after the first attempt of that request.
        connect_attempts: before anything has succeeded, attempts allowed against an unreachable endpoint.
        is_transient: whether an exception may be retried at all.
        on_retry: called once per retry (the translator counts them).
    """

    def __init__(
        self,
        backend: Backend,
        initial_s: float,
        maximum_s: float,
        timeout_s: float,
        connect_attempts: int,
        is_transient: Callable[[BaseException], bool],
        on_retry: Callable[[], None] = lambda: None,
    ) -> None:
        self.backend = backend
        self.initial_s = initial_s
        self.maximum_s = maximum_s
        self.timeout_s = timeout_s
        self.connect_attempts = max(1, connect_attempts)
        self.is_transient = is_transient
        self.on_retry = on_retry
        self.bar: Any = None  # the progress bar to mark "retrying" (a tqdm), when there is one
        self._progress = threading.Event()  # set by the first success of this run
        # Found now, in the caller's thread: worker threads do not inherit Prefect's run context.
        self._emit = _line_writer()

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)`, retried per the policy.

        Raises:
            EndpointUnreachable: nothing succeeded yet and the endpoint could not be reached
                `connect_attempts` times (a one-line error naming the endpoint).
            GaveUpRetrying: transient failures went on past `timeout_s`.
            Exception: any non-transient error of `function`, unchanged.
        """
        start = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                result = function(*args)
            except Exception as exc:
                if not self.is_transient(exc):
                    raise
                wait_s = self._next_wait(exc, attempt, start)
                self.on_retry()
                self._report(exc, attempt, wait_s)
                time.sleep(wait_s)
                continue
            self._progress.set()
            if self.bar is not None and attempt > 1:
                self.bar.set_postfix_str("")
            return result

    def _next_wait(self, exc: Exception, attempt: int, start: float) -> float:
        """The wait before the next attempt, or the exception that ends the retries."""
        early = not self._progress.is_set() and self.backend.is_unreachable(exc)
        if early and attempt >= self.connect_attempts:
            raise EndpointUnreachable(
                f"{self.backend.name}: cannot reach {self.backend.endpoint} ({self.backend.retry_reason(exc)}) "
                f"after {attempt} attempts in {time.monotonic() - start:.1f} s; nothing was sent or paid for. "
                "Check the endpoint, the network or proxy, and DNS"
            ) from exc
        wait_s = random.uniform(0, min(self.maximum_s, self.initial_s * 2 ** (attempt - 1)))
        if not early and time.monotonic() + wait_s - start > self.timeout_s:
            raise GaveUpRetrying(exc) from exc
        return wait_s

    def _report(self, exc: Exception, attempt: int, wait_s: float) -> None:
        """One line per retry: the reason, the attempt number and the wait, where the user looks."""
        early = not self._progress.is_set() and self.backend.is_unreachable(exc)
        of = f" of {self.connect_attempts}" if early else ""
        reason = self.backend.retry_reason(exc)
        line = f"{self.backend.name}: retrying ({reason}), attempt {attempt}{of} failed, next try in {wait_s:.1f} s"
        if self.bar is not None:
            self.bar.set_postfix_str(f"retrying: {reason}")
        self._emit(line)


def _line_writer() -> Callable[[str], None]:
    """Where retry lines go: the Prefect task log inside a flow run, else stderr (above any progress bar)."""
    if "prefect" in sys.modules:  # only a flow has imported it; importing it here would cost seconds
        from prefect.context import TaskRunContext

        if TaskRunContext.get() is not None:
            from prefect import get_run_logger

            return get_run_logger().warning

    def to_stderr(line: str) -> None:
        from tqdm import tqdm

        tqdm.write(line, file=sys.stderr)
        LOGGER.debug(line)

    return to_stderr
