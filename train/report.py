"""`write_report`: many runs' metrics.json gathered into the paper's Table 2 (markdown + CSV).

Rows are setups, columns are train sizes x ROUGE-1/2/L of the test set. A cell averages only runs
that are the same setup in everything but the seed: the same options (`metrics.json` `options`),
backbone weights, dataset content and library versions; it shows the mean, the sample standard
deviation and the number of seeds. Setups that differ in anything else get their own row, labelled
with what differs (`TFLCLS (loss sum)`, `TFLCLS (lr 0.001)`). Runs of several language pairs give
one table per pair. Refused, each with a one-line reason: two datasets of one language pair (report
them separately), one setup run twice with the same seed, and a metrics.json without the run's
identity (written by an older clsforge), a folder that does not exist, a metrics.json that is
not valid JSON, and one with a missing or bad field (a score that is NaN, null or outside 0..100, no
`test`, no `options.seed`, no `dataset.fingerprint`: `train.metrics_file`), each naming the file.
Seeds and options are compared at the types `clsforge train` writes (a seed "0" is the seed 0). A
folder given twice counts once; a folder without metrics.json (an unfinished run) or whose
metrics.json scored no test example (`test.n` 0) is skipped and named.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.io import check_output_folder, write_text_atomic
from train.config import TrainConfig
from train.files import read_json_object
from train.metrics_file import check_metrics
from train.registry import METHODS, table_order

ROUGE_COLUMNS = (("rouge1", "R-1"), ("rouge2", "R-2"), ("rougeL", "R-L"))
# Options that say where or how a run was done, not what it is (the dataset and the backbone count
# by content, below, not by path).
NOT_SETUP = ("out", "device", "overwrite", "data", "model", "seed", "train_size")
# Options that only matter to some methods: the two-decoder stage's, and the w/o-Mul ablation's.
STAGE2_ONLY = ("loss", "r", "c_lr")
NO_MONO_ONLY = ("no_mono_settings",)
# Shown in a row's label whenever not at their default, even if every row agrees (they change the method).
ALWAYS_LABELLED = (*STAGE2_ONLY, *NO_MONO_ONLY)
DEFAULTS = {name: f.default for name, f in TrainConfig.__dataclass_fields__.items()}


@dataclass
class Run:
    """One finished run: its folder, metrics.json, and its setup (everything but seed and train size)."""

    folder: Path
    metrics: dict[str, Any]
    setup: dict[str, Any] = field(default_factory=dict)


def check_run_folder(run_dir: Path) -> None:
    """Refuse a run folder that does not exist or is a file (a typo is not an unfinished run).

    Raises:
        FileNotFoundError: no such folder; NotADirectoryError: a file.
    """
    if not Path(run_dir).exists():
        raise FileNotFoundError(f"no such run folder: {run_dir}")
    if not Path(run_dir).is_dir():
        raise NotADirectoryError(f"{run_dir} is not a folder")


def load_run(run_dir: Path) -> dict[str, Any]:
    """The metrics.json of one run folder, which must hold a JSON object with the run's `method`.

    Raises:
        FileNotFoundError / NotADirectoryError: no such folder, or a file (`check_run_folder`);
            FileNotFoundError: no metrics.json. ValueError: a metrics.json that is not valid JSON,
            not an object, or without `method` (each names the file).
    """
    check_run_folder(run_dir)
    path = Path(run_dir) / "metrics.json"
    if not path.is_file():
        raise FileNotFoundError(f"no metrics.json in {run_dir} (is the run finished?)")
    metrics = read_json_object(path)
    if "method" not in metrics:
        raise ValueError(f"{path} does not name the run's method: not a `clsforge train` metrics.json")
    return metrics


def check_identity_recorded(folder: Path, metrics: dict[str, Any]) -> None:
    """Refuse a metrics.json an older clsforge wrote (without the run's options and dataset)."""
    if "options" not in metrics or "dataset" not in metrics:
        raise ValueError(f"{folder}: metrics.json does not record the run's options and dataset (an older "
                         "clsforge wrote it): rerun it before reporting")


def run_setup(folder: Path, metrics: dict[str, Any]) -> dict[str, Any]:
    """Everything that must agree for two runs to be seeds of one setup, flat: options, weights, versions."""
    check_identity_recorded(folder, metrics)
    options = {k: v for k, v in metrics["options"].items() if k not in NOT_SETUP}
    method = METHODS.get(metrics["method"])
    if method is None or "stage2" not in method.phases:
        options = {k: v for k, v in options.items() if k not in STAGE2_ONLY}
    if method is None or not method.takes_no_mono_settings:
        options = {k: v for k, v in options.items() if k not in NO_MONO_ONLY}
    backbone = metrics.get("backbone") or {"name": metrics.get("model"), "fingerprint": None}
    versions = {f"version {name}": value for name, value in metrics.get("versions", {}).items()}
    return {**options, "backbone": backbone["fingerprint"] or backbone["name"], **versions}


def gather(run_dirs: list[Path]) -> tuple[list[Run], list[str]]:
    """The finished runs (each folder once, in the order given) and the folders skipped, with why.

    Each metrics.json is checked (`check_metrics`: a damaged one is refused, naming the file and field);
    a run without metrics.json (unfinished), whose test set scored no example (`test.n` 0) or whose
    dataset's splits share records (`split_overlaps`: its test score is on training records) is skipped.
    """
    runs, skipped, seen = [], [], set()
    for folder in map(Path, run_dirs):
        key = folder.resolve()
        if key in seen:
            continue
        seen.add(key)
        check_run_folder(folder)
        if not (folder / "metrics.json").is_file():
            skipped.append(f"{folder} (no metrics.json: unfinished?)")
            continue
        metrics = load_run(folder)
        check_identity_recorded(folder, metrics)  # an older clsforge's file is refused as such, first
        overlaps = metrics.get("split_overlaps") or []
        metrics = check_metrics(folder / "metrics.json", metrics)
        if metrics["test"]["n"] == 0:  # its ROUGE 0/0/0 are no scores: not a seed to average
            skipped.append(f"{folder / 'metrics.json'} (test.n is 0: no test example was scored)")
            continue
        if overlaps:  # scored on records it trained on: no test score
            skipped.append(f"{folder / 'metrics.json'} (its dataset's splits overlap: {'; '.join(overlaps)})")
            continue
        runs.append(Run(folder, metrics, run_setup(folder, metrics)))
    return runs, skipped


def setup_key(run: Run) -> str:
    """A hashable form of a run's setup."""
    return json.dumps(run.setup, sort_keys=True)


def check_one_dataset(runs: list[Run]) -> None:
    """Refuse a table of one language pair that mixes datasets (validation/test files differ)."""
    first = runs[0]
    for run in runs[1:]:
        if run.metrics["dataset"]["fingerprint"] != first.metrics["dataset"]["fingerprint"]:
            raise ValueError(f"{first.folder} and {run.folder} use different datasets (their validation/test files "
                             "differ): report them separately")


def check_cell(runs: list[Run]) -> None:
    """Refuse one setup run twice with a seed, or on two different train files of the same size."""
    seeds: dict[Any, Run] = {}
    for run in runs:
        seed = run.metrics["options"]["seed"]
        if seed in seeds:
            raise ValueError(f"{seeds[seed].folder} and {run.folder} are the same setup with the same seed ({seed}): "
                             "give each seed once")
        seeds[seed] = run
        if run.metrics["dataset"]["train_fingerprint"] != runs[0].metrics["dataset"]["train_fingerprint"]:
            raise ValueError(f"{runs[0].folder} and {run.folder} are the same setup and train size on different "
                             "train files: report them separately")


def describe(key: str, value: Any, run: Run) -> str:
    """How a setup detail reads in a row label (`loss sum`, `lr 0.001`, `model NAME abcd1234`)."""
    if key == "backbone":
        name = run.metrics.get("backbone", {}).get("name") or run.metrics.get("model")
        fingerprint = run.metrics.get("backbone", {}).get("fingerprint")
        return f"model {name}" + (f" {fingerprint[:8]}" if fingerprint else "")
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{key.replace('_', '-')} {value}"


def row_labels(rows: dict[str, list[Run]]) -> dict[str, str]:
    """The method's label, plus every setup detail that differs between the rows (non-default values)."""
    setups = [runs[0].setup for runs in rows.values()]
    varying = {k for s in setups for k in s if len({json.dumps(x.get(k)) for x in setups}) > 1} - {"method"}
    varying = sorted(varying | set(ALWAYS_LABELLED))
    labels = {}
    for key, runs in rows.items():
        run = runs[0]
        parts = [describe(k, run.setup[k], run) for k in varying
                 if k in run.setup and (k not in DEFAULTS or run.setup[k] != DEFAULTS[k])]
        method = METHODS.get(run.metrics["method"])  # a run of a method no longer registered: its name
        label = method.label if method else run.metrics["method"]
        labels[key] = label + (f" ({', '.join(parts)})" if parts else "")
    return labels


def run_labels(run_dirs: list[Path]) -> list[str | None]:
    """Each run's Table-2 row label (`TFLCLS`, `TFLCLS (lr 0.001)`), with the setup details that tell
    the given runs apart; None for a folder without metrics.json. A metrics.json without the run's
    identity (older clsforge) is labelled by its method alone."""
    runs: list[Run | None] = []
    for folder in map(Path, run_dirs):
        check_run_folder(folder)
        if not (folder / "metrics.json").is_file():
            runs.append(None)
            continue
        metrics = load_run(folder)
        try:
            setup = run_setup(folder, metrics)
        except ValueError:
            setup = {"method": metrics["method"]}
        runs.append(Run(folder, metrics, setup))
    labels = row_labels({str(index): [run] for index, run in enumerate(runs) if run is not None})
    return [labels[str(index)] if run is not None else None for index, run in enumerate(runs)]


def build_table(runs: list[Run]) -> tuple[list[str], list[int], dict[str, dict[int, list[Run]]]]:
    """Row labels (in the method registry's Table-2 order), train sizes, and the runs of each cell."""
    rows: dict[str, list[Run]] = {}
    for run in runs:
        rows.setdefault(setup_key(run), []).append(run)
    labels = row_labels(rows)
    if len(set(labels.values())) < len(labels):  # differ only in a detail that is at its default on both: say so
        labels = {key: f"{label} [{i + 1}]" for i, (key, label) in enumerate(labels.items())}
    cells: dict[str, dict[int, list[Run]]] = {}
    for key, row_runs in rows.items():
        for run in row_runs:
            cells.setdefault(labels[key], {}).setdefault(int(run.metrics["train_size"]), []).append(run)

    rank = {method.name: index for index, method in enumerate(table_order())}

    def order(label: str) -> tuple[int, str]:
        method = next(iter(cells[label].values()))[0].metrics["method"]
        return (rank.get(method, len(rank)), label)

    for row in cells.values():
        for cell in row.values():
            check_cell(cell)
    sizes = sorted({size for row in cells.values() for size in row})
    return sorted(cells, key=order), sizes, cells


def summarize(cell: list[Run]) -> dict[str, tuple[float, float | None]]:
    """{rouge key: (mean, sample std or None for one seed)} of a cell's runs."""
    out = {}
    for key, _ in ROUGE_COLUMNS:
        values = [float(run.metrics["test"][key]) for run in cell]
        out[key] = (statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else None)
    return out


def render(runs: list[Run]) -> tuple[str, list[list[str]]]:
    """Markdown table and CSV rows of one language pair's runs, best mean per column marked."""
    rows, sizes, cells = build_table(runs)
    stats = {row: {size: summarize(cell) for size, cell in cells[row].items()} for row in rows}
    best = {
        (size, key): max((stats[row][size][key][0] for row in rows if size in stats[row]), default=None)
        for size in sizes
        for key, _ in ROUGE_COLUMNS
    }
    header = ["Method"] + [f"{size} {name}" for size in sizes for name in (*(n for _, n in ROUGE_COLUMNS), "seeds")]
    csv_header = ["Method"] + [
        f"{size} {name}" for size in sizes
        for name in (*(n for _, n in ROUGE_COLUMNS), *(f"{n} std" for _, n in ROUGE_COLUMNS), "seeds")
    ]
    md_rows, csv_rows = [], []
    for row in rows:
        md, flat = [row], [row]
        for size in sizes:
            cell = stats[row].get(size)
            if cell is None:
                md += ["-"] * (len(ROUGE_COLUMNS) + 1)
                flat += [""] * (2 * len(ROUGE_COLUMNS) + 1)
                continue
            for key, _ in ROUGE_COLUMNS:
                mean, std = cell[key]
                mark = mean == best[(size, key)]
                spread = f" ± {std:.3f}" if std is not None else ""
                md.append((f"**{mean:.3f}**" if mark else f"{mean:.3f}") + spread)
                flat.append(f"{mean:.3f}*" if mark else f"{mean:.3f}")
            flat += ["" if cell[key][1] is None else f"{cell[key][1]:.3f}" for key, _ in ROUGE_COLUMNS]
            seeds = str(len(cells[row][size]))
            md.append(seeds)
            flat.append(seeds)
        md_rows.append(md)
        csv_rows.append(flat)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md) + " |" for md in md_rows]
    return "\n".join(lines), [csv_header, *csv_rows]


