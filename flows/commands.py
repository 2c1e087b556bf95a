"""`clsforge build`, `clsforge demo` and `clsforge ui`: the commands that run Prefect flows.

Prefect is imported inside the command bodies (it is slow to import), so `clsforge --help` stays fast.
Without PREFECT_API_URL a flow runs against a local server the command starts and stops
(flows/session.py: out of reach of Ctrl-C, so an interrupted run is marked Cancelled); with it,
against that server.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from train.registry import METHODS


def _quiet_prefect() -> None:
    """Analytics off for any server this process starts, and, should Prefect start its ephemeral server
    (flow runs started from the UI), 120 s for it to start instead of Prefect's 20 s (a loaded 2-core
    machine needed 15 s)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _check_workdir(workdir: Path) -> None:
    """Fail before Prefect starts when the workdir cannot be a folder."""
    if workdir.exists() and not workdir.is_dir():
        raise NotADirectoryError(20, "--workdir is a file, not a folder", str(workdir))


def build(
    recipe: Path = typer.Option(..., "--recipe", help="Recipe YAML, e.g. datasets/vi2zh_low.yaml."),
    workdir: Path = typer.Option(..., "--workdir", help="Where every stage writes; a rerun skips finished stages."),
    dask: str = typer.Option(None, "--dask", help="Run the curate stages and the WARC-file tasks on Dask: a scheduler ADDRESS, `local` or `local:threads`."),
) -> None:
    """Build a dataset from a recipe as a Prefect flow: crawl -> translate -> filter -> splits -> card."""
    from flows.recipe import load_recipe
    from flows.runners import task_runner

    from flows.preflight import check_ready

    loaded = load_recipe(recipe)  # fail on a bad recipe before Prefect starts ...
    check_ready(loaded)  # ... and on missing credentials, placeholders, splits larger than K
    _check_workdir(workdir)
    task_runner(dask)  # ... and on a bad --dask value
    _quiet_prefect()
    from flows.logfile import LOG_NAME, log_to_file
    from flows.session import flow_session

    with flow_session(), log_to_file(workdir / LOG_NAME):
        if loaded.ncls is not None:
            from flows.build import build_ncls_low

            result = build_ncls_low(recipe_path=str(recipe), workdir=str(workdir))
        else:
            from flows.build import build_dataset

            result = build_dataset(recipe_path=str(recipe), workdir=str(workdir), dask=dask)
    print(json.dumps(result, ensure_ascii=False, default=str))


def demo(
    workdir: Path = typer.Option(Path("demo-run"), "--workdir", help="Where the demo writes everything."),
    max_steps: int = typer.Option(None, "--max-steps", min=1, help="Training steps per phase (default: the recipe's)."),
    methods: str = typer.Option(None, "--methods", help="Comma-separated methods to train, of " + ", ".join(METHODS) + " (default: the demo recipe's)."),
) -> None:
    """Run the whole lifecycle offline on the bundled sample (crawl, translate, filter, train, report)."""
    from flows.demo import demo_recipe, run_demo, summary

    _check_workdir(workdir)
    _quiet_prefect()
    # The flow logs every step; the libraries' own progress bars (model loading, dataset maps, the
    # Trainer's) would add hundreds of lines for these few-step runs. TQDM_DISABLE=0 brings them back.
    os.environ.setdefault("TQDM_DISABLE", "1")
    chosen = [method.strip() for method in methods.split(",") if method.strip()] if methods is not None else None
    if chosen == []:
        raise ValueError(f"--methods {methods!r} names no method; give some of {', '.join(METHODS)}")
    recipe = demo_recipe(max_steps, chosen)  # bad --methods / --max-steps fail before Prefect starts
    from flows.logfile import LOG_NAME, log_to_file
    from flows.session import flow_session

    with flow_session(), log_to_file(workdir / LOG_NAME):
        result = run_demo(workdir, recipe)
    print(summary(result))


def ui(
    port: int = typer.Option(4200, "--port", min=1, max=65535, help="Port of the local Prefect server and UI."),
    workdir: Path = typer.Option(Path("clsforge-runs"), "--workdir", help="Default workdir of runs started from the UI."),
) -> None:
    """Start a local Prefect server and serve the clsforge deployments, so runs start from the UI."""
    from flows.server import serve_ui

    _quiet_prefect()
    serve_ui(port, workdir.resolve())
