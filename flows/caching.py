"""Task caching across runs: a task's inputs (the workdir among them) plus its source code.

Prefect's default policy includes the flow-run id, so it never hits across runs; INPUTS +
TASK_SOURCE does, and a rerun (or a run after a crash) skips every finished stage. The cache keys
live in the workdir, so deleting a workdir also forgets its cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from prefect.cache_policies import INPUTS, TASK_SOURCE

CACHE_POLICY = INPUTS + TASK_SOURCE
CACHE_FOLDER = ".prefect-cache"

T = TypeVar("T")


def in_workdir(task: T, workdir: Path) -> T:
    """`task` (decorated with a cache policy such as CACHE_POLICY) with its cache keys under `workdir`."""
    return task.with_options(cache_policy=task.cache_policy.configure(key_storage=Path(workdir) / CACHE_FOLDER))
