"""Markdown of a filter run (FilterResult.as_dict()): per-step counts, reasons, scores and plots,
for the dataset card and the Prefect artifact."""

from __future__ import annotations

from typing import Any


def filters_markdown(result: dict[str, Any], plots: str | None = "") -> str:
    """A table of steps (records in, kept, dropped by reason), one of score distributions, then the plots.

    `plots`: prefix of the plot file names (the card: "" = beside the card); None leaves plots out.
    """
    lines = [
        f"Filter steps, in order ({result['input']} records in, {result['kept']} kept):",
        "",
        "| # | step | parameters | in | kept | dropped, by reason |",
        "|---|---|---|---|---|---|",
    ]
    for number, step in enumerate(result["steps"], 1):
        params = ", ".join(f"{k}={_shown(v)}" for k, v in step["params"].items() if v is not None and k != "workers")
        reasons = ", ".join(f"{reason} {n}" for reason, n in step["dropped"].items()) or "-"
        lines.append(f"| {number} | `{step['step']}` | {params or '-'} | {step['input']} | {step['kept']} | {reasons} |")
    rows = [
        f"| `{step['step']}` | `{column}` | {s['count']} | {_num(s['mean'])} | {_num(s['min'])} | {_num(s['p10'])} | "
        f"{_num(s['p50'])} | {_num(s['p90'])} | {_num(s['max'])} | {_num(step.get('cutoff'))} |"
        for step in result["steps"]
        for column, s in step["scores"].items()
    ]
    if rows:
        lines += [
            "",
            "Score distributions over each step's input (the steps' score columns are also columns of the data files):",
            "",
            "| step | score | records | mean | min | p10 | median | p90 | max | cut-off |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    if plots is not None:
        lines += [""] + [f"![{s['step']}]({plots}{s['plot']})" for s in result["steps"] if s.get("plot")]
    return "\n".join(lines) + "\n"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _shown(value: object) -> object:
    """A parameter as a published card shows it: a local folder (an absolute path: a LaBSE copy on the
    build machine) by its name only, `local folder labse`, never the machine's path."""
    if isinstance(value, str) and value.startswith("/"):
        return f"local folder {value.rstrip('/').rsplit('/', 1)[-1]}"
    return value
