"""Recipes: the bundled YAML files load, relative paths resolve, bad recipes fail with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.recipe import BUNDLED, Recipe, bundled_recipe, load_recipe, pick_recipe


@pytest.mark.parametrize(
    ("name", "pair", "sites", "ncls"),
    [
        ("vi2zh_low", ("vi", "zh"), 7, None),
        ("en2zh_low", ("en", "zh"), 0, "en2zh"),
        ("zh2en_low", ("zh", "en"), 0, "zh2en"),
        ("vi2en_low", ("vi", "en"), 2, None),
        ("demo", ("vi", "zh"), 3, None),
    ],
)
def test_bundled_recipes_load(name: str, pair: tuple[str, str], sites: int, ncls: str | None) -> None:
    recipe = load_recipe(bundled_recipe(name))
    assert (recipe.source_lang, recipe.target_lang) == pair
    assert len(recipe.sites) == sites
    assert (recipe.ncls.direction if recipe.ncls else None) == ncls


def test_paper_recipe_matches_the_paper() -> None:
    recipe = load_recipe(bundled_recipe("vi2zh_low"))
    assert [entry["step"] for entry in recipe.filter] == ["language_id", "near_duplicates", "roundtrip_rouge"]
    assert recipe.filter[2]["k"] == 11000
    assert (recipe.splits.train_sizes, recipe.splits.validation, recipe.splits.test) == ([1000, 3000, 5000], 3000, 3000)
    assert recipe.training.methods == ["tflcls", "mbart-cls", "no-stage1", "no-mono"]


def test_the_old_filter_mapping_becomes_near_duplicates_then_round_trip() -> None:
    recipe = Recipe(name="X", source_lang="vi", target_lang="zh", sites=[{"site": "generic"}],
                    filter={"key": "rouge2", "k": 32, "min_scores": {"rouge2": 20}})
    assert recipe.filter == [
        {"step": "near_duplicates", "threshold": 0.8, "ngram": 5, "num_perm": 128, "summaries": True, "workers": None},
        {"step": "roundtrip_rouge", "key": "rouge2", "k": 32, "min_scores": {"rouge2": 20.0}},
    ]
    assert Recipe.model_validate(recipe.model_dump()).filter == recipe.filter  # the normalised form validates again


def test_relative_paths_resolve_from_the_recipe_folder() -> None:
    recipe = load_recipe(bundled_recipe("demo"))
    assert recipe.local_site == str(BUNDLED / "demo" / "site")
    assert recipe.translate.memory == str(BUNDLED / "demo" / "translations.jsonl")
    assert load_recipe(bundled_recipe("zh2en_low")).ncls.lcsts == str(BUNDLED / "LCSTS")


def test_local_models_and_datasets_resolve_from_the_recipe_folder(tmp_path: Path) -> None:
    (tmp_path / "models" / "labse").mkdir(parents=True)
    (tmp_path / "external").mkdir()
    (tmp_path / "r.yaml").write_text(
        "name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\n"
        "filter: [{step: crosslingual_similarity, model: models/labse}, {step: language_id}]\n"
        "leakage: {external: external}\n"
        "translate: {backend: hf, model: Helsinki-NLP/opus-mt-vi-zh}\n"
    )
    recipe = load_recipe(tmp_path / "r.yaml")
    assert recipe.filter[0]["model"] == str(tmp_path / "models" / "labse")
    assert recipe.leakage.external == str(tmp_path / "external")
    assert recipe.translate.model == "Helsinki-NLP/opus-mt-vi-zh"  # no such folder: a Hub id, as given


def test_inline_recipe_resolves_from_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inline = Recipe(name="X", source_lang="vi", target_lang="en", sites=[{"site": "generic"}],
                    translate={"backend": "memory", "memory": "tm.jsonl"})
    assert pick_recipe(inline, None).translate.memory == str(tmp_path / "tm.jsonl")
    assert pick_recipe(None, str(bundled_recipe("demo"))).name == "DemoVi2Zh"


def test_exactly_one_recipe_source() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        pick_recipe(None, None)
    with pytest.raises(ValueError, match="exactly one"):
        pick_recipe(load_recipe(bundled_recipe("demo")), str(bundled_recipe("demo")))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: X\nsource_lang: vi\ntarget_lang: zh\n", "give `sites` to crawl or an `ncls` source"),
        ("name: X\nsource_lang: xx\ntarget_lang: zh\nsites: [{site: generic}]\n", "xx"),
        ("name: X\nsource_lang: vi\ntarget_lang: vi\nsites: [{site: generic}]\n",
         "source_lang and target_lang are both 'vi': a cross-lingual dataset needs two languages"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic, start_urls: ['{local_site}/a.xml']}]\n",
         "`local_site` is not set"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntranslate: {backend: memory}\n",
         "translate: Value error, translator backend `memory` needs `memory: PATH`"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nfilter: {k: 0}\n",
         "filter: Value error, step 2: filter step roundtrip_rouge: k: Input should be greater than or equal to 1"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nfilter: [{step: langid}]\n",
         "filter: Value error, step 1: unknown filter step 'langid'; known steps: crosslingual_similarity, language_id,"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\n"
         "filter: [{step: language_id}, {step: near_duplicates, treshold: 0.9}]\n",
         "filter: Value error, step 2: filter step near_duplicates: treshold: Extra inputs are not permitted"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nfilter: [language_id]\n",
         "filter: Value error, step 1: a filter step is a mapping with a `step` name, got 'language_id'"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nsplits: {train_sizes: [8, 24]}\n"
         "training: {train_sizes: [16]}\n",
         "recipe X: training.train_sizes [16] are not among splits.train_sizes [8, 24]"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nleakage: {threshold: 1.0}\n",
         "threshold 1.0 is too high for MinHash LSH with num_perm 128"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nfilter: [{step: language_id}, {step: language_id}]\n",
         "filter: Value error, step 2: language_id is given twice with the same parameters"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nsplits: {train_sizes: [24, 24]}\n",
         "splits.train_sizes: Value error, 24 is listed twice"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {methods: [tflcls, tflcls]}\n",
         "training.methods: Value error, 'tflcls' is listed twice"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}, {site: generic}]\n",
         "sites: Value error, {'site': 'generic'"),
        ("- a list\n", "a recipe is a YAML mapping"),
        ("name: X\n  bad: [\n", "not valid YAML at line 2, column 6: mapping values are not allowed here"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nfiltr: {k: 3}\n",
         "filtr: Extra inputs are not permitted"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\nfilter: {kk: 3}\n",
         "filter: Value error, `filter` is a list of steps ([{step: NAME, ...}]); the old mapping form takes only key, k, min_scores, not kk"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: nosuch}]\n",
         "sites.0.site: Value error, unknown site 'nosuch'; choose one of: vnexpress,"),
        # Every `clsforge train` option is a checked field of `training` (train.config.TrainConfig, declared once).
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {num_beamz: 1}\n",
         "training.num_beamz: Extra inputs are not permitted"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {options: {num_beams: 1}}\n",
         "training.options: Extra inputs are not permitted"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {num_beams: many}\n",
         "training.num_beams: Input should be a valid integer"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {lr: 0}\n",
         "training: Value error, --lr must be a finite positive number"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {r: .nan}\n",
         "training: Value error, --r must be a finite positive number"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {stage2_lr: .inf}\n",
         "training: Value error, --stage2-lr must be a finite positive number"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {max_grad_norm: -1}\n",
         "training: Value error, --max-grad-norm must be a finite number >= 0 (0: no clipping)"),
        ("name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {no_mono_settings: x}\n",
         "training: Value error, unknown no-mono-settings 'x'; choose stage2 or stage1"),
    ],
)
def test_bad_recipes_fail_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_recipe(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_a_nan_training_option_in_a_recipe_is_one_line_with_exit_2(tmp_path: Path) -> None:
    text = "name: X\nsource_lang: vi\ntarget_lang: zh\nsites: [{site: generic}]\ntraining: {epochs: .nan}\n"
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    assert clsforge(["build", "--recipe", "r.yaml", "--workdir", "w"], tmp_path) == (
        2,
        "clsforge: error: r.yaml: training: Value error, --epochs must be a finite positive number\n",
    )
    assert not (tmp_path / "w").exists()


def test_a_binary_recipe_file_is_named_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "bin").write_bytes(b"\x8d\xff\x00")
    assert clsforge(["build", "--recipe", "bin", "--workdir", "w"], tmp_path) == (
        2,
        "clsforge: error: bin: not UTF-8 text (byte 0: invalid start byte)\n",
    )


def test_missing_recipe_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope.yaml"):
        load_recipe(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--recipe", "missing.yaml", "--workdir", "w"], "clsforge: error: No such recipe file: missing.yaml\n"),
        (["build", "--recipe", str(bundled_recipe("demo")), "--workdir", "w", "--dask", "somewhere"],
         "clsforge: error: --dask takes `local`, `local:threads` or a scheduler address such as tcp://host:8786, not 'somewhere'\n"),
    ],
)
def test_build_command_rejects_bad_input_in_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    assert clsforge(args, tmp_path) == (2, message)


@pytest.mark.parametrize("command", ["build", "demo"])
def test_a_workdir_that_is_a_file_fails_before_the_flow(command: str, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("", encoding="utf-8")
    args = [command, "--workdir", "afile"] + (["--recipe", str(bundled_recipe("demo"))] if command == "build" else [])
    assert clsforge(args, tmp_path) == (2, "clsforge: error: --workdir is a file, not a folder: afile\n")


def clsforge(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the installed `clsforge` with `args` in `cwd`: its exit status and stderr."""
    import subprocess
    import sys

    done = subprocess.run([str(Path(sys.executable).parent / "clsforge"), *args], capture_output=True, text=True, cwd=cwd)
    return done.returncode, done.stderr


