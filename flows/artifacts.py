"""Artifacts shown in the Prefect UI: statistics, filter counts with the score plot, the card, Tables 2 and 4.

Keys are versioned per key on the UI's Artifacts page, so each carries the dataset name.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import TYPE_CHECKING

from prefect.artifacts import create_markdown_artifact, create_table_artifact

if TYPE_CHECKING:
    from curate.filters.chain import FilterResult

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
    """One row per crawled site: pages fetched, articles kept, what was dropped, by reason, and the
    layout-drift alarm (the fields the site's layouts supplied too rarely, with their share)."""
    rows = [
        {
            "site": site["site"],
            "articles": site["articles"],
            "pages fetched": site["stats"].get("pages_fetched"),
            "dropped": ", ".join(f"{reason} {n}" for reason, n in site["stats"].get("dropped", {}).items()) or "-",
            "layout drift": ", ".join(
                f"{field} {share:.0%}" for field, share in site["stats"].get("layout_drift", {}).items()
            ) or "-",
            "finish reason": site["stats"].get("finish_reason"),
        }
        for site in crawled
    ]
    create_table_artifact(key=artifact_key(name, "crawl"), table=rows, description=f"Crawl of {name}, per site")


def filter_artifact(name: str, counts: list[dict], filtered: FilterResult, plot_dir: Path | None) -> None:
    """Records kept at each stage and each filter step's drops by reason (a table), then the steps'
    counts, score distributions and plots (Markdown; plots embedded when small)."""
    from curate.filters.report import filters_markdown

    rows = counts + [
        {"stage": f"{step.step}: dropped {reason}", "records": n}
        for step in filtered.steps
        for reason, n in step.dropped.items()
    ]
    create_table_artifact(key=artifact_key(name, "filter-counts"), table=rows, description=f"Records per stage of {name}")
    lines = [f"# {name}: filter steps", "", filters_markdown(filtered.as_dict(), plots=None)]
    for step in filtered.steps:
        plot = Path(plot_dir) / step.plot if plot_dir is not None and step.plot else None
        if plot is None or not plot.exists():
            continue
        data = plot.read_bytes()
        if len(data) <= MAX_EMBEDDED_PLOT:
            lines.append(f"![{step.step}](data:image/png;base64,{base64.b64encode(data).decode()})")
        else:
            lines.append(f"{step.step} scores: `{plot}`")
    create_markdown_artifact(key=artifact_key(name, "filter"), markdown="\n".join(lines) + "\n")


def _image(alt: str, path: Path) -> str:
    """A Markdown image the UI can show: the PNG inline as a data URI (the UI cannot read local files), or
    its path when it is too large to store in the server's database."""
    data = path.read_bytes()
    if len(data) <= MAX_EMBEDDED_PLOT:
        return f"![{alt}](data:image/png;base64,{base64.b64encode(data).decode()})"
    return f"{alt}: `{path}`"


def card_artifact(name: str, card: Path) -> None:
    """The dataset card (README.md) as written; its YAML header shown as a code block, not as Markdown, and
    its images (relative to the card) inlined, so the UI shows them."""
    card = Path(card)
    text = card.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        header, _, body = text[4:].partition("\n---\n")
        text = f"```yaml\n{header}\n```\n\n{body}"

    def inline(match: re.Match) -> str:
        path = card.parent / match.group(2)
        return _image(match.group(1), path) if path.is_file() else match.group(0)

    text = re.sub(r"!\[([^\]]*)\]\(([^):]+\.png)\)", inline, text)
    create_markdown_artifact(key=artifact_key(name, "card"), markdown=text, description=f"Dataset card of {name}")


# The caveat the demo prints under its table, carried into the UI when the model is the tiny one.
TINY_CAVEAT = "(a tiny random model trained for a few steps: the numbers show the plumbing, not the method)"


def table2_artifact(name: str, markdown: str, tiny: bool = False) -> None:
    """The Table-2-style result (train.report's markdown): test ROUGE per method x train size; `tiny`: the
    model was the tiny random one, and the artifact says so under the table."""
    markdown = markdown.rstrip("\n") + (f"\n\n{TINY_CAVEAT}\n" if tiny else "\n")
    create_markdown_artifact(key=artifact_key(name, "table-2"), markdown=markdown, description=f"Fine-tuning results on {name}")


def summary_artifact(name: str, result: dict, ui_keys: list[str]) -> str:
    """The lifecycle run's own artifact: where the outputs are on disk, links to the artifacts its subflows
    made (`ui_keys`), and Table 2; return its Markdown."""
    build, finetune = result["build"], result.get("finetune") or {}
    lines = [f"# {name}: lifecycle summary", "", "## Outputs on disk", ""]
    lines += [f"- {label}: `{build[key]}`" for label, key in (("dataset", "dataset"), ("dataset card", "card")) if key in build]
    if finetune.get("runs"):
        lines.append(f"- training runs: `{Path(finetune['runs'][0]).parent}`")
        lines += [f"- report ({kind}): `{path}`" for kind, path in finetune.get("report", {}).items()]
    if build.get("counts"):
        lines += ["", "## Records per stage", ""]
        lines += [f"- {count['stage']}: {count['records']}" for count in build["counts"]]
    lines += [f"- **Warning:** {warning}" for warning in build.get("warnings") or []]
    lines += ["", "## Artifacts of the subflows", ""]
    lines += [f"- [{key}](/artifacts/key/{key})" for key in ui_keys]
    if finetune.get("table"):
        lines += ["", "## Table 2", "", finetune["table"].strip()]
        if finetune.get("tiny"):
            lines += ["", TINY_CAVEAT]
    markdown = "\n".join(lines) + "\n"
    create_markdown_artifact(
        key=artifact_key(name, "summary"), markdown=markdown, description=f"What the lifecycle of {name} made, and where"
    )
    return markdown


def _rounded(value: float | None) -> str:
    return "none" if value is None else f"{value:.2f}"


def table4_artifact(name: str, markdown: str) -> None:
    """The Table-4 human evaluation (train.humaneval.score's markdown): best% - worst% per system and criterion."""
    create_markdown_artifact(key=artifact_key(name, "table-4"), markdown=markdown, description=f"Human evaluation of {name}")
