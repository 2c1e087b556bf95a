"""Per-input WARC outputs (one folder per input, extracted in parallel) merged into one folder per site.

Inputs are merged in their listed order through the crawl's pipelines again, so a record kept from an
earlier input drops a later copy (`duplicate_url` / `duplicate_body`) exactly as one sequential
`extract_warcs` run would, and the merged counts still add up (a merge drop moves one record from
`kept` to `dropped`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from crawl.drift import field_sources
from crawl.extensions import write_json_atomic
from crawl.output import PART_GLOB, OutputState
from crawl.warc.offline import OfflineCrawler
from crawl.warc.records import DROPPED, KEPT
from crawl.warc.run import add_counts

MERGED_PART = "articles-warc.jsonl"


def merge_outputs(folders: list[Path], outs: dict[str, Path], settings: dict | None = None) -> dict[str, dict]:
    """Merge the `extract_warcs` output `folders` (in order) into one output folder per site.

    Args:
        folders: per-input output folders, each with its crawl_stats.json (a folder without one is an
            input not done: counted in `files_total` only).
        outs: {site: output folder}; each gets `articles-warc.jsonl` and its own crawl_stats.json.
        settings: crawl setting overrides, as given to `extract_warcs`.

    Returns:
        {site: crawl_stats}: `files_done`, `files_total`, `records_read` (every record of the inputs),
        `records` (those of the site's hosts), `outcomes` (partitioning `records`), `dropped`,
        `errors` (extraction exceptions by type), `bad_pages`, `decoding` (charset and payload notes), `field_sources` (per field, articles by
        extraction layer), `articles_kept`.
    """
    sinks, crawlers, totals = {}, {}, {site: {} for site in outs}
    for site, out in outs.items():
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        for part in out.glob(PART_GLOB):  # an earlier merge: redone from scratch
            part.unlink()
        crawlers[site] = OfflineCrawler(site, OutputState.load(out), settings)
        sinks[site] = (out / f".{MERGED_PART}.tmp").open("w", encoding="utf-8")
    files_done, records_read, merge_drops = 0, 0, {site: Counter() for site in outs}
    for folder in map(Path, folders):
        stats_path = folder / "crawl_stats.json"
        if not stats_path.exists():
            continue
        stats = json.loads(stats_path.read_text("utf-8"))
        files_done += stats["files_done"]
        records_read += stats["records_read"]
        for site in outs:
            add_counts(totals[site], stats["sites"].get(site, {}))
        for part in sorted(folder.glob(PART_GLOB)):
            for line in part.read_text("utf-8").splitlines():
                record = json.loads(line)
                crawler = crawlers[record["site"]]
                reason = crawler.gate(record)
                if reason:
                    merge_drops[record["site"]][reason] += 1
                    continue
                sinks[record["site"]].write(line + "\n")
                crawler.spider.output.remember(record)
    merged = {}
    for site, out in outs.items():
        sinks[site].close()
        (Path(out) / f".{MERGED_PART}.tmp").replace(Path(out) / MERGED_PART)
        merged[site] = _site_stats(site, totals[site], merge_drops[site], files_done, len(folders), records_read)
        write_json_atomic(Path(out) / "crawl_stats.json", merged[site])
    return merged


def _site_stats(site: str, total: dict, drops: Counter, files_done: int, files_total: int, records_read: int) -> dict:
    outcomes = Counter(total.get("outcomes", {}))
    outcomes[KEPT] -= sum(drops.values())
    outcomes[DROPPED] += sum(drops.values())
    dropped = Counter(total.get("dropped", {})) + drops
    return {
        "source": "warc",
        "site": site,
        "files_done": files_done,
        "files_total": files_total,
        "records_read": records_read,
        "records": total.get("records", 0),
        "outcomes": dict(sorted((kind, n) for kind, n in outcomes.items() if n)),
        "dropped": dict(sorted(dropped.items())),
        "errors": dict(sorted(total.get("errors", {}).items())),
        "bad_pages": dict(sorted(total.get("bad_pages", {}).items())),
        "decoding": dict(sorted(total.get("decoding", {}).items())),
        "field_sources": field_sources(total.get("field_sources", {})),
        "articles_kept": outcomes[KEPT],
    }
