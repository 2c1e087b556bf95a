"""A characters-per-minute limit shared by the threads sending requests.

Hand-written (about twenty lines) because the exact sliding-minute window Google's quota uses is not
what a token bucket gives, and no installed dependency provides one.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class CharsPerMinuteLimiter:
    """Blocks `acquire(n)` until sending n more characters keeps the last 60 s within the limit."""

    def __init__(self, chars_per_minute: int, window_s: float = 60.0) -> None:
        if chars_per_minute <= 0:
            raise ValueError(f"the rate limit must be positive, not {chars_per_minute} characters a minute")
        self.chars_per_minute = chars_per_minute
        self.window_s = window_s
        self._sent: deque[tuple[float, int]] = deque()
        self._total = 0
        self._lock = threading.Lock()

    def acquire(self, chars: int) -> None:
        """Wait until `chars` may be sent, then record them (a request larger than the limit waits for an empty window)."""
        while True:
            with self._lock:
                now = time.monotonic()
                while self._sent and self._sent[0][0] <= now - self.window_s:
                    self._total -= self._sent.popleft()[1]
                if not self._sent or self._total + chars <= self.chars_per_minute:
                    self._sent.append((now, chars))
                    self._total += chars
                    return
                wait = self._sent[0][0] + self.window_s - now
            time.sleep(max(wait, 0.001))
