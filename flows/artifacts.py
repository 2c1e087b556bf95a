"""Artifacts shown in the Prefect UI: statistics, filter counts with the score plot, the card, Table 2.

Keys are versioned per key on the UI's Artifacts page, so each carries the dataset name.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

# Plots larger than this are linked by path instead of embedded (artifacts are stored in the server DB).
MAX_EMBEDDED_PLOT = 200_000


def artifact_key(*parts: str) -> str:
    """A valid artifact key (lower-case letters, digits, dashes) from `parts`."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")


def stats_artifact(name: str, stats: dict) -> None:
    """Table-1 statistics of a dataset, one row per split."""
    from curate.stats import stats_markdown

    create_markdown_artifact(
        key=artifact_key(name, "stats"), markdown=f"# {name}: statistics\n\n{stats_markdown(stats)}\n",
        description=f"Table-1 statistics of {name}",
    )


def crawl_artifact(name: str, crawled: list[dict]) -> None:
    """One row per crawled site: pages fetched, articles kept, and what was dropped, by reason."""
    rows = [
        {
            "site": site["site"],
            "articles": site["articles"],
            "pages fetched": site["stats"].get("pages_fetched"),
            "dropped": ", ".join(f"{reason} {n}" for reason, n in site["stats"].get("dropped", {}).items()) or "-",
            "finish reason": site["stats"].get("finish_reason"),
        }
        for site in crawled
    ]
    create_table_artifact(key=artifact_key(name, "crawl"), table=rows, description=f"Crawl of {name}, per site")


def filter_artifact(name: str, counts: list[dict], filtered: dict, plot_dir: Path | None) -> None:
    """Records kept at each stage and each filter step's drops by reason (a table), then the steps'
    counts, score distributions and plots (Markdown; plots embedded when small)."""
    from curate.filters.report import filters_markdown

    rows = counts + [
        {"stage": f"{step['step']}: dropped {reason}", "records": n}
        for step in filtered.get("steps", [])
        for reason, n in step["dropped"].items()
    ]
    create_table_artifact(key=artifact_key(name, "filter-counts"), table=rows, description=f"Records per stage of {name}")
    lines = [f"# {name}: filter steps", "", filters_markdown(filtered, plots=None)]
    for step in filtered.get("steps", []):
        plot = Path(plot_dir) / step["plot"] if plot_dir is not None and step.get("plot") else None
        if plot is None or not plot.exists():
            continue
        data = plot.read_bytes()
        if len(data) <= MAX_EMBEDDED_PLOT:
            lines.append(f"![{step['step']}](data:image/png;base64,{base64.b64encode(data).decode()})")
        else:
            lines.append(f"{step['step']} scores: `{plot}`")
    create_markdown_artifact(key=artifact_key(name, "filter"), markdown="\n".join(lines) + "\n")


def card_artifact(name: str, card: Path) -> None:
    """The dataset card (README.md) as written; its YAML header shown as a code block, not as Markdown."""
    text = Path(card).read_text(encoding="utf-8")
    if text.startswith("---\n"):
        header, _, body = text[4:].partition("\n---\n")
        text = f"```yaml\n{header}\n```\n\n{body}"
    create_markdown_artifact(key=artifact_key(name, "card"), markdown=text)


def table2_artifact(name: str, markdown: str) -> None:
    """The Table-2-style result (train.report's markdown): test ROUGE per method x train size."""
    create_markdown_artifact(key=artifact_key(name, "table-2"), markdown=markdown, description=f"Fine-tuning results on {name}")

