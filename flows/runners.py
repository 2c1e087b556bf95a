"""Where tasks run (threads here, or a Dask cluster) and the server-side limits they share."""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner


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
