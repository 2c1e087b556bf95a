"""Commands that use a trained model: `clsforge summarize` and `clsforge publish-model` (apart from train/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from train.summarize import DEFAULT_FIELD, DEFAULT_MAX_SOURCE_LENGTH, DEFAULT_TO_FIELD


def summarize(
    model: Path = typer.Option(..., "--model", help="A trained model folder: the OUT/model of `clsforge train`."),
    input: Path = typer.Option(..., "--input", help="Articles as JSONL (crawl records or any records)."),
    output: Path = typer.Option(..., "--output", help="Output JSONL: the same records, in order, plus the summary."),
    field: str = typer.Option(DEFAULT_FIELD, "--field", help="The article text field."),
    to_field: str = typer.Option(DEFAULT_TO_FIELD, "--to-field", help="Name of the new summary field."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Articles generated at once."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    max_source_length: int = typer.Option(
        DEFAULT_MAX_SOURCE_LENGTH, "--max-source-length", min=1, help="Source tokens kept per article (as in training)."
    ),
) -> None:
    """Summarize new articles in the model's target language, with the generation settings saved with it."""
    from train.summarize import summarize_file

    counts = summarize_file(model, input, output, field, to_field, batch_size, device, max_source_length)
    print(json.dumps(counts, ensure_ascii=False))


def publish_model(
    run: Path = typer.Argument(..., help="A finished run folder OUT (metrics.json + model/), or its OUT/model."),
    repo_id: str = typer.Option(..., "--repo-id", help="OWNER/NAME on the Hugging Face Hub."),
    private: bool = typer.Option(False, "--private", help="Create the repo private."),
    license: str = typer.Option(
        "other", "--license",
        help="Hub license id for the model card (apache-2.0, cc-by-nc-4.0, other ...; mind the data's terms).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write the model card, print what would be uploaded."),
) -> None:
    """Push a trained model (OUT/model) to the Hugging Face Hub with a model card (token: HF_TOKEN or login cache)."""
    from train.publish_model import publish_model as publish

    result = publish(run, repo_id, private=private, dry_run=dry_run, license=license)
    print(json.dumps({k: result[k] for k in ("repo_id", "card", "bytes", "dry_run", "commit_url")}))
