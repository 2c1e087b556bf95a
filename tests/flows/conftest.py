"""Fixtures of the flow tests: a private Prefect home and a temporary Prefect API server.

PREFECT_HOME points into a temporary folder before Prefect is imported, so tests never touch
~/.prefect; subprocesses started by a test (`clsforge build`, `clsforge ui`) inherit it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PREFECT_HOME = Path(tempfile.mkdtemp(prefix="clsforge-prefect-home-"))
atexit.register(shutil.rmtree, PREFECT_HOME, ignore_errors=True)
os.environ["PREFECT_HOME"] = str(PREFECT_HOME)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)

REPO = Path(__file__).resolve().parents[2]
DEMO_SITE = REPO / "datasets" / "demo" / "site"


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A temporary Prefect server (SQLite in a temporary folder) for the whole session; yields its API URL."""
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME as HOME_SETTING, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    # In case Prefect was imported before this file set PREFECT_HOME.
    with temporary_settings(updates={HOME_SETTING: PREFECT_HOME}), prefect_test_harness(server_startup_timeout=120):
        yield PREFECT_API_URL.value()


@pytest.fixture
def demo_site() -> Path:
    """The bundled demo site (served and crawled by the flow tests)."""
    if not (DEMO_SITE / "vnexpress" / "sitemap.xml").exists():
        pytest.skip("the demo site datasets/demo/site is not in this checkout yet")
    return DEMO_SITE


@pytest.fixture
def task_states():
    """`task_states(flow_run_id)`: {task name: [state names]} of a finished flow run and its subflows."""
    return flow_task_states


def flow_task_states(flow_run_id, timeout_s: float = 60) -> dict[str, list[str]]:
    """{task name: [final state names]} of a flow run and its subflows (waits for batched updates)."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterParentFlowRunId,
        TaskRunFilter,
        TaskRunFilterFlowRunId,
    )

    deadline = time.monotonic() + timeout_s
    with get_client(sync_client=True) as client:
        while True:
            run_ids, frontier = [flow_run_id], [flow_run_id]
            while frontier:
                children = client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=frontier))
                )
                frontier = [child.id for child in children]
                run_ids += frontier
            runs = client.read_task_runs(task_run_filter=TaskRunFilter(flow_run_id=TaskRunFilterFlowRunId(any_=run_ids)))
            subflow_parents = {run.id for run in runs} & {
                child.parent_task_run_id for child in client.read_flow_runs(flow_run_filter=FlowRunFilter(
                    parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=run_ids)))
            }
            tasks = [run for run in runs if run.id not in subflow_parents]
            if all(run.state and run.state.is_final() for run in tasks) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    states: dict[str, list[str]] = {}
    for run in tasks:
        states.setdefault(run.name.rsplit("-", 1)[0], []).append(run.state.name)  # "crawl_site-3f1" -> "crawl_site"
    return states
