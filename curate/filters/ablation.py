"""Filter ablation: which filter lists to compare, and the table of test ROUGE per list.

A variant is a name and a filter list. `--variants` takes `NAME=STEP,STEP;NAME=...` (each step with
the recipe's parameters for it when the recipe has that step, else its defaults; `NAME=` is no
filter at all) or a YAML file mapping names to filter lists. Without it, the variants are the
recipe's list and the list without each of its steps in turn ("leave one out").
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from curate.filters.spec import filter_steps, find_step

NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")  # a variant's folder name under WORKDIR/variants/


def default_variants(recipe_filter: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """`recipe` (the recipe's list) and `without-<step>` for each of its steps (`without-<step>-2` for
    the second entry of a step the list holds twice, so no entry's variant is lost)."""
    variants = {"recipe": list(recipe_filter)}
    names = [entry["step"] for entry in recipe_filter]
    for index, entry in enumerate(recipe_filter):
        step = entry["step"]
        nth = names[: index + 1].count(step)
        name = f"without-{step}" + (f"-{nth}" if names.count(step) > 1 else "")
        variants[name] = recipe_filter[:index] + recipe_filter[index + 1 :]
    return variants


def parse_variants(text: str | None, recipe_filter: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Variants from `--variants` (see the module docstring); ValueError (one line) for a bad one."""
    if not text:
        return default_variants(recipe_filter)
    path = Path(text)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise FileNotFoundError(2, "No such variants file", str(path))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not data:
            raise ValueError(f"{path}: a variants file maps names to filter lists ({{name: [{{step: ...}}]}})")
        return _distinct({str(name): _checked(str(name), steps) for name, steps in data.items()})
    variants: dict[str, list[dict[str, Any]]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, steps = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"--variants: {part!r} is not NAME=STEP,STEP (e.g. no-lid=near_duplicates,roundtrip_rouge)")
        if name in variants:
            raise ValueError(f"--variants: variant {name!r} is given twice")
        names = [step.strip() for step in steps.split(",")]
        if steps.strip() and not all(names):
            raise ValueError(f"--variants: variant {name} has an empty step between commas: {steps.strip()!r}")
        entries = [find_step(recipe_filter, step) or {"step": step} for step in names if step]
        variants[name] = _checked(name, entries)
    if not variants:
        raise ValueError("--variants: give at least one NAME=STEP,STEP")
    return _distinct(variants)


def _distinct(variants: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The variants, once each: two names for one filter list would train twice on the same data."""
    folded: dict[str, str] = {}
    for name in variants:  # each is a folder: "a" and "A" are one folder on macOS and Windows
        if name.casefold() in folded:
            raise ValueError(f"variants {folded[name.casefold()]} and {name} differ only in case: their folders would be one")
        folded[name.casefold()] = name
    seen: dict[str, str] = {}
    for name, steps in variants.items():
        key = json.dumps(steps, sort_keys=True)
        if key in seen:
            raise ValueError(f"variants {seen[key]} and {name} have the same filter list: they would train on the same data")
        seen[key] = name
    return variants


def _checked(name: str, steps: Any) -> list[dict[str, Any]]:
    """A variant's validated filter list; ValueError (one line) for a name that is not a plain folder
    name (each variant is written to WORKDIR/variants/NAME), a bad step or one step given twice alike."""
    if not NAME.fullmatch(name):
        raise ValueError(f"variant name {name!r} is not a folder name: use letters, digits, - and _")
    if steps is None:
        steps = []
    if not isinstance(steps, list):
        raise ValueError(f"variant {name}: a filter list, got {type(steps).__name__}")
    try:
        return filter_steps(steps)  # also refuses a step given twice alike
    except ValueError as exc:
        raise ValueError(f"variant {name}: {exc}") from None


def ablation_table(rows: list[dict[str, Any]], shared: dict[str, Any], backbone: str | None = None) -> str:
    """Markdown: one row per variant: its steps, records kept by the filter, drops per step, the
    train size, the test set size and test ROUGE-1/2/L (F x 100) of the trained model.

    Each row is `{"variant", "steps", "filters" (FilterResult.as_dict()), "train_size", "test" (metrics)}`;
    `shared` is the shared test and validation draw (curate.splits.shared_eval_split) every variant
    was scored on; `backbone` the model every variant was fine-tuned from.
    """
    lines = [
        "| variant | steps | pool in | kept by the filter | dropped, by step | method | train | test n | R-1 | R-2 | R-L |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        filters, test = row["filters"], row["test"]
        steps = ", ".join(entry["step"] for entry in row["steps"]) or "(none)"
        drops = ", ".join(f"{s['step']} {sum(s['dropped'].values())}" for s in filters["steps"]) or "-"
        scores = " | ".join(f"{test[key]:.2f}" for key in ("rouge1", "rouge2", "rougeL"))
        lines.append(
            f"| {row['variant']} | {steps} | {filters['input']} | {filters['kept']} | {drops} | {row['method']} | "
            f"{row['train_size']} | {test.get('n', '-')} | {scores} |"
        )
    lines += [
        "",
        f"Every variant is scored on the same {len(shared['test'])} test records (and selects its checkpoint on "
        f"the same {len(shared['validation'])} validation records), drawn with seed {shared['seed']} from the "
        f"{shared['common']} records that every variant's filter kept; each variant trains on its own kept "
        "records, less those and their repeats. Read small differences on a small test set as noise.",
    ]
    if backbone:
        lines.append(f"Every variant is fine-tuned from the same backbone: {backbone}.")
    return "\n".join(lines) + "\n"
