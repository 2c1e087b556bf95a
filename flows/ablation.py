"""The `ablate-filter` flow: one pool, several filter lists, the same training on each, one table.

The recipe's dataset is built once in WORKDIR/base (crawl, translation and round-trip scores are
cached there, so the variants cost no API call); each variant then runs its filter list over
base/scored.jsonl into WORKDIR/variants/<name>/. All variants share one test and validation set, drawn
once from the records every variant's filter kept (WORKDIR/shared_eval.json); each variant's train
set comes from its own kept records, less those and their repeats. Each variant is then split,
audited, described and fine-tuned with the same method, train size and settings. The table (curate.filters.ablation) goes to
WORKDIR/ablation.md and to a Prefect artifact.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from curate.filters.ablation import ablation_table
from curate.io import write_text_atomic
from flows.artifacts import artifact_key
from flows import tasks
from flows.build import SELECTED_NAME, build_dataset, dataset_from_selected, filter_scored, target_field
from flows.caching import in_workdir
from flows.finetune import tiny_model
from flows.preflight import check_ready
from flows.finetune import finetune
from flows.recipe import TINY_MODEL, Recipe, pick_recipe

SHARED_EVAL_NAME = "shared_eval.json"  # the ids of the test and validation records every variant is scored on


def variant_recipe(recipe: Recipe, name: str, steps: list[dict]) -> Recipe:
    """The recipe of one variant: its own filter list and name, nothing published."""
    return recipe.model_copy(update={"name": f"{recipe.name}-{name}", "filter": steps, "publish": None})


def check_variants(recipe: Recipe, variants: dict[str, list[dict]]) -> dict[str, Recipe]:
    """Each variant's recipe, checked as `build` checks one (flows.preflight.check_ready: its K against
    the splits, credentials, placeholders) before anything is built or trained; ValueError (one line)."""
    check_ready(recipe)
    recipes = {name: variant_recipe(recipe, name, steps) for name, steps in variants.items()}
    for variant in recipes.values():
        check_ready(variant)
    return recipes


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
    chosen = {name: (variant, work / "variants" / name) for name, variant in check_variants(recipe, variants).items()}
    base = build_dataset(recipe=recipe.model_copy(update={"publish": None}), workdir=str(work / "base"))
    scored = work / "base" / "scored.jsonl"
    if training.model == TINY_MODEL:
        # One backbone for every variant, built once from the base dataset: a tiny model per variant would
        # train its tokenizer on that variant's own records, and the table would compare backbones too.
        in_workdir(tiny_model, work, work / "tiny-model")(Path(base["dataset"]), work / "tiny-model")
        training = training.model_copy(update={"model": str(work / "tiny-model")})
    filtered = {name: filter_scored(variant, folder, scored) for name, (variant, folder) in chosen.items()}
    # One test and validation set for all variants, from the records every filter kept: a variant scored on
    # its own test split would be scored on other (and, for a strict filter, easier) records.
    shared_file = work / SHARED_EVAL_NAME
    shared = in_workdir(tasks.shared_eval, work, shared_file).submit(
        [folder / SELECTED_NAME for _, folder in chosen.values()], shared_file, recipe.source_lang,
        recipe.target_lang, recipe.splits, target_field(recipe),
    ).result()
    eval_ids = {split: shared[split] for split in ("test", "validation")}
    rows = []
    for name, (variant, folder) in chosen.items():
        built = dataset_from_selected(variant, folder, filtered[name], base["counts"][:1], eval_ids)
        trained = finetune(dataset=built["dataset"], training=training, workdir=str(folder), name=variant.name)
        metrics = _metrics(Path(trained["runs"][0]))
        rows.append({
            "variant": name, "steps": variants[name], "filters": built["filters"], "method": training.methods[0],
            "train_size": training.train_sizes[0], "test": metrics["test"],
        })
    table = ablation_table(rows, shared, backbone=training.model)
    write_text_atomic(work / "ablation.md", f"# {recipe.name}: filter ablation\n\n{table}")
    create_markdown_artifact(key=artifact_key(recipe.name, "filter-ablation"), markdown=table)
    print(table)
    return {"table": table, "markdown": str(work / "ablation.md"), "variants": {row["variant"]: row["test"] for row in rows}}


def _metrics(run: Path) -> dict:
    """The run's metrics.json, checked as `clsforge report` checks it (finite scores in 0..100, test.n)."""
    from train.metrics_file import check_metrics
    from train.report import load_run

    return check_metrics(run / "metrics.json", load_run(run))
