"""Describe a dataset directory: `stats.json` and the dataset card, the same way for every kind of build.

A crawled dataset (flows/build.py) and an NCLS sample (curate.ncls) both end here: `build_info`
assembles what the card says about how the dataset was made from what differs between them (the
source, the translation engines or the NCLS terms, and the details a crawl adds), and
`describe_dataset` writes the statistics and the card from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from curate.card import write_card
from curate.stats import compute_stats

# The card header and terms of data sampled from NCLS (its authors allow research use only).
NCLS_TERMS = {"license": "other", "license_name": "ncls-research-only", "ncls": True}


def build_info(
    pretty_name: str,
    source: str,
    seed: int | None,
    skipped: Mapping[str, Any] | None,
    *,
    engines: Sequence[str] = (),
    ncls_terms: bool = False,
    **details: Any,
) -> dict[str, Any]:
    """The `build_info` dict of curate.card.write_card.

    Args:
        pretty_name: the dataset's name on the card.
        source: where the records come from, one line (`crawled news sites: ...`, `NCLS EN2ZHSUM ...`).
        seed: the split or sampling seed.
        skipped: records left out before or during the split, `{reason: n}` (crawl) or
            `{split: {reason: n}}` (NCLS); each a Drops.as_dict().
        engines: the forward and back translation engines (curate.card.translation_engine), when the
            target summaries are machine translations.
        ncls_terms: the data is NCLS's: research-only licence and the NCLS terms section.
        details: other card keys as they are (`recipe`, `translator`, `sites`, `filters`, `leakage`,
            `repo_id`, `warnings`; see write_card).
    """
    info: dict[str, Any] = {"pretty_name": pretty_name, "source": source, "seed": seed, "skipped": skipped}
    if engines:
        info["engine"], info["back_engine"] = engines
    if ncls_terms:
        info |= NCLS_TERMS
    return info | details


def describe_dataset(directory: Path, build_info: dict[str, Any]) -> tuple[dict[str, Any], Path]:
    """Write `directory/stats.json` (curate.stats) and then the card `directory/README.md` (curate.card).

    Returns the statistics and the card's path. Raises FileNotFoundError when `directory` holds no
    split files.
    """
    stats = compute_stats(directory)
    return stats, write_card(directory, build_info)
