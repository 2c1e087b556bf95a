"""Early errors: placeholders, Google credentials, the Hub token and split sizes fail before any work;
a failed translation ends the build with its own error; K larger than the records left is a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.filters.chain import FilterResult
from flows.preflight import check_ready, short_of_k
from flows.recipe import Recipe, bundled_recipe, load_recipe
from tests.cli import clsforge


@pytest.fixture
def no_credentials(monkeypatch, tmp_path: Path) -> None:
    """No Google credentials or Hub token anywhere the libraries look."""
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_TRANSLATE_API_KEY", "GOOGLE_CLOUD_PROJECT", "HF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.setattr("huggingface_hub.get_token", lambda: None)  # its paths are read at import: no env trick


def vi2zh(**changes) -> Recipe:
    recipe = load_recipe(bundled_recipe("vi2zh_low")).model_dump()
    for field, value in changes.items():
        recipe[field] = recipe[field] | value if isinstance(value, dict) else value
    return Recipe.model_validate(recipe)


def test_the_placeholder_project_fails_before_any_work(tmp_path: Path) -> None:
    done = clsforge("build", "--recipe", "datasets/vi2zh_low.yaml", "--workdir", str(tmp_path / "work"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "clsforge: error: recipe Vi2ZhLow: translate.google_project is the placeholder 'YOUR-GCP-PROJECT': "
        "set your Google Cloud project id\n"
    )
    assert not (tmp_path / "work").exists()


def test_google_without_credentials_fails_naming_the_fix(no_credentials) -> None:
    recipe = vi2zh(translate={"google_project": "my-project"}, back_translate={"google_project": "my-project"})
    with pytest.raises(ValueError) as error:
        check_ready(recipe)
    assert str(error.value) == (
        "recipe Vi2ZhLow: translate uses google-v3 but no Google credentials were found: run `gcloud auth "
        "application-default login` or set GOOGLE_APPLICATION_CREDENTIALS to a key file"
    )


def test_an_ncls_recipe_translates_nothing_and_needs_no_credentials(no_credentials) -> None:
    check_ready(load_recipe(bundled_recipe("en2zh_low")))  # its translators are the defaults (google-v3): unused


def test_an_emulator_endpoint_needs_no_credentials(no_credentials) -> None:
    endpoint = {"google_project": "p", "google_endpoint": "http://127.0.0.1:9"}
    recipe = vi2zh(translate=endpoint, back_translate=endpoint, publish={"repo_id": "me/Vi2ZhLow", "dry_run": True})
    check_ready(recipe)  # nothing raised


def test_the_hub_repo_placeholder_and_a_missing_token_fail(no_credentials) -> None:
    endpoint = {"google_project": "p", "google_endpoint": "http://127.0.0.1:9"}
    with pytest.raises(ValueError, match=r"^recipe Vi2ZhLow: publish.repo_id is the placeholder 'YOUR-HF-USER/Vi2ZhLow': "):
        check_ready(vi2zh(translate=endpoint, back_translate=endpoint, publish={"dry_run": False}))
    check_ready(vi2zh(translate=endpoint, back_translate=endpoint))  # a dry run (the recipe's) pushes nothing
    with pytest.raises(ValueError) as error:
        check_ready(vi2zh(translate=endpoint, back_translate=endpoint, publish={"repo_id": "me/Vi2ZhLow", "dry_run": False}))
    assert str(error.value) == (
        "recipe Vi2ZhLow: publishing needs a Hugging Face token: set HF_TOKEN or run `hf auth login` "
        "(or set publish.dry_run: true)"
    )


def test_splits_larger_than_k_fail_early() -> None:
    recipe = load_recipe(bundled_recipe("demo")).model_copy()
    recipe = Recipe.model_validate(recipe.model_dump() | {"filter": {"k": 31}})
    with pytest.raises(ValueError) as error:
        check_ready(recipe)
    assert str(error.value) == (
        "recipe DemoVi2Zh: the splits need 32 records (largest train size 24 + validation 4 + test 4) "
        "but the roundtrip_rouge step keeps at most k=31"
    )


def test_k_larger_than_the_records_left_is_a_warning() -> None:
    recipe = Recipe.model_validate(load_recipe(bundled_recipe("demo")).model_dump() | {"filter": {"k": 300}})
    assert short_of_k(recipe, FilterResult(input=40, kept=40, steps=[], dropped_file="dropped.jsonl")) == [
        "the roundtrip_rouge step's k is 300 but only 40 of 40 scored records were left to keep: the dataset has 40"
    ]
    assert short_of_k(recipe, FilterResult(input=400, kept=300, steps=[], dropped_file="dropped.jsonl")) == []


@pytest.mark.slow
def test_a_failed_translation_is_the_builds_error_and_k_over_the_pool_reaches_the_card(
    prefect_api: str, demo_site: Path, tmp_path: Path
) -> None:
    from curate.translate.errors import TranslationMemoryMiss
    from flows.build import build_dataset

    demo = load_recipe(bundled_recipe("demo")).model_dump()
    sites = [site | {"max_articles": 4} for site in demo["sites"]]
    small = {"sites": sites, "publish": None, "training": None, "filter": {"k": 300},
             "splits": {"train_sizes": [4], "validation": 2, "test": 2}}
    result = build_dataset(recipe=Recipe.model_validate(demo | small), workdir=str(tmp_path / "ok"))
    assert result["warnings"] == ["the roundtrip_rouge step's k is 300 but only 12 of 12 scored records were left to keep: the dataset has 12"]
    card = Path(result["card"]).read_text(encoding="utf-8")
    assert "- **Warning:** the roundtrip_rouge step's k is 300 but only 12 of 12 scored records were left to keep" in card

    memory = tmp_path / "empty.jsonl"
    memory.write_text("")
    broken = demo | small | {"translate": {"backend": "memory", "memory": str(memory)}}
    with pytest.raises(TranslationMemoryMiss):
        build_dataset(recipe=Recipe.model_validate(broken), workdir=str(tmp_path / "broken"))


@pytest.mark.slow
def test_a_failed_build_prints_its_own_error_last_and_keeps_tracebacks_in_the_log(demo_site: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import yaml

    demo = load_recipe(bundled_recipe("demo")).model_dump(mode="json")
    memory = tmp_path / "empty.jsonl"
    memory.write_text("")
    demo |= {"sites": [site | {"max_articles": 2} for site in demo["sites"]], "publish": None, "training": None,
             "filter": {"k": 6}, "splits": {"train_sizes": [2], "validation": 2, "test": 2},
             "translate": {"backend": "memory", "memory": str(memory)}}
    recipe = tmp_path / "broken.yaml"
    recipe.write_text(yaml.safe_dump(demo, allow_unicode=True), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    done = subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", "build", "--recipe", str(recipe), "--workdir",
         str(tmp_path / "work")], capture_output=True, text=True, timeout=300, env=env,
    )
    assert done.returncode == 2, done.stderr[-3000:]
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("clsforge: error: ") and "empty.jsonl" in last, last
    assert "Traceback" not in done.stderr + done.stdout
    log = (tmp_path / "work" / "clsforge.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "TranslationMemoryMiss" in log
