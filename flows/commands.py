"""`clsforge build`, `clsforge demo` and `clsforge ui`: the commands that run Prefect flows."""

from __future__ import annotations

from pathlib import Path

import typer


def build(
    recipe: Path = typer.Option(..., "--recipe", help="Recipe YAML, e.g. datasets/vi2zh_low.yaml."),
    workdir: Path = typer.Option(..., "--workdir", help="Where every stage writes; a rerun skips finished stages."),
) -> None:
    """Build a dataset from a recipe as a Prefect flow: crawl -> translate -> filter -> splits -> card."""
    raise NotImplementedError("`clsforge build` is not available yet")


def demo(
    workdir: Path = typer.Option(Path("demo-run"), "--workdir", help="Where the demo writes everything."),
) -> None:
    """Run the whole lifecycle offline on the bundled sample (crawl, translate, filter, train, report)."""
    raise NotImplementedError("`clsforge demo` is not built yet")


def ui(
    port: int = typer.Option(4200, "--port", help="Port of the local Prefect server and UI."),
) -> None:
    """Start a local Prefect server and serve the clsforge deployments, so runs start from the UI."""
    raise NotImplementedError("`clsforge ui` is not available yet")
