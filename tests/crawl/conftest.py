"""Shared helpers for the crawl tests: fixture sites served locally, crawled with politeness off."""

from __future__ import annotations

from pathlib import Path

from crawl.output import PART_GLOB
from curate.io import read_jsonl

FIXTURES = Path(__file__).parent / "fixtures"
# Politeness off and short backoff so a fixture crawl takes about a second; robots.txt stays obeyed.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "RETRY_BACKOFF_BASE": 0.01,
    "CLSFORGE_MAX_LISTING_PAGES": 3,
    "DOWNLOAD_MAXSIZE": 100_000,
    "LOG_LEVEL": "ERROR",
}


def read_records(folder: Path) -> list[dict]:
    """All records of a crawl output folder, in file then line order."""
    return [record for part in sorted(folder.glob(PART_GLOB)) for record in read_jsonl(part)]
