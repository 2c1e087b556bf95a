"""Which multiprocessing start method curate's process pools use (ROUGE scoring, filter steps)."""

from __future__ import annotations

import threading
from multiprocessing import get_context
from multiprocessing.context import BaseContext


def process_context() -> BaseContext:
    """The context for a new `ProcessPoolExecutor`: fork when this process has one thread, forkserver
    when it has more.

    Forking a threaded process (Prefect and Dask callers run threads) can deadlock the child on a
    lock another thread held. forkserver avoids that but re-imports the caller's `__main__`, which
    breaks scripts without an `if __name__ == "__main__"` guard, so it is only used when needed.
    Callers look it up as `processes.process_context()` at call time, so a test can replace it.
    """
    return get_context("fork" if threading.active_count() == 1 else "forkserver")
