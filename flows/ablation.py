"""The `ablate-filter` flow: one pool, several filter lists, the same training on each, one table.

The recipe's dataset is built once in WORKDIR/base (crawl, translation and round-trip scores are
cached there, so the variants cost no API call); each variant then runs its filter list over
base/scored.jsonl, splits, audits and describes in WORKDIR/variants/<name>/, and is fine-tuned with
the same method, train size and settings. The table (curate.filters.ablation) goes to
WORKDIR/ablation.md and to a Prefect artifact.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from curate.filters.ablation import ablation_table
from curate.io import write_text_atomic
from flows.artifacts import artifact_key
from flows.build import build_dataset, dataset_from_scored
from flows.finetune import finetune
from flows.recipe import Recipe, pick_recipe


def ablation_training(recipe: Recipe, method: str | None, train_size: int | None):
    """The recipe's training settings narrowed to one method, one train size and its first loss scheme."""
    if recipe.training is None:
        raise ValueError(f"recipe {recipe.name} has no `training` section: the ablation trains on every variant")
    spec = recipe.training
    size = train_size or max(spec.train_sizes)
    if size not in recipe.splits.train_sizes:
        raise ValueError(f"train size {size} is not one of the recipe's splits.train_sizes {recipe.splits.train_sizes}")
    return spec.model_copy(update={"methods": [method or spec.methods[0]], "train_sizes": [size], "losses": spec.losses[:1]})


@flow(name="ablate-filter", log_prints=True)
def ablate_filter(
    variants: dict[str, list[dict]],
    recipe: Recipe | None = None,
    recipe_path: str | None = None,
    workdir: str = "ablation",
    method: str | None = None,
    train_size: int | None = None,
) -> dict:
    """Build the recipe's pool once, then filter, split and train on it once per variant; return the table."""
    recipe = pick_recipe(recipe, recipe_path)
    training = ablation_training(recipe, method, train_size)
    work = Path(workdir).resolve()
    base = build_dataset(recipe=recipe.model_copy(update={"publish": None}), workdir=str(work / "base"))
    scored = work / "base" / "scored.jsonl"
    rows = []
    for name, steps in variants.items():
        variant = recipe.model_copy(update={"name": f"{recipe.name}-{name}", "filter": steps, "publish": None})
        folder = work / "variants" / name
        built = dataset_from_scored(variant, folder, scored, base["counts"][:1])
        trained = finetune(dataset=built["dataset"], training=training, workdir=str(folder), name=variant.name)
        metrics = _metrics(Path(trained["runs"][0]))
        rows.append({
            "variant": name, "steps": steps, "filters": built["filters"], "method": training.methods[0],
            "train_size": training.train_sizes[0], "test": metrics["test"],
        })
    table = ablation_table(rows)
    write_text_atomic(work / "ablation.md", f"# {recipe.name}: filter ablation\n\n{table}")
    create_markdown_artifact(key=artifact_key(recipe.name, "filter-ablation"), markdown=table)
    print(table)
    return {"table": table, "markdown": str(work / "ablation.md"), "variants": {row["variant"]: row["test"] for row in rows}}


def _metrics(run: Path) -> dict:
    from train.report import load_run

    return load_run(run)
