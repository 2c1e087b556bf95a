"""Recipes: what a dataset build, an NCLS sampling and a fine-tuning grid need, as pydantic models.

A recipe is a YAML file in `datasets/` (or the same structure given inline from the Prefect UI,
which draws a form from these models). A new language pair is a new recipe, never a code change.
Relative paths in a recipe file are read relative to the recipe's folder; inline recipes use the
current directory.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any, Literal, get_type_hints

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator, model_validator

from crawl.sites import PROFILES, get_profile
from curate.filters.registry import STEPS
from curate.filters.spec import filter_steps
from curate.languages import get_language
from curate.translate.spec import TranslatorSpec  # the translator part, re-exported: flows.recipe.TranslatorSpec
from train.config import PER_RUN, TrainConfig
from train.registry import LOSSES, METHODS, check_loss, check_method

# Names of backends, methods and losses are checked against their registries (curate.translate.registry,
# train.registry) when a recipe is validated, never listed again here: a name registered later is accepted.
# The translator part (backend name included) is curate.translate.spec.TranslatorSpec, the object the CLI
# and the library take too.
MethodName = Annotated[str, AfterValidator(check_method)]
LossName = Annotated[str, AfterValidator(check_loss)]

# The recipes that ship with clsforge (datasets/ at the repository root).
BUNDLED = Path(__file__).resolve().parent.parent / "datasets"

# The placeholder a start URL may hold when the recipe serves a local folder (`local_site`).
LOCAL_SITE = "{local_site}"
# A `training.model` value: build a tiny random mBART-shaped model from the dataset's own text.
TINY_MODEL = "tiny"


class Spec(BaseModel):
    """A recipe part: a misspelt or unknown field is an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ArchiveSpec(Spec):
    """Where a `source: ccnews` site's pages are read: WARC files, or a CC-NEWS listing and months."""

    inputs: list[str] = Field(default_factory=list, description="WARC files: paths (from the recipe's folder), http(s):// or s3:// URLs.")
    paths_file: str | None = Field(default=None, description="A warc.paths.gz listing; without it, months read CC-NEWS's own listings.")
    from_month: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="First month, YYYY-MM.")
    to_month: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Last month, YYYY-MM (default: from_month).")
    base_url: str | None = Field(default=None, description="Prefix of the listing's relative paths (default https://data.commoncrawl.org/).")
    hosts: list[str] = Field(default_factory=list, description="Hosts or patterns (*.example.com) of the site's pages; generic needs them.")

    @model_validator(mode="after")
    def _something_to_read(self) -> ArchiveSpec:
        if not (self.inputs or self.paths_file or self.from_month):
            raise ValueError("`ccnews` needs `inputs`, a `paths_file` or a `from_month`")
        if self.inputs and (self.paths_file or self.from_month or self.to_month):
            raise ValueError("`ccnews` takes `inputs` or a listing with months, not both")
        return self


class SiteSpec(Spec):
    """One site: a crawl profile, crawled live (start URLs may override the profile's) or read from CC-NEWS."""

    site: str = Field(description="Crawl profile: " + ", ".join(PROFILES) + ".")
    start_urls: list[str] = Field(default_factory=list, description="Sitemaps, RSS feeds or listing pages; may use {local_site}.")
    max_articles: int | None = Field(default=None, ge=1, description="Stop this site's crawl after this many articles.")
    source: Literal["live", "ccnews"] = Field(default="live", description="live: crawl the site; ccnews: read its archived pages (WARC).")
    ccnews: ArchiveSpec | None = Field(default=None, description="The WARC files or CC-NEWS months of a `source: ccnews` site.")

    @field_validator("site")
    @classmethod
    def _known_site(cls, site: str) -> str:
        get_profile(site)  # fail on the recipe, not minutes later in the crawl
        return site

    @model_validator(mode="after")
    def _source_has_its_input(self) -> SiteSpec:
        if self.source == "ccnews" and self.ccnews is None:
            raise ValueError(f"site {self.site}: `source: ccnews` needs a `ccnews:` section (inputs, paths_file or months)")
        if self.source == "live" and self.ccnews is not None:
            raise ValueError(f"site {self.site}: a `ccnews:` section needs `source: ccnews`")
        if self.source == "ccnews" and (self.start_urls or self.max_articles):
            raise ValueError(f"site {self.site}: start_urls and max_articles apply to a live crawl, not to `source: ccnews`")
        return self

    def resolved(self, base: Path) -> SiteSpec:
        """The same entry with its local WARC paths made absolute against `base` (URLs stay as they are)."""
        if self.ccnews is None:
            return self

        def absolute(path: str | None) -> str | None:
            return path if path is None or "://" in path else str((base / path).resolve())

        archive = self.ccnews.model_copy(
            update={"inputs": [absolute(p) for p in self.ccnews.inputs], "paths_file": absolute(self.ccnews.paths_file)}
        )
        return self.model_copy(update={"ccnews": archive})


