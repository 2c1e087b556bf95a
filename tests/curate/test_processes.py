"""curate.processes.process_context: one start-method rule for ROUGE scoring and the filter steps' pools."""

from __future__ import annotations

import multiprocessing

import curate.processes
from curate.filters.parallel import map_batches
from curate.processes import process_context


def test_fork_with_one_thread_forkserver_with_more(monkeypatch):
    # the thread count is set, not real: other tests of the session may leave threads running
    monkeypatch.setattr(curate.processes.threading, "active_count", lambda: 1)
    assert process_context().get_start_method() == "fork"
    monkeypatch.setattr(curate.processes.threading, "active_count", lambda: 3)
    assert process_context().get_start_method() == "forkserver"


def double(batch: list[int]) -> list[int]:
    return [2 * x for x in batch]


def test_filter_steps_pools_take_their_context_from_it(monkeypatch):
    asked = []

    def spawn():
        asked.append("spawn")
        return multiprocessing.get_context("spawn")

    monkeypatch.setattr(curate.processes, "process_context", spawn)
    assert list(map_batches(double, range(5), workers=2, batch_size=2)) == [0, 2, 4, 6, 8]
    assert asked == ["spawn"]
