"""`clsforge ablate-filter`: bad variants fail in one line before Prefect starts; on the demo, the flow
builds once, filters and trains per variant, and writes the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curate.dataset import read_split, split_path
from flows.recipe import bundled_recipe
from tests.cli import clsforge


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--variants", "x=nosuch"], "clsforge: error: variant x: step 1: unknown filter step 'nosuch'; known steps: "),
        (["--train-size", "5"], "clsforge: error: train size 5 is not one of the recipe's splits.train_sizes [8, 24]\n"),
    ],
)
def test_bad_ablation_arguments_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = clsforge("ablate-filter", "--recipe", str(bundled_recipe("demo")), "--workdir", str(tmp_path / "w"), *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert not (tmp_path / "w").exists()


def test_a_variant_whose_k_cannot_fill_the_splits_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "v.yaml").write_text("none: []\nstrict:\n  - step: roundtrip_rouge\n    k: 20\n")
    result = clsforge("ablate-filter", "--recipe", str(bundled_recipe("demo")), "--workdir", str(tmp_path / "w"),
                      "--variants", str(tmp_path / "v.yaml"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "clsforge: error: recipe DemoVi2Zh-strict: the splits need 32 records (largest train size 24 + validation 4 "
        "+ test 4) but the roundtrip_rouge step keeps at most k=20\n"
    )
    assert not (tmp_path / "w").exists()


@pytest.mark.slow
def test_ablation_on_the_demo(prefect_api: str, demo_site: Path, tmp_path: Path) -> None:
    from flows.ablation import ablate_filter
    from flows.recipe import load_recipe

    recipe = load_recipe(bundled_recipe("demo"))
    training = recipe.training.model_copy(update={"max_steps": 1})
    recipe = recipe.model_copy(update={"training": training, "local_site": str(demo_site)})
    variants = {
        "recipe": recipe.filter,
        "no-filter": [],
    }
    result = ablate_filter(variants=variants, recipe=recipe, workdir=str(tmp_path / "ablation"), method="mbart-cls")
    lines = result["table"].splitlines()
    assert lines[2].startswith("| recipe | language_id, near_duplicates, roundtrip_rouge | 40 | 32 | language_id 0, near_duplicates 0, roundtrip_rouge 8 | mbart-cls | 24 | 4 | ")
    assert lines[3].startswith("| no-filter | (none) | 40 | 40 | - | mbart-cls | 24 | 4 | ")
    assert set(result["variants"]) == {"recipe", "no-filter"}
    assert all(set(test) == {"rouge1", "rouge2", "rougeL", "n"} for test in result["variants"].values())
    assert (tmp_path / "ablation" / "ablation.md").read_text(encoding="utf-8").startswith("# DemoVi2Zh: filter ablation\n")
    for name in variants:
        folder = tmp_path / "ablation" / "variants" / name
        assert (folder / "dataset" / "data" / "train_24.parquet").is_file()
        assert (folder / "runs" / "mbart-cls-tflcls-n24" / "metrics.json").is_file()
    # One test set: both variants are scored on the same records, drawn from those every filter kept.
    shared = json.loads((tmp_path / "ablation" / "shared_eval.json").read_text(encoding="utf-8"))
    kept = [json.loads(line)["id"] for line in (tmp_path / "ablation" / "variants" / "recipe" / "selected.jsonl").open()]
    assert shared["common"] == 32 and set(shared["test"] + shared["validation"]) <= set(kept)
    for name in variants:
        folder = tmp_path / "ablation" / "variants" / name / "dataset"
        assert [r["id"] for r in read_split(split_path(folder, "test"), ["id"])] == shared["test"]
        assert not (tmp_path / "ablation" / "variants" / name / "tiny-model").exists()
        assert not set(shared["test"] + shared["validation"]) & {r["id"] for r in read_split(split_path(folder, "train_24"), ["id"])}
    # One backbone: the tiny model is built once, from the base dataset, and every variant starts from it.
    tiny = tmp_path / "ablation" / "tiny-model"
    assert lines[-1] == f"Every variant is fine-tuned from the same backbone: {tiny}."
    for name in variants:
        metrics = json.loads((tmp_path / "ablation" / "variants" / name / "runs" / "mbart-cls-tflcls-n24" / "metrics.json").read_text())
        assert metrics["options"]["model"] == str(tiny)
    # One pool: the base build translated it once; the variants only read its scored pool.
    assert not (tmp_path / "ablation" / "variants" / "recipe" / "shards").exists()
