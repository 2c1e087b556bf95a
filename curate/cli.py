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

    from curate.rouge import score_line_files

    print(json.dumps(score_line_files(hyp, ref, lang)))


def ncls(
    input: Path = typer.Option(..., "--input", help="Unpacked NCLS release folder, or one direction's folder."),
    direction: str = typer.Option(..., "--direction", help="en2zh or zh2en."),
    out: Path = typer.Option(..., "--out", help="Dataset directory to write."),
    train_sizes: str = typer.Option("1000,3000,5000", "--train-sizes", help="Nested train subset sizes."),
    seed: int = typer.Option(0, "--seed", help="Sampling seed."),
    lcsts: Path = typer.Option(None, "--lcsts", help="LCSTS data for Zh2En source texts, joined by doc id."),
) -> None:
    """Sample En2ZhLow / Zh2EnLow from the NCLS release into the dataset layout."""
    import json

    from curate.ncls import build_ncls_low

    sizes = parse_sizes(train_sizes)
    result = build_ncls_low(input, direction, out, train_sizes=sizes, seed=seed, lcsts=lcsts)
    print(json.dumps(result.as_dict(), ensure_ascii=False))


def stats(
    directory: Path = typer.Argument(..., help="Dataset directory."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON instead of the table."),
) -> None:
    """Table-1 statistics of a dataset directory (JSON and a printed table)."""
    import json

    from rich.console import Console
    from rich.table import Table

    from curate.dataset import find_splits
    from curate.stats import compute_stats, stats_rows

    if not directory.is_dir():
        raise (NotADirectoryError(20, "Not a folder", str(directory)) if directory.exists()
               else FileNotFoundError(2, "No such folder", str(directory)))
    present = find_splits(directory)
    missing = [split for split in ("validation", "test") if present and split not in present]
    if missing:  # a dataset directory holds both (DESIGN.md layout); Table 1 without one misleads
        raise ValueError(
            f"{directory} has no {' and no '.join(missing)} split (data/{missing[0]}.parquet): not a dataset directory"
        )
    result = compute_stats(directory)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    header, rows = stats_rows(result)
    table = Table(*header, title=f"Mean lengths ({result['source_lang']} -> {result['target_lang']})")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    print(f"written: {directory / 'stats.json'}")


def publish(
    directory: Path = typer.Argument(..., help="Dataset directory."),
    repo_id: str = typer.Option(..., "--repo-id", help="OWNER/NAME on the Hugging Face Hub."),
    private: bool = typer.Option(False, "--private", help="Create the repo private."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be uploaded, upload nothing."),
) -> None:
    """Push a dataset directory to the Hugging Face Hub (token from HF_TOKEN or the login cache)."""
    from curate.publish import publish as publish_dataset

    result = publish_dataset(directory, repo_id, private=private, dry_run=dry_run)
    if not dry_run:
        print(f"uploaded {len(result['files'])} files ({result['bytes']} bytes) to {repo_id}: {result['commit_url']}")


def export(
    directory: Path = typer.Argument(..., help="Dataset directory."),
    format: str = typer.Option("tflcls-csv", "--format", help="Export format: tflcls-csv (src,tgt CSVs of TFLCLS)."),
    out: Path = typer.Option(..., "--out", help="Folder to write the exported files into."),
    train_size: int = typer.Option(None, "--train-size", help="Train split to export (default: the largest)."),
) -> None:
    """Export a dataset directory for other code (the reference TFLCLS CSV layout)."""
    import json

    from curate.export import export_tflcls_csv

    if format != "tflcls-csv":
        raise ValueError(f"unknown export format {format!r}; available: tflcls-csv")
    print(json.dumps(export_tflcls_csv(directory, out, train_size=train_size)))


def parse_sizes(text: str) -> list[int]:
    """`"1000,3000,5000"` -> `[1000, 3000, 5000]`; anything else is a clear ValueError."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"--train-sizes must be comma-separated integers, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise ValueError(f"--train-sizes must be positive integers, got {text!r}")
    return sizes