class LeakageSpec(Spec):
    """The leakage audit after splitting (curate.filters.leakage); its result goes into the card."""

    enabled: bool = True
    threshold: float = Field(default=0.8, gt=0.0, le=1.0, description="Estimated Jaccard similarity of source texts that counts as a leak.")
    external: str | None = Field(default=None, description="Another dataset whose test split must not leak into train: a dataset directory or Hub id.")
    external_field: str = Field(default="source_text", description="The external dataset's source text column.")

    @model_validator(mode="after")
    def _lsh_can_band(self) -> LeakageSpec:
        from curate.filters.minhash import check_lsh_threshold

        check_lsh_threshold(self.threshold, 128)  # the audit's permutations (curate.filters.leakage)
        return self


def _no_repeats(values: list) -> list:
    """A recipe list with each value once: `train_sizes: [24, 24]` would build or train one cell twice."""
    seen = []
    for value in values:
        shown = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        if shown in seen:
            raise ValueError(f"{shown!r} is listed twice")
        seen.append(shown)
    return values


Distinct = AfterValidator(_no_repeats)


class SplitSpec(Spec):
    """Split sizes: nested train subsets plus shared validation and test sets."""

    train_sizes: Annotated[list[int], Distinct] = Field(default=[1000, 3000, 5000], min_length=1)
    validation: int = Field(default=3000, ge=1)
    test: int = Field(default=3000, ge=1)
    seed: int = 0


class PublishSpec(Spec):
    """Where the dataset goes on the Hugging Face Hub."""

    repo_id: str = Field(description="OWNER/NAME on the Hub.")
    private: bool = False
    dry_run: bool = Field(default=False, description="Check and list what would be pushed, push nothing.")


class NclsSpec(Spec):
    """An NCLS-sampled dataset (En2ZhLow / Zh2EnLow) instead of a crawl."""

    input: str = Field(description="The unpacked NCLS release folder (holding EN2ZHSUM/ and ZH2ENSUM/).")
    direction: Literal["en2zh", "zh2en"]
    lcsts: str | None = Field(default=None, description="LCSTS folder for Zh2En source texts.")


class TrainingGrid(Spec):
    """The fine-tuning grid: every method x train size x loss scheme, on one backbone."""

    methods: Annotated[list[MethodName], Distinct] = Field(default_factory=lambda: list(METHODS), min_length=1, description="Training methods: " + ", ".join(METHODS) + ".")
    train_sizes: Annotated[list[int], Distinct] = Field(default=[1000, 3000, 5000], min_length=1)
    losses: Annotated[list[LossName], Distinct] = Field(default=["tflcls"], min_length=1, description="Loss schemes (TFLCLS-style methods only): " + ", ".join(LOSSES) + ".")
    model: str = Field(default="facebook/mbart-large-cc25", description=f"Model name or path; `{TINY_MODEL}` builds a tiny one.")

    @model_validator(mode="after")
    def _options_make_a_run(self) -> TrainingGrid:
        """Check the run options as `clsforge train` would (positive numbers, known choices), at recipe load."""
        options = {name: getattr(self, name) for name in type(self).model_fields if name in TRAIN_FIELDS}
        TrainConfig(method=self.methods[0], data=Path("."), train_size=self.train_sizes[0], out=Path("."),
                    loss=self.losses[0], model=self.model, **options)
        return self


def run_option(option: dataclasses.Field, hint: Any) -> tuple[Any, Any]:
    """A recipe field for one `clsforge train` option: its type, its default and its help."""
    return hint, Field(default=option.default, description=option.metadata["help"])


# The grid plus every `clsforge train` option, declared once in train.config.TrainConfig: a misspelt
# option (`num_beamz`) is an unknown field, refused when the recipe is loaded, before anything runs.
TRAIN_FIELDS = {f.name: f for f in dataclasses.fields(TrainConfig) if f.name not in PER_RUN}
TrainingSpec = create_model(
    "TrainingSpec",
    __base__=TrainingGrid,
    __doc__="The fine-tuning grid, then the Table-2 report; the other fields are `clsforge train` options.",
    **{name: run_option(f, get_type_hints(TrainConfig)[name]) for name, f in TRAIN_FIELDS.items()},
)


