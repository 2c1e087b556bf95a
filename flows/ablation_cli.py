"""`clsforge ablate-filter`: the filter ablation flow from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer


def ablate_filter(
    recipe: Path = typer.Option(..., "--recipe", help="Recipe YAML with a `training` section, e.g. datasets/demo.yaml."),
    variants: str = typer.Option(
        None, "--variants",
        help="NAME=STEP,STEP;NAME=... (steps take the recipe's parameters), or a YAML file {name: [{step: ...}]}; "
        "default: the recipe's list and the list without each step.",
    ),
    workdir: Path = typer.Option(Path("ablation"), "--workdir", help="Base build in WORKDIR/base, variants in WORKDIR/variants/NAME."),
    method: str = typer.Option(None, "--method", help="Training method (default: the recipe's first)."),
    train_size: int = typer.Option(None, "--train-size", min=1, help="Train size (default: the recipe's largest)."),
) -> None:
    """Build the dataset under several filter lists from the same pool, train the same model on each, tabulate test ROUGE."""
    from curate.filters.ablation import parse_variants
    from flows.ablation import ablation_training, check_variants
    from flows.commands import _check_workdir, _quiet_prefect
    from flows.recipe import load_recipe

    loaded = load_recipe(recipe)  # a bad recipe, variant, size or K fails before Prefect starts
    chosen = parse_variants(variants, loaded.filter)
    ablation_training(loaded, method, train_size)
    check_variants(loaded, chosen)
    _check_workdir(workdir)
    _quiet_prefect()
    os.environ.setdefault("TQDM_DISABLE", "1")
    from flows.ablation import ablate_filter as flow
    from flows.logfile import LOG_NAME, log_to_file
    from flows.session import flow_session

    # As `clsforge build`: a server of its own (or PREFECT_API_URL's), Ctrl-C marks the runs, and the
    # tracebacks go to WORKDIR/clsforge.log while the terminal gets one line.
    with flow_session(), log_to_file(workdir / LOG_NAME):
        result = flow(variants=chosen, recipe_path=str(recipe), workdir=str(workdir), method=method, train_size=train_size)
    print(json.dumps({"markdown": result["markdown"], "variants": result["variants"]}))
