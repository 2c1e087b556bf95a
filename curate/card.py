"""The dataset card (README.md): Hub YAML header plus statistics and construction details.

The YAML `configs:` section declares one config per train size (`n1000`, `n3000`, `n5000`, only
for the train files that exist), each mapping `train` to its file and `validation` / `test` to the
shared files, so `datasets.load_dataset(DIR_or_repo, "n1000")` works locally and on the Hub.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from curate.dataset import split_path, train_sizes_of
from curate.io import write_text_atomic
from curate.languages import get_language
from curate.stats import compute_stats, stats_markdown

NCLS_TERMS = (
    "This dataset is sampled from NCLS (Zhu et al., EMNLP 2019, https://github.com/ZNLP/NCLS-Corpora). "
    "The NCLS authors hold the copyright of that data and release it for research purposes only; "
    "display, reproduction, transmission, distribution or publication of it is prohibited. "
    "Do not publish this dataset publicly without the NCLS authors' permission; keep any Hub copy private."
)
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))


def write_card(directory: Path, build_info: dict[str, Any]) -> Path:
    """Write `directory/README.md` from the splits, `stats.json` and `build_info`; return its path.

    `build_info` keys (all optional): `pretty_name`, `license` (default `other`), `recipe`,
    `source`, `translator`, `filter` (`{"key", "cutoff", "min_scores", "dropped"}`), `seed`,
    `plot` (a PNG inside `directory`, relative to it; a PNG elsewhere is copied in), `ncls`
    (True adds the NCLS terms), `notes`, `repo_id`.
    """
    directory = Path(directory)
    build_info = {**build_info, "plot": _place_plot(directory, build_info.get("plot"))}
    stats_file = directory / "stats.json"
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else compute_stats(directory)
    header = card_header(directory, stats, build_info)
    body = card_body(stats, build_info, directory)
    path = directory / "README.md"
    write_text_atomic(path, "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True) + "---\n\n" + body)
    return path


def _place_plot(directory: Path, plot: str | Path | None) -> str | None:
    """The plot's path relative to `directory`, copying it in when it lies elsewhere."""
    if not plot:
        return None
    plot = Path(plot)
    if not plot.is_absolute() and (directory / plot).is_file():
        return plot.as_posix()
    if not plot.is_file():
        raise FileNotFoundError(f"no score plot at {plot}")
    inside = directory / plot.name
    if plot.resolve() != inside.resolve():
        shutil.copyfile(plot, inside)
    return plot.name


def card_header(directory: Path, stats: dict[str, Any], build_info: dict[str, Any]) -> dict[str, Any]:
    """The card's YAML metadata: name, languages, license, task, size category and configs."""
    sizes = train_sizes_of(directory)
    if not sizes:
        raise FileNotFoundError(f"no data/train_<N>.parquet in {directory}: write the splits first")
    total = sum(split["records"] for name, split in stats["splits"].items() if not name.startswith("train_"))
    total += stats["splits"].get(f"train_{max(sizes)}", {}).get("records", 0)
    header: dict[str, Any] = {
        "pretty_name": build_info.get("pretty_name", directory.name),
        "language": [stats["source_lang"], stats["target_lang"]],
        "license": build_info.get("license", "other"),
        "multilinguality": ["translation"],
        "task_categories": ["summarization", "translation"],
        "size_categories": [next((label for bound, label in SIZE_CATEGORIES if total < bound), "n>1M")],
        "configs": [
            {
                "config_name": f"n{size}",
                "data_files": [
                    {"split": name, "path": split_path(Path("."), split).as_posix()}
                    for name, split in (("train", f"train_{size}"), ("validation", "validation"), ("test", "test"))
                ],
                **({"default": True} if size == max(sizes) else {}),
            }
            for size in sizes
        ],
    }
    if header["license"] == "other" and build_info.get("license_name"):
        header["license_name"] = build_info["license_name"]
    return header


def card_body(stats: dict[str, Any], build_info: dict[str, Any], directory: Path) -> str:
    """The card's Markdown body: description, statistics table, construction details, terms."""
    source, target = get_language(stats["source_lang"]), get_language(stats["target_lang"])
    name = build_info.get("pretty_name", directory.name)
    sizes = train_sizes_of(directory)
    parts = [
        f"# {name}\n",
        f"A low-resource cross-lingual summarization dataset: {source.name} news articles (`source_text`) "
        f"with {source.name} summaries (`source_summary`) and {target.name} summaries (`target_summary`). "
        "Built with clsforge.\n",
        "## Use\n",
        "```python\nfrom datasets import load_dataset\n\n"
        f'ds = load_dataset("{build_info.get("repo_id", "<this directory or repo id>")}", "n{min(sizes)}")\n```\n',
        "Configs " + ", ".join(f"`n{s}`" for s in sizes) + " differ only in the train split: "
        "each smaller train split is a subset of the larger ones; validation and test are shared. "
        "No record appears in two of train, validation and test (checked by id and by normalized text).\n",
        "## Statistics\n",
        "Mean length per split (words for space-delimited languages, characters for Chinese).\n",
        stats_markdown(stats) + "\n",
        "## Construction\n",
        _construction(build_info),
    ]
    if build_info.get("plot"):
        parts.append(f"![Round-trip score distribution with the cut-off]({build_info['plot']})\n")
    if build_info.get("ncls"):
        parts += ["## Terms of the NCLS data\n", NCLS_TERMS + "\n"]
    return "\n".join(parts)


def _construction(build_info: dict[str, Any]) -> str:
    lines = []
    for label, key in (("Recipe", "recipe"), ("Source", "source"), ("Translator", "translator"), ("Seed", "seed")):
        if build_info.get(key) is not None:
            lines.append(f"- {label}: {build_info[key]}")
    selection = build_info.get("filter")
    if selection:
        lines.append(
            f"- Round-trip filter: ranked by `{selection.get('key')}` (ROUGE F x 100 between each source summary "
            f"and its back-translation), cut-off {selection.get('cutoff')}"
            + (f", minimum scores {selection['min_scores']}" if selection.get("min_scores") else "")
        )
        if selection.get("dropped"):
            lines.append(f"- Dropped before the split, by reason: {json.dumps(selection['dropped'])}")
    if build_info.get("filters"):
        from curate.filters.report import filters_markdown

        lines.append("\n" + filters_markdown(build_info["filters"]))
    if build_info.get("leakage"):
        from curate.filters.leakage import leakage_markdown

        lines.append(leakage_markdown(build_info["leakage"]))
    if build_info.get("skipped"):
        lines.append(f"- Skipped records, by reason: {json.dumps(build_info['skipped'])}")
    if build_info.get("notes"):
        lines.append(f"- {build_info['notes']}")
    return "\n".join(lines or ["- (no build details recorded)"]) + "\n"
