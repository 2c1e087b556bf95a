"""`clsforge humaneval {prepare,serve,score}`: the Table-4 human evaluation as a Typer sub-app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    name="humaneval",
    help="The paper's Table-4 human evaluation: Best-Worst Scaling tuples, an annotation page, and the scores.",
    no_args_is_help=True,
)


@app.command()
def prepare(
    runs: list[Path] = typer.Argument(..., help="Run folders holding predictions.jsonl (the same test set)."),
    out: Path = typer.Option(..., "--out", help="Plan folder: plan.json, key.json; later answers.sqlite, table4.*."),
    articles: int = typer.Option(25, "--articles", min=1, help="Test articles to judge (the paper: 25)."),
    tuple_size: Optional[int] = typer.Option(
        None, "--tuple-size", min=2, help="Summaries shown together in one tuple (default: 4, or all the candidates "
        "of an article when there are fewer)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the article sample and of every shuffle."),
    include_reference: bool = typer.Option(False, "--include-reference", help="Judge the reference summary too."),
    data: Optional[Path] = typer.Option(
        None, "--data", help="Dataset folder with the source articles (default: the one in the runs' metrics.json)."
    ),
) -> None:
    """Sample test articles present in every run and write anonymised BWS tuples to a plan folder."""
    from train.humaneval.plan import TUPLE_SIZE, prepare_plan

    summary = prepare_plan(runs, out, articles, tuple_size, seed, include_reference, data)
    if tuple_size is None and summary["tuple_size"] != TUPLE_SIZE:
        typer.echo(f"clsforge: --tuple-size {summary['tuple_size']}: the default {TUPLE_SIZE} is more than the "
                   f"{summary['candidates']} candidates per article", err=True)
    print(json.dumps({"plan": str(out), **summary}))


@app.command()
def serve(
    directory: Path = typer.Argument(..., help="Plan folder written by `clsforge humaneval prepare`."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port of the annotation page."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: the whole network)."),
) -> None:
    """Serve the annotation page; answers are saved in DIR/answers.sqlite as each tuple is submitted."""
    from train.humaneval.server import serve_plan

    serve_plan(directory, host, port)


@app.command()
def score(
    directory: Path = typer.Argument(..., help="Plan folder holding answers.sqlite."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for table4.md and table4.csv (default: DIR)."),
    trials: int = typer.Option(100, "--trials", min=1, help="Random splits averaged by the split-half reliability."),
) -> None:
    """Table 4: best% - worst% per system and criterion, split-half reliability, annotator agreement."""
    from train.humaneval.score import write_scores

    paths = write_scores(directory, out, trials)
    print(Path(paths["markdown"]).read_text(encoding="utf-8"))
    print(json.dumps({k: paths[k] for k in ("markdown", "csv")}))
