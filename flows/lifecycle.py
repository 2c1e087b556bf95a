"""The `lifecycle` flow: build (crawl or NCLS) and publish a dataset, then fine-tune on it.

Fine-tuning runs in this process as a subflow, or, when the recipe names a work pool, as the
deployment `finetune/<work_pool>` (a GPU worker's pool; docs/flows.md shows how to start one).
"""

from __future__ import annotations

from prefect import flow
from prefect.deployments import run_deployment

from flows.artifacts import artifact_key, summary_artifact
from flows.build import build_dataset, build_ncls_low
from flows.finetune import finetune
from flows.recipe import Recipe, pick_recipe


def finetune_deployment(work_pool: str) -> str:
    """The name of the finetune deployment that runs on `work_pool`."""
    return f"finetune/{work_pool}"


# The artifacts the subflows make, by kind of build (their keys start with the dataset name).
CRAWL_ARTIFACTS = ("crawl", "filter-counts", "filter", "translate-progress", "stats", "card")
NCLS_ARTIFACTS = ("stats", "card")
FINETUNE_ARTIFACTS = ("finetune-progress", "table-2")


@flow(name="lifecycle")
def lifecycle(
    recipe: Recipe | None = None, recipe_path: str | None = None, workdir: str = "work", dask: str | None = None
) -> dict:
    """Build the recipe's dataset (crawl or NCLS), publish it if asked, then run the fine-tuning grid.

    Args:
        recipe: the recipe inline (the form below); leave empty when giving `recipe_path`.
        recipe_path: a recipe YAML file on the machine that runs the flow, e.g. datasets/demo.yaml.
        workdir: the folder every stage writes to (crawl, shards, dataset/, runs/, report/); a rerun in
            the same folder skips every finished stage.
        dask: run the curate stages on Dask: a scheduler address (tcp://host:8786), `local`, or
            `local:threads`; empty: threads in the flow's own process.
    """
    recipe = pick_recipe(recipe, recipe_path)
    if recipe.ncls is not None:
        built = build_ncls_low(recipe=recipe, workdir=workdir)
    else:
        built = build_dataset(recipe=recipe, workdir=workdir, dask=dask)
    result = {"build": built}
    keys = list(NCLS_ARTIFACTS if recipe.ncls is not None else CRAWL_ARTIFACTS)
    if recipe.training is None:
        summary_artifact(recipe.name, result, [artifact_key(recipe.name, key) for key in keys])
        return result
    parameters = {"dataset": built["dataset"], "training": recipe.training, "workdir": workdir, "name": recipe.name}
    if recipe.work_pool:
        # The worker's results live on its own machine: report the run, not its return value.
        run = run_deployment(finetune_deployment(recipe.work_pool), parameters=parameters)
        if not run.state.is_completed():
            raise RuntimeError(f"finetune run {run.name} ended {run.state.name}")
        result["finetune"] = {"flow_run": run.name, "id": str(run.id), "state": run.state.name}
    else:
        result["finetune"] = finetune(**parameters)
        keys += FINETUNE_ARTIFACTS
    summary_artifact(recipe.name, result, [artifact_key(recipe.name, key) for key in keys])
    return result