class Recipe(Spec):
    """Everything the lifecycle needs: languages, sources, translators, filter, splits, publish, training."""

    name: str = Field(description="Dataset name, e.g. Vi2ZhLow.")
    source_lang: str = Field(description="Language code of the articles (registry code, e.g. vi).")
    target_lang: str = Field(description="Language code of the target summaries (e.g. zh).")
    sites: Annotated[list[SiteSpec], Distinct] = Field(default_factory=list, description="Sites to crawl (empty for an NCLS recipe).")
    local_site: str | None = Field(default=None, description="A folder served on 127.0.0.1 during the crawl ({local_site}).")
    ncls: NclsSpec | None = None
    translate: TranslatorSpec = Field(default_factory=TranslatorSpec, description="Forward translation of the summaries.")
    back_translate: TranslatorSpec = Field(default_factory=TranslatorSpec, description="Back-translation for the filter.")
    google_concurrency: int = Field(default=4, ge=1, description="Shards translating with Google at once, over every run (a Prefect global concurrency limit).")
    shard_size: int = Field(default=1000, ge=1, description="Records per translation/scoring task.")
    filter: list[dict[str, Any]] = Field(
        default_factory=lambda: filter_steps(None),
        description="Ordered filter steps, [{step: NAME, ...params}]; steps: " + ", ".join(STEPS) + " (docs/curate.md).",
    )
    leakage: LeakageSpec = Field(default_factory=LeakageSpec)
    splits: SplitSpec = Field(default_factory=SplitSpec)
    publish: PublishSpec | None = None
    training: TrainingSpec | None = None
    work_pool: str | None = Field(default=None, description="Run `finetune` as deployment finetune/<work_pool> (a GPU pool).")

    @field_validator("filter", mode="before")
    @classmethod
    def _filter_steps(cls, value: Any) -> list[dict[str, Any]]:
        return filter_steps(value)  # the registry's steps and parameters; the old {key, k} form converted

    @model_validator(mode="after")
    def _consistent(self) -> Recipe:
        get_language(self.source_lang)
        get_language(self.target_lang)
        if self.source_lang == self.target_lang:
            raise ValueError(
                f"recipe {self.name}: source_lang and target_lang are both {self.source_lang!r}: "
                "a cross-lingual dataset needs two languages"
            )
        if not self.sites and self.ncls is None:
            raise ValueError(f"recipe {self.name}: give `sites` to crawl or an `ncls` source")
        if any(LOCAL_SITE in url for site in self.sites for url in site.start_urls) and not self.local_site:
            raise ValueError(f"recipe {self.name}: start URLs use {LOCAL_SITE} but `local_site` is not set")
        if self.training is not None:
            missing = sorted(set(self.training.train_sizes) - set(self.splits.train_sizes))
            if missing:
                raise ValueError(
                    f"recipe {self.name}: training.train_sizes {missing} are not among splits.train_sizes "
                    f"{self.splits.train_sizes}: the dataset would have no train_{missing[0]} split to train on"
                )
        return self

    def resolved(self, base: Path) -> Recipe:
        """The same recipe with its relative file paths made absolute against `base`."""

        def absolute(path: str | None) -> str | None:
            return None if path is None else str((base / path).resolve())

        def local_or_id(value: str | None) -> str | None:
            """A model or dataset that is a folder next to the recipe, made absolute; else a Hub id as given."""
            if not value or Path(value).is_absolute() or not (base / value).exists():
                return value
            return str((base / value).resolve())

        updates: dict = {"local_site": absolute(self.local_site)}
        updates["sites"] = [site.resolved(base) for site in self.sites]
        for name in ("translate", "back_translate"):
            spec: TranslatorSpec = getattr(self, name)
            updates[name] = spec.model_copy(update={"memory": absolute(spec.memory), "model": local_or_id(spec.model)})
        updates["filter"] = [
            {**entry, "model": local_or_id(entry["model"])} if isinstance(entry.get("model"), str) else entry
            for entry in self.filter
        ]
        updates["leakage"] = self.leakage.model_copy(update={"external": local_or_id(self.leakage.external)})
        if self.training is not None:
            updates["training"] = self.training.model_copy(update={"model": local_or_id(self.training.model)})
        if self.ncls is not None:
            updates["ncls"] = self.ncls.model_copy(
                update={"input": absolute(self.ncls.input), "lcsts": absolute(self.ncls.lcsts)}
            )
        return self.model_copy(update=updates)


def load_recipe(path: Path | str) -> Recipe:
    """Read and validate a recipe YAML file; its relative paths become absolute (from its folder).

    A missing file raises FileNotFoundError; a binary (not UTF-8), invalid or wrong recipe raises a
    one-line ValueError that starts with the file's path.
    """
    from curate.io import read_text

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "No such recipe file", str(path))
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ValueError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a recipe is a YAML mapping")
    try:
        recipe = Recipe.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path}: {first_error(exc)}") from None
    return recipe.resolved(path.parent)


def bundled_recipe(name: str) -> Path:
    """The path of a recipe shipped in datasets/ (`demo`, `vi2zh_low`, ...)."""
    return BUNDLED / f"{name}.yaml"


def pick_recipe(recipe: Recipe | None, recipe_path: str | None) -> Recipe:
    """The recipe a flow was given: inline (paths from the current folder) or a file path, exactly one."""
    if (recipe is None) == (recipe_path is None):
        raise ValueError("give exactly one of `recipe` (inline) and `recipe_path` (a YAML file)")
    if recipe is not None:
        return recipe.resolved(Path.cwd())
    return load_recipe(recipe_path)


def first_error(exc: ValidationError) -> str:
    """The first validation error on one line: where it is (`filter.k`) and what is wrong."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]
