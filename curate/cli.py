"""`clsforge rouge`, `ncls`, `stats` and `publish`: the curation commands."""

from __future__ import annotations

from pathlib import Path

import typer


def rouge(
    lang: str = typer.Option(..., "--lang", help="Language of both files (vi, zh, en, ...)."),
    hyp: Path = typer.Option(..., "--hyp", help="Hypotheses, one per line."),
    ref: Path = typer.Option(..., "--ref", help="References, one per line, aligned with --hyp."),
) -> None:
    """Language-aware ROUGE-1/2/L of two line-aligned files, printed as one JSON object."""
    import json

    from curate.io import read_lines
    from curate.languages import get_language
    from curate.rouge import mean_scores, score_pairs

    get_language(lang)
    hyps, refs = read_lines(hyp), read_lines(ref)
    if len(hyps) != len(refs):
        raise ValueError(f"{hyp} has {len(hyps)} lines but {ref} has {len(refs)}: the files must be line-aligned")
    print(json.dumps(mean_scores(score_pairs(hyps, refs, lang))))


def ncls(
    input: Path = typer.Option(..., "--input", help="Unpacked NCLS release folder, or one direction's folder."),
    direction: str = typer.Option(..., "--direction", help="en2zh or zh2en."),
    out: Path = typer.Option(..., "--out", help="Dataset directory to write."),
    train_sizes: str = typer.Option("1000,3000,5000", "--train-sizes", help="Nested train subset sizes."),
    seed: int = typer.Option(0, "--seed", help="Sampling seed."),
    lcsts: Path = typer.Option(None, "--lcsts", help="LCSTS data for Zh2En source texts, joined by doc id."),
) -> None:
    """Sample En2ZhLow / Zh2EnLow from the NCLS release into the dataset layout."""
    raise NotImplementedError("`clsforge ncls` is not available yet")


def stats(
    directory: Path = typer.Argument(..., help="Dataset directory."),
) -> None:
    """Table-1 statistics of a dataset directory (JSON and a printed table)."""
    raise NotImplementedError("`clsforge stats` is not available yet")


def publish(
    directory: Path = typer.Argument(..., help="Dataset directory."),
    repo_id: str = typer.Option(..., "--repo-id", help="OWNER/NAME on the Hugging Face Hub."),
    private: bool = typer.Option(False, "--private", help="Create the repo private."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be uploaded, upload nothing."),
) -> None:
    """Push a dataset directory to the Hugging Face Hub (token from HF_TOKEN or the login cache)."""
    raise NotImplementedError("`clsforge publish` is not available yet")
