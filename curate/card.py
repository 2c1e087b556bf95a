"""The dataset card (README.md): Hub YAML header plus statistics and construction details.

The YAML `configs:` section declares one config per train size (`n1000`, `n3000`, `n5000`, only
for the train files that exist), each mapping `train` to its file and `validation` / `test` to the
shared files, so `datasets.load_dataset(DIR_or_repo, "n1000")` works locally and on the Hub.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from curate.dataset import split_path, train_sizes_of
from curate.io import write_text_atomic
from curate.languages import get_language
from curate.stats import compute_stats, stats_markdown

if TYPE_CHECKING:
    from curate.translate.spec import TranslatorSpec

NCLS_TERMS = (
    "This dataset is sampled from NCLS (Zhu et al., EMNLP 2019, https://github.com/ZNLP/NCLS-Corpora). "
    "The NCLS authors hold the copyright of that data and release it for research purposes only; "
    "display, reproduction, transmission, distribution or publication of it is prohibited. "
    "Do not publish this dataset publicly without the NCLS authors' permission; keep any Hub copy private."
)
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))
# What each column of the dataset records holds (DESIGN.md, "Dataset record"); the card lists the ones present.
COLUMNS = {
    "id": "stable id of the article (a hash of its canonical URL, or the source corpus's id)",
    "source_lang": "language code of the article and of `source_summary`",
    "target_lang": "language code of `target_summary`",
    "source_text": "the article body, without its lead summary, bylines and photo captions",
    "source_summary": "the article's lead summary (sapo) as its publisher wrote it",
    "target_summary": "the summary in the target language (the reference for cross-lingual summarization)",
    "url": "the article's address",
    "rt_rouge1": "ROUGE-1 F x 100 between `source_summary` and its back-translation (round-trip score)",
    "rt_rouge2": "ROUGE-2 F x 100 between `source_summary` and its back-translation (round-trip score)",
    "rt_rougeL": "ROUGE-L F x 100 between `source_summary` and its back-translation (round-trip score)",
}
CITATION = """\
@article{zhang2024tflcls,
  title   = {A two-stage fine-tuning method for low-resource cross-lingual summarization},
  author  = {Zhang and Zhang and Yu and Huang and Tan},
  journal = {Mathematical Biosciences and Engineering},
  volume  = {21},
  number  = {1},
  pages   = {1125--1143},
  year    = {2024},
  doi     = {10.3934/mbe.2024047}
}

@software{clsforge,
  title   = {clsforge: low-resource cross-lingual summarization datasets and TFLCLS fine-tuning},
  version = {VERSION}
}"""


def translation_engine(spec: TranslatorSpec) -> str:
    """How the card names a translator: its backend's registered engine (curate.translate.registry)."""
    from curate.translate.registry import engine_name

    return engine_name(spec)


def write_card(directory: Path, build_info: dict[str, Any]) -> Path:
    """Write `directory/README.md` from the splits, `stats.json` and `build_info`; return its path.

    `build_info` keys (all optional): `pretty_name`, `license` (default `other`), `recipe`,
    `source`, `translator`, `filter` (`{"key", "cutoff", "min_scores", "dropped"}`), `seed`,
    `plot` (a PNG inside `directory`, relative to it; a PNG elsewhere is copied in), `ncls`
    (True adds the NCLS terms), `notes`, `warnings` (a list, e.g. K larger than the pool), `repo_id`,
    `engine` and `back_engine` (the translation engines, `translation_engine(spec)`: adds the
    machine-translation statement), `sites` (the crawled sites: adds the publishers' terms).
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
    if header["license"] == "other" and build_info.get("sites") and not build_info.get("license_name"):
        header["license_name"] = "news-publishers-copyright"  # see the card's "Licence and terms"
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
        "## Columns\n",
        _columns(directory) + "\n",
        *_translation_statement(build_info),
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
    if build_info.get("sites"):
        parts += ["## Licence and terms\n", _publishers_terms(build_info["sites"]) + "\n"]
    parts += ["## Citation\n", "```bibtex\n" + CITATION.replace("VERSION", _version()) + "\n```\n"]
    return "\n".join(parts)


def _columns(directory: Path) -> str:
    """A Markdown list of the columns the split files hold, each with what it holds."""
    import pyarrow.parquet as pq

    from curate.dataset import find_splits

    splits = find_splits(directory)
    names = pq.read_schema(next(iter(splits.values()))).names if splits else list(COLUMNS)
    return "\n".join(f"- `{name}`: {COLUMNS.get(name, 'a filter score column (see Construction)')}" for name in names)


def _translation_statement(build_info: dict[str, Any]) -> list[str]:
    if not build_info.get("engine"):
        return []
    text = (
        f"`target_summary` is a machine translation of `source_summary` by {build_info['engine']}; no person "
        "wrote or checked it. Only pairs whose back-translation"
        + (f" (by {build_info['back_engine']})" if build_info.get("back_engine") else "")
        + " stays close to the original summary were kept (see Construction), but translation errors remain."
    )
    return ["## Machine-translated summaries\n", text + "\n"]


def _publishers_terms(sites: list[str]) -> str:
    return (
        f"The articles and their lead summaries were crawled from news sites ({', '.join(sites)}), obeying "
        "robots.txt; their publishers hold the copyright. The dataset is shared for research on cross-lingual "
        "summarization: read each site's terms of use before redistributing the texts or using them commercially, "
        "and honour take-down requests from the publishers."
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clsforge")
    except PackageNotFoundError:
        return "unknown"


def _construction(build_info: dict[str, Any]) -> str:
    lines = []
    for label, key in (("Recipe", "recipe"), ("Source", "source"), ("Translator", "translator"), ("Seed", "seed")):
        if build_info.get(key) is not None:
            lines.append(f"- {label}: {build_info[key]}")
    selection = build_info.get("filter")
    if selection:
        lines.append(
            f"- Round-trip filter: ranked by `{selection.get('key')}` (ROUGE F x 100 between each source summary "
            f"and its back-translation), cut-off {_rounded(selection.get('cutoff'))}"
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
    lines += [f"- **Warning:** {warning}" for warning in build_info.get("warnings") or []]
    return "\n".join(lines or ["- (no build details recorded)"]) + "\n"


def _rounded(value: float | None) -> str:
    """A score as the card prints it: two decimals (`39.86`), or `none`."""
    return "none" if value is None else f"{value:.2f}"