def write_report(run_dirs: list[Path], out_dir: Path) -> dict[str, Any]:
    """Write `table2.md` and `table2.csv` to `out_dir`.

    Returns `{"markdown": path, "csv": path, "runs": n reported, "skipped": ["FOLDER (why)", ...]}`.
    Raises (one line each): ValueError for the refusals above, an `out_dir` that is a file, or a
    metrics.json that is not valid JSON; FileNotFoundError when a folder does not exist or none holds
    a finished run; NotADirectoryError for a run "folder" that is a file.
    """
    if not run_dirs:
        raise ValueError("no run folders given")
    check_output_folder(out_dir)
    runs, skipped = gather(run_dirs)
    if not runs:
        raise FileNotFoundError(f"no finished run among the folders given (skipped: {'; '.join(skipped)})")
    pairs: dict[str, list[Run]] = {}
    for run in runs:
        pairs.setdefault(f"{run.metrics['source_lang']}2{run.metrics['target_lang']}", []).append(run)
    markdown, buffer = [], io.StringIO()
    writer = csv.writer(buffer)
    for pair, pair_runs in sorted(pairs.items()):
        check_one_dataset(pair_runs)
        table, csv_rows = render(pair_runs)
        dataset = pair_runs[0].metrics["dataset"]["fingerprint"][:8]
        markdown.append(f"## {pair} (dataset {dataset}): test ROUGE F x 100, mean ± std over seeds "
                        f"(best mean per column in bold)\n\n{table}\n")
        writer.writerows([["pair", "dataset"] + csv_rows[0]] + [[pair, dataset] + r for r in csv_rows[1:]])
    if skipped:
        markdown.append("Skipped: " + "; ".join(skipped) + "\n")
    out_dir = Path(out_dir)
    paths = {"markdown": out_dir / "table2.md", "csv": out_dir / "table2.csv"}
    write_text_atomic(paths["markdown"], "\n".join(markdown))
    write_text_atomic(paths["csv"], buffer.getvalue())
    return {**{key: str(path) for key, path in paths.items()}, "runs": len(runs), "skipped": skipped}
