"""`write_report`: many runs' metrics.json gathered into the paper's Table 2 (markdown + CSV).

Rows are methods (with the Stage-2 loss scheme when it is not the default), columns are train sizes
x ROUGE-1/2/L of the test set; the best value of each column is marked in bold in the markdown and
with `*` in the CSV. Runs of several language pairs give one table per pair, one after the other.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from curate.io import write_text_atomic
from train.config import TrainConfig

DEFAULT_R = TrainConfig.__dataclass_fields__["r"].default
ROUGE_COLUMNS = (("rouge1", "R-1"), ("rouge2", "R-2"), ("rougeL", "R-L"))
METHOD_ORDER = ("mbart-cls", "no-stage1", "no-mono", "tflcls")
METHOD_LABELS = {
    "mbart-cls": "mBART-CLS (w/o TraMul)",
    "no-stage1": "TFLCLS w/o Tra",
    "no-mono": "TFLCLS w/o Mul",
    "tflcls": "TFLCLS",
}


def load_run(run_dir: Path) -> dict[str, Any]:
    """The metrics.json of one run folder; a folder without one is an error naming it."""
    path = Path(run_dir) / "metrics.json"
    if not path.is_file():
        raise FileNotFoundError(f"no metrics.json in {run_dir} (is the run finished?)")
    return json.loads(path.read_text(encoding="utf-8"))


def row_label(metrics: dict[str, Any]) -> str:
    """`TFLCLS`, `TFLCLS (loss sum)` for a non-default Stage-2 scheme, `TFLCLS (r 1.5)` for eq. 3.5 with r != 2.

    Runs that differ in scheme or r get their own rows: averaging them as if they were seeds would be wrong.
    """
    label = METHOD_LABELS.get(metrics["method"], metrics["method"])
    if metrics.get("loss") not in (None, "tflcls"):
        label += f" (loss {metrics['loss']})"
    elif metrics.get("loss") == "tflcls" and metrics.get("r", DEFAULT_R) != DEFAULT_R:
        label += f" (r {metrics['r']:g})"
    return label


def build_table(runs: list[dict[str, Any]]) -> tuple[list[str], list[int], dict[str, dict[int, dict[str, float]]]]:
    """Row labels, train sizes, and cell values {row: {size: {rouge key: mean over seeds}}}."""
    cells: dict[str, dict[int, dict[str, list[float]]]] = {}
    order: dict[str, tuple[int, str]] = {}
    for run in runs:
        label = row_label(run)
        rank = METHOD_ORDER.index(run["method"]) if run["method"] in METHOD_ORDER else len(METHOD_ORDER)
        order[label] = (rank, label)
        cell = cells.setdefault(label, {}).setdefault(int(run["train_size"]), {})
        for key, _ in ROUGE_COLUMNS:
            cell.setdefault(key, []).append(float(run["test"][key]))
    rows = sorted(cells, key=lambda label: order[label])
    sizes = sorted({size for row in cells.values() for size in row})
    means = {
        row: {size: {k: sum(v) / len(v) for k, v in cell.items()} for size, cell in cells[row].items()} for row in rows
    }
    return rows, sizes, means


def render(runs: list[dict[str, Any]]) -> tuple[str, list[list[str]]]:
    """Markdown table and CSV rows of one language pair's runs, best per column marked."""
    rows, sizes, means = build_table(runs)
    best = {
        (size, key): max((means[row][size][key] for row in rows if size in means[row]), default=None)
        for size in sizes
        for key, _ in ROUGE_COLUMNS
    }
    header = ["Method"] + [f"{size} {name}" for size in sizes for _, name in ROUGE_COLUMNS]
    md_rows, csv_rows = [], []
    for row in rows:
        md, flat = [row], [row]
        for size in sizes:
            for key, _ in ROUGE_COLUMNS:
                value = means[row].get(size, {}).get(key)
                if value is None:
                    md.append("-")
                    flat.append("")
                    continue
                is_best = value == best[(size, key)]
                md.append(f"**{value:.3f}**" if is_best else f"{value:.3f}")
                flat.append(f"{value:.3f}*" if is_best else f"{value:.3f}")
        md_rows.append(md)
        csv_rows.append(flat)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in md_rows]
    return "\n".join(lines), [header, *csv_rows]


def write_report(run_dirs: list[Path], out_dir: Path) -> dict[str, str]:
    """Write `table2.md` and `table2.csv` to `out_dir`; return their paths as `{"markdown", "csv"}`."""
    if not run_dirs:
        raise ValueError("no run folders given")
    runs = [load_run(run_dir) for run_dir in run_dirs]
    pairs: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        pairs.setdefault(f"{run.get('source_lang', '?')}2{run.get('target_lang', '?')}", []).append(run)
    markdown, buffer = [], io.StringIO()
    writer = csv.writer(buffer)
    for pair, pair_runs in sorted(pairs.items()):
        table, csv_rows = render(pair_runs)
        markdown.append(f"## {pair}: test ROUGE F x 100 (best per column in bold)\n\n{table}\n")
        writer.writerows([["pair"] + csv_rows[0]] + [[pair] + r for r in csv_rows[1:]])
    out_dir = Path(out_dir)
    paths = {"markdown": out_dir / "table2.md", "csv": out_dir / "table2.csv"}
    write_text_atomic(paths["markdown"], "\n".join(markdown))
    write_text_atomic(paths["csv"], buffer.getvalue())
    return {key: str(path) for key, path in paths.items()}
