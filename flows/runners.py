"""Where tasks run (threads here, or a Dask cluster) and the server-side limits they share."""

from __future__ import annotations

import sys

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

GOOGLE_LIMIT = "google-translate"  # the global concurrency limit every Google-translating shard holds a slot of


def task_runner(dask: str | None) -> TaskRunner:
    """The task runner for `--dask`: None -> threads in this process; `local` -> a Dask LocalCluster of
    processes; `local:threads` -> a LocalCluster of threads (light: tests, small machines);
    anything else -> the address of a running Dask scheduler (`tcp://host:8786`)."""
    if not dask:
        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        return DaskTaskRunner()
    if dask == "local:threads":
        return DaskTaskRunner(cluster_kwargs={"processes": False, "n_workers": 1})
    if "://" not in dask:
        raise ValueError(f"--dask takes `local`, `local:threads` or a scheduler address such as tcp://host:8786, not {dask!r}")
    return DaskTaskRunner(address=dask)


def ensure_concurrency_limit(name: str, limit: int) -> None:
    """Create the global concurrency limit `name` with `limit` slots unless the server already has it.

    An existing limit is left as it is, so an operator's `prefect gcl update` wins over the recipe.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))


def free_stale_slots(url: str, names: tuple[str, ...] = (GOOGLE_LIMIT,)) -> int:
    """Set the active slots of the limits `names` to 0 on the server at `url`; return how many were freed.

    Only for a server this process has just started: Prefect keeps slot leases in the server's memory
    but the count of held slots in its database, so slots held by a run that was killed (SIGKILL, a
    second Ctrl-C, a crash) outlive it, and with no server up no run can hold one now. Without this,
    the next Google build on the machine waits forever for slots nobody will release.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings

    freed = 0
    with temporary_settings(updates={PREFECT_API_URL: url}), get_client(sync_client=True) as client:
        for name in names:
            try:
                held = client.read_global_concurrency_limit_by_name(name).active_slots
            except ObjectNotFound:
                continue
            if held:
                client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(active_slots=0))
                print(f"clsforge: freed {held} slot(s) of the {name} limit left held by a run that was killed",
                      file=sys.stderr, flush=True)
                freed += held
    return freed
