"""`extract_warcs`: WARC inputs -> article records of the given sites, resumable per input file.

Output folder (the crawl's layout): `articles-warc-<input>.jsonl` per finished input, written to a
temp file and renamed when the input is done, then its done-marker `warc-done/<input>.json` (the
input's counts). A rerun skips inputs with a marker and redoes the others from scratch, deleting
what an interrupted attempt left, so a killed run redoes at most the inputs in flight and never
writes a record twice. `crawl_stats.json` sums the markers.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import time
from collections import Counter
from pathlib import Path

from crawl.drift import field_sources
from crawl.extensions import write_json_atomic
from crawl.output import OutputState
from crawl.pipelines.jsonl import RECORD_FIELDS
from crawl.pipelines.sources import FIELD_SOURCES
from crawl.stats import BAD_PAGES, DROPPED, counters
from crawl.warc.hosts import HostMatcher
from crawl.warc.members import raw_records
from crawl.warc.offline import OfflineCrawler
from crawl.warc.records import HTTP_STATUS, KEPT, outcomes
from crawl.warc.sources import open_input

DONE_FOLDER = "warc-done"
PART_PREFIX = "articles-warc-"


def extract_warcs(
    sites: list[str],
    inputs: list[str],
    out: Path,
    hosts: dict[str, list[str]] | None = None,
    settings: dict | None = None,
    progress: bool = True,
) -> dict:
    """Extract the articles of `sites` from WARC `inputs` into `out` (records + crawl_stats.json).

    Args:
        sites: profile names (`vnexpress`, ..., `generic`); a record goes to the site owning its host.
        inputs: local paths, http(s) URLs (streamed) or s3:// URLs, read in this order.
        out: output folder; inputs already done there are skipped.
        hosts: extra host patterns per site (`generic` has no hosts of its own).
        settings: crawl setting overrides (e.g. CLSFORGE_BODY_MIN_WORDS), as for `run_crawl`.
        progress: show a progress bar per input on a terminal.

    Returns:
        The crawl_stats dict: `files_done`, `records_read`, `outcomes` (partitioning records_read),
        `dropped` and `http_statuses` (partitioning their outcomes), `articles_kept`, per-site counts
        under `sites`, and `files_failed` ({input: reason}) for inputs that could not be read.

    Raises:
        ValueError: no site or no input, an unknown site, a site without hosts, an output that is a file.
        ConnectionError: some inputs could not be read (the others are done and kept; rerun to retry).
    """
    if not sites:
        raise ValueError("give at least one --site")
    if not inputs:
        raise ValueError("no WARC input: give --input or a --paths-file that lists some")
    matcher = HostMatcher(sites, hosts)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"the output folder is a file: {out}")
    done_folder = out / DONE_FOLDER
    done_folder.mkdir(parents=True, exist_ok=True)
    keys = {name: input_key(name) for name in inputs}
    todo = [name for name in dict.fromkeys(inputs) if not (done_folder / f"{keys[name]}.json").exists()]
    for name in todo:  # what an interrupted attempt left
        (out / f"{PART_PREFIX}{keys[name]}.jsonl").unlink(missing_ok=True)
        (out / f".{PART_PREFIX}{keys[name]}.jsonl.tmp").unlink(missing_ok=True)
    state = OutputState.load(out)
    crawlers = {site: OfflineCrawler(site, state, settings) for site in dict.fromkeys(sites)}
    started, failed = time.monotonic(), {}
    for name in todo:
        try:
            counts = _extract_one(name, out / f"{PART_PREFIX}{keys[name]}.jsonl", matcher, crawlers, state, progress)
        except (OSError, http.client.HTTPException) as exc:  # unreadable, or the stream broke off
            failed[name] = f"{type(exc).__name__}: {exc}"
            continue
        write_json_atomic(done_folder / f"{keys[name]}.json", counts)
    stats = summed_stats(out, sites, [keys[name] for name in dict.fromkeys(inputs)])
    stats.update(files_new=len(todo) - len(failed), files_failed=failed, elapsed_s=round(time.monotonic() - started, 3))
    write_json_atomic(out / "crawl_stats.json", stats)
    if failed:
        name, reason = next(iter(failed.items()))
        raise ConnectionError(f"{len(failed)} WARC input(s) could not be read, e.g. {name} ({reason}); rerun to retry them")
    return stats


def input_key(name: str) -> str:
    """A file-name-safe key of an input: its base name (less .warc.gz) and 8 hex digits of its full name."""
    base = re.sub(r"\.warc(\.gz)?$", "", name.rstrip("/").rsplit("/", 1)[-1])
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:80] or "warc"
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


def _extract_one(name, part: Path, matcher, crawlers, state: OutputState, progress: bool) -> dict:
    """Read one input into `part` (renamed into place when complete); its counts."""
    from tqdm import tqdm

    started, cpu = time.monotonic(), time.process_time()
    for crawler in crawlers.values():
        crawler.stats.set_stats({})
    kinds, statuses, per_site = Counter(), Counter(), {}
    temp = part.with_name(f".{part.name}.tmp")
    with open_input(name) as stream, temp.open("w", encoding="utf-8") as sink:
        bar = tqdm(unit="record", desc=part.stem.removeprefix(PART_PREFIX), disable=None if progress else True)
        for raw in raw_records(stream):
            for outcome in outcomes(raw, matcher, crawlers):
                bar.update()
                kinds[outcome.kind] += 1
                if outcome.kind == HTTP_STATUS:
                    statuses[outcome.detail] += 1
                if outcome.site:
                    per_site.setdefault(outcome.site, Counter())[outcome.kind] += 1
                if outcome.kind == KEPT:
                    record = {key: outcome.record[key] for key in RECORD_FIELDS}
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    state.remember(record)
        bar.close()
    temp.replace(part) if kinds[KEPT] else temp.unlink()
    return {
        "input": name,
        "records_read": sum(kinds.values()),
        "outcomes": dict(sorted(kinds.items())),
        "http_statuses": dict(sorted(statuses.items())),
        "sites": {
            site: {
                "records": sum(per_site.get(site, Counter()).values()),
                "articles": per_site.get(site, Counter())[KEPT],
                "outcomes": dict(sorted(per_site.get(site, Counter()).items())),
                "dropped": counters(crawler, DROPPED),
                "bad_pages": counters(crawler, BAD_PAGES),
                "field_sources": counters(crawler, FIELD_SOURCES),  # flat "field/layer" keys, summed across files
            }
            for site, crawler in crawlers.items()
        },
        "cpu_s": round(time.process_time() - cpu, 3),
        "elapsed_s": round(time.monotonic() - started, 3),
    }


def summed_stats(out: Path, sites: list[str], keys: list[str]) -> dict:
    """crawl_stats.json of a WARC output: the done-markers of `keys` summed."""
    done = [json.loads(path.read_text("utf-8")) for key in keys if (path := out / DONE_FOLDER / f"{key}.json").exists()]
    total: dict = {}
    for counts in done:
        add_counts(total, {key: value for key, value in counts.items() if key != "input"})
    site_counts = total.get("sites", {})
    return {
        "source": "warc",
        "sites": {site: site_counts.get(site, {"records": 0, "articles": 0}) for site in dict.fromkeys(sites)},
        "files_total": len(keys),
        "files_done": len(done),
        "records_read": total.get("records_read", 0),
        "outcomes": dict(sorted(total.get("outcomes", {}).items())),
        "http_statuses": dict(sorted(total.get("http_statuses", {}).items())),
        "dropped": dict(sorted(_merged(site_counts, "dropped").items())),
        "bad_pages": dict(sorted(_merged(site_counts, "bad_pages").items())),
        "field_sources": field_sources(_merged(site_counts, "field_sources")),
        "articles_kept": total.get("outcomes", {}).get(KEPT, 0),
        "cpu_s": round(total.get("cpu_s", 0.0), 3),
    }


def add_counts(total: dict, part: dict) -> None:
    """Add the numbers of `part` into `total`, key by key, nested dicts included."""
    for key, value in part.items():
        if isinstance(value, dict):
            add_counts(total.setdefault(key, {}), value)
        elif isinstance(value, (int, float)):
            total[key] = total.get(key, 0) + value


def _merged(site_counts: dict, group: str) -> Counter:
    merged = Counter()
    for counts in site_counts.values():
        merged.update(counts.get(group, {}))
    return merged
