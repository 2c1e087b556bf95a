"""Task caching across runs: a task's inputs (the workdir among them) plus its source code.

Prefect's default policy includes the flow-run id, so it never hits across runs; INPUTS +
TASK_SOURCE does, and a rerun (or a run after a crash) skips every finished stage. Both the cache
keys and the task results live in the workdir, so a workdir carries its own cache (delete it and
the cache is gone; move it to another machine and the cache goes along).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TypeVar

from prefect.cache_policies import INPUTS, TASK_SOURCE

CACHE_POLICY = INPUTS + TASK_SOURCE
CACHE_FOLDER = ".prefect-cache"
RESULTS_FOLDER = ".prefect-results"

T = TypeVar("T")


def in_workdir(task: T, workdir: Path, *outputs: Path) -> T:
    """`task` (decorated with a cache policy such as CACHE_POLICY) with its cache keys and results under `workdir`.

    `outputs`: the files or folders the call writes. A cache record only says the task ran; if one of its
    outputs has since been deleted by hand, the record is not trusted: the task runs again and replaces it.
    """
    workdir = Path(workdir)
    placed = task.with_options(
        cache_policy=task.cache_policy.configure(key_storage=workdir / CACHE_FOLDER),
        result_storage=results_storage(workdir),
    )
    return rerun_if_missing(placed, *outputs)


def rerun_if_missing(task: T, *outputs: Path) -> T:
    """`task` as it is, or, when one of the `outputs` its call writes is gone, made to run again and
    replace its cache record (for a task placed once with `in_workdir` and called once per shard)."""
    return task if all(Path(output).exists() for output in outputs) else task.with_options(refresh_cache=True)


def results_storage(workdir: Path):
    """A saved LocalFileSystem block for `workdir`'s task results (Prefect only takes saved blocks)."""
    from prefect.filesystems import LocalFileSystem

    folder = (Path(workdir) / RESULTS_FOLDER).resolve()
    name = "clsforge-results-" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    try:
        return LocalFileSystem.load(name)
    except ValueError:  # not saved on this server yet
        block = LocalFileSystem(basepath=str(folder))
        block.save(name, overwrite=True)
        return block
