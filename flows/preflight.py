"""Checks a recipe needs from the environment before any work starts: Google credentials and
project, the Hub repo id and token, split sizes against K.

A recipe can be valid and still unable to run: a Google build without credentials used to crawl for
an hour and then end with `UnfinishedRun: Run is in PENDING state`. `check_ready` raises the one
problem first found as a ValueError naming the recipe field and the fix; `short_of_k` says what ran
but probably is not what was meant (K larger than the records there were). Both are cheap (no network
except Google's local credential lookup) and run before the first stage, from the CLI and at the
start of the flows (runs started from the UI).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from flows.recipe import Recipe, TranslatorSpec

if TYPE_CHECKING:
    from curate.filters.chain import FilterResult

# The placeholders the bundled recipes carry until a user fills them in.
PLACEHOLDER = re.compile(r"YOUR-[A-Z0-9-]+")
CREDENTIALS_HELP = (
    "run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS to a key file"
)


def check_ready(recipe: Recipe) -> None:
    """Raise ValueError (one line) when the recipe cannot run here: a placeholder left in, Google without
    credentials or project, a Hub push without a token, splits that need more records than K keeps."""
    for field in ("translate", "back_translate") if recipe.ncls is None else ():  # NCLS is translated already
        spec: TranslatorSpec = getattr(recipe, field)
        if spec.backend.startswith("google"):
            _check_google(recipe.name, field, spec)
    publish = recipe.publish
    if publish is not None:
        if PLACEHOLDER.search(publish.repo_id) and not publish.dry_run:  # a dry run pushes nothing
            raise ValueError(
                f"recipe {recipe.name}: publish.repo_id is the placeholder {publish.repo_id!r}: "
                "set it to your Hub OWNER/NAME (or remove `publish`)"
            )
        if not re.fullmatch(r"[\w.\-]+/[\w.\-]+", publish.repo_id):
            raise ValueError(
                f"recipe {recipe.name}: publish.repo_id must look like OWNER/NAME, got {publish.repo_id!r}"
            )
        if not publish.dry_run:
            from huggingface_hub import get_token

            if not get_token():
                raise ValueError(
                    f"recipe {recipe.name}: publishing needs a Hugging Face token: set HF_TOKEN or run "
                    "`hf auth login` (or set publish.dry_run: true)"
                )
    k = top_k(recipe)
    if recipe.ncls is None and k is not None:
        needed = max(recipe.splits.train_sizes) + recipe.splits.validation + recipe.splits.test
        if needed > k:
            raise ValueError(
                f"recipe {recipe.name}: the splits need {needed} records (largest train size "
                f"{max(recipe.splits.train_sizes)} + validation {recipe.splits.validation} + test "
                f"{recipe.splits.test}) but the roundtrip_rouge step keeps at most k={k}"
            )


def top_k(recipe: Recipe) -> int | None:
    """The `k` of the recipe's top-K filter step (roundtrip_rouge), or None when no step caps the count."""
    return next((step.get("k") for step in recipe.filter if step.get("k") is not None), None)


def _check_google(name: str, field: str, spec: TranslatorSpec) -> None:
    if spec.google_project and PLACEHOLDER.search(spec.google_project):
        raise ValueError(
            f"recipe {name}: {field}.google_project is the placeholder {spec.google_project!r}: "
            "set your Google Cloud project id"
        )
    if spec.google_endpoint:  # an emulator or proxy: anonymous credentials
        return
    if spec.backend == "google-v2" and os.environ.get("GOOGLE_TRANSLATE_API_KEY"):
        return
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    try:
        _, project = google.auth.default()
    except DefaultCredentialsError:
        extra = " (or set GOOGLE_TRANSLATE_API_KEY)" if spec.backend == "google-v2" else ""
        raise ValueError(f"recipe {name}: {field} uses {spec.backend} but no Google credentials were found: "
                         f"{CREDENTIALS_HELP}{extra}") from None
    if spec.backend == "google-v3" and not (spec.google_project or project):
        raise ValueError(f"recipe {name}: {field} uses google-v3 and needs a project: set {field}.google_project")


def short_of_k(recipe: Recipe, filtered: FilterResult) -> list[str]:
    """The warning when the filter steps kept fewer records than the top-K step's `k` (`filtered`:
    curate.filters.chain's result), else none."""
    k = top_k(recipe)
    if k is None or filtered.kept >= k:
        return []
    return [
        f"the roundtrip_rouge step's k is {k} but only {filtered.kept} of {filtered.input} scored records "
        f"were left to keep: the dataset has {filtered.kept}"
    ]