def test_demo_with_an_unknown_method_fails_in_one_line(tmp_path: Path) -> None:
    assert clsforge(["demo", "--methods", "tflcls,foo", "--workdir", "w"], tmp_path) == (
        2,
        "clsforge: error: demo: training.methods.1: Value error, unknown method 'foo'; choose one of tflcls, mbart-cls, no-stage1, no-mono\n",
    )
    assert not (tmp_path / "w").exists()
    assert clsforge(["demo", "--methods", " , ", "--workdir", "w"], tmp_path) == (
        2, "clsforge: error: --methods ' , ' names no method; give some of tflcls, mbart-cls, no-stage1, no-mono\n",
    )


def test_the_training_section_takes_every_train_option_with_its_default_and_help() -> None:
    from dataclasses import fields

    from flows.recipe import TrainingSpec
    from train.config import PER_RUN, TrainConfig

    declared = {f.name: f for f in fields(TrainConfig) if f.name not in PER_RUN}
    spec = TrainingSpec.model_fields
    assert set(spec) == set(declared) | {"methods", "train_sizes", "losses", "model"}
    for name, option in declared.items():
        assert (spec[name].default, spec[name].description) == (option.default, option.metadata["help"])
    recipe = load_recipe(bundled_recipe("demo"))
    assert (recipe.training.num_beams, recipe.training.max_target_length, recipe.training.epochs) == (1, 48, 10.0)
