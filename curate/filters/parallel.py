"""Run a step's per-record work on several processes, batch by batch, results in input order.

Records are streamed: at most `workers * 2` batches are in flight, so memory does not grow with
the pool. One worker (or a small input) runs in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from curate import processes

T = TypeVar("T")
R = TypeVar("R")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` consecutive items (the last one shorter)."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def map_batches(
    fn: Callable[[list[T]], list[R]], items: Iterable[T], workers: int | None = None, batch_size: int = 2000
) -> Iterator[R]:
    """Yield `fn(batch)`'s results item by item, in input order; `fn` must be a module-level function."""
    workers = workers or os.cpu_count() or 1
    batches = batched(items, batch_size)
    if workers == 1:
        for batch in batches:
            yield from fn(batch)
        return
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if second is None:  # a single batch is not worth starting processes for
        yield from fn(first)
        return
    with ProcessPoolExecutor(workers, mp_context=processes.process_context()) as pool:
        pending = [pool.submit(fn, first), pool.submit(fn, second)]
        for batch in batches:
            if len(pending) >= workers * 2:
                yield from pending.pop(0).result()
            pending.append(pool.submit(fn, batch))
        for future in pending:
            yield from future.result()

