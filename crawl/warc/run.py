"""`extract_warcs`: WARC inputs -> article records of the given sites, resumable per input file.

Output folder (the crawl's layout): `articles-warc-<input>.jsonl` per finished input, written to a
temp file and renamed when the input is done, then its done-marker `warc-done/<input>.json` (the
input's counts; for a local file also its size and modification time). A rerun skips inputs with a
marker and redoes the others from scratch, deleting what an interrupted attempt left, so a killed run
redoes at most the inputs in flight and never writes a record twice. A local file whose size or
modification time differs from its marker's was replaced under the same name: it is redone too (URLs
name immutable archives: their marker has no stat). `crawl_stats.json` sums the markers.

A record whose extraction raises (any exception: the spider, a pipeline, the payload) is counted as
outcome `error`, by exception type under `errors`, and logged with the input and the record's URL;
the input goes on and is marked done as usual.

`warc_options.json` records what the records depend on besides the inputs: the sites (in order: a
host claimed by two goes to the first), their extra hosts, the language and the setting overrides.
A rerun with other options would mix records made two ways, so it deletes every marker and part and
reads all its inputs again (the stats name the options that changed). A folder from before this file
existed is taken to have been made with the current options.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import re
import time
from collections import Counter
from pathlib import Path

from crawl.drift import field_sources
from crawl.extensions import write_json_atomic
from crawl.langid import check_language
from crawl.output import OutputState
from crawl.pipelines.jsonl import RECORD_FIELDS
from crawl.pipelines.sources import FIELD_SOURCES
from crawl.stats import BAD_PAGES, CANONICAL_IGNORED, DECODING, DROPPED, EXTRACTION_NOTES, counters
from crawl.warc.hosts import HostMatcher
from crawl.warc.members import NOT_WARC, raw_records
from crawl.warc.offline import OfflineCrawler
from crawl.warc.records import ERROR, HTTP_STATUS, KEPT, outcomes
from crawl.warc.sources import local_stat, open_input

logger = logging.getLogger(__name__)

DONE_FOLDER = "warc-done"
PART_PREFIX = "articles-warc-"
OPTIONS_FILE = "warc_options.json"
# The command-line names of the recorded options, for the stats and messages.
OPTION_NAMES = {"sites": "--site", "hosts": "--host", "lang": "--lang", "settings": "settings"}


class NotWarcError(ValueError):
    """An input that holds no WARC record where its first one should start (text, HTML, an empty file)."""


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
        `dropped`, `http_statuses` and `errors` (exception type -> records; partitioning their
        outcomes), `articles_kept`, per-site counts under `sites`, `files_failed` ({input: reason})
        for inputs that could not be read, `files_changed` (local inputs redone because they were
        replaced since their marker was written), and
        `options_changed` (e.g. ["--host"]: the options that differ from the last run's, whose
        output was deleted and redone).

    Raises:
        ValueError: no site or no input, an unknown site, a site without hosts, a --host that is no
            host pattern, a language py3langid does not know, an output that is a file.
        NotWarcError: an input is not a WARC file (the others are done and kept; it is not marked done).
        ConnectionError: some inputs could not be read (the others are done and kept; rerun to retry).
    """
    if not sites:
        raise ValueError("give at least one --site")
    if not inputs:
        raise ValueError("no WARC input: give --input or a --paths-file that lists some")
    matcher = HostMatcher(sites, hosts)
    lang = (settings or {}).get("CLSFORGE_LANG")
    if lang is not None:
        check_language(lang)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"the output folder is a file: {out}")
    done_folder = out / DONE_FOLDER
    done_folder.mkdir(parents=True, exist_ok=True)
    changed = _renew_options(out, run_options(sites, hosts, settings))
    keys = {name: input_key(name) for name in inputs}
    stats_now = {name: local_stat(name) for name in dict.fromkeys(inputs)}
    todo, replaced = [], []
    for name in dict.fromkeys(inputs):
        marker = done_folder / f"{keys[name]}.json"
        if not marker.exists():
            todo.append(name)
        elif stats_now[name] is not None and _marker_stat(marker) != stats_now[name]:
            logger.warning("%s changed since it was read (size or modification time): reading it again", name)
            marker.unlink()
            todo.append(name)
            replaced.append(name)
    for name in todo:  # what an interrupted attempt left
        (out / f"{PART_PREFIX}{keys[name]}.jsonl").unlink(missing_ok=True)
        (out / f".{PART_PREFIX}{keys[name]}.jsonl.tmp").unlink(missing_ok=True)
    state = OutputState.load(out)
    crawlers = {site: OfflineCrawler(site, state, settings) for site in dict.fromkeys(sites)}
    started, failed = time.monotonic(), {}
    for name in todo:
        try:
            counts = _extract_one(name, out / f"{PART_PREFIX}{keys[name]}.jsonl", matcher, crawlers, state, progress)
        except NotWarcError:
            failed[name] = "not a WARC file"
            continue
        except (OSError, http.client.HTTPException) as exc:  # unreadable, or the stream broke off
            failed[name] = f"{type(exc).__name__}: {exc}"
            continue
        if stats_now[name] is not None:  # as it was before reading: a change while reading is seen next time
            counts["stat"] = stats_now[name]
        write_json_atomic(done_folder / f"{keys[name]}.json", counts)
    stats = summed_stats(out, sites, [keys[name] for name in dict.fromkeys(inputs)])
    stats.update(files_new=len(todo) - len(failed), files_changed=replaced, files_failed=failed, options_changed=changed,
                 elapsed_s=round(time.monotonic() - started, 3))
    write_json_atomic(out / "crawl_stats.json", stats)
    not_warc = [name for name, reason in failed.items() if reason == "not a WARC file"]
    if not_warc:
        others = f" ({len(failed) - 1} other input(s) not read either: see files_failed in {out / 'crawl_stats.json'})"
        raise NotWarcError(f"{not_warc[0]} is not a WARC file{others if len(failed) > 1 else ''}")
    if failed:
        name, reason = next(iter(failed.items()))
        raise ConnectionError(f"{len(failed)} WARC input(s) could not be read, e.g. {name} ({reason}); rerun to retry them")
    return stats


def _marker_stat(marker: Path) -> dict | None:
    """The size and mtime a done-marker holds of its local input (None: not kept, or unreadable)."""
    try:
        return json.loads(marker.read_text("utf-8")).get("stat")
    except (ValueError, AttributeError):
        return None


def run_options(sites: list[str], hosts: dict[str, list[str]] | None, settings: dict | None) -> dict:
    """The options a WARC output depends on besides its inputs, as recorded in warc_options.json."""
    settings = dict(settings or {})
    lang = settings.pop("CLSFORGE_LANG", None)
    sites = list(dict.fromkeys(sites))
    extra = {site: list(patterns) for site, patterns in (hosts or {}).items() if site in sites and patterns}
    return json.loads(json.dumps({"sites": sites, "hosts": extra, "lang": lang, "settings": settings}))


def _renew_options(out: Path, options: dict) -> list[str]:
    """Record `options` in `out`; when they differ from the recorded ones, delete the output made with
    those (markers, parts, stats) first. The command-line names of the options that changed."""
    path = out / OPTIONS_FILE
    try:
        recorded = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        recorded = options  # a new folder, or one from before options were recorded
    except ValueError:
        recorded = {}  # unreadable: redo everything
    changed = [OPTION_NAMES[key] for key in OPTION_NAMES if recorded.get(key) != options[key]]
    if changed:
        for stale in [*(out / DONE_FOLDER).glob("*.json"), *out.glob(f"{PART_PREFIX}*.jsonl"),
                      *out.glob(f".{PART_PREFIX}*.jsonl.tmp"), out / "crawl_stats.json"]:
            stale.unlink(missing_ok=True)
    if changed or not path.exists():
        write_json_atomic(path, options)
    return changed


def input_key(name: str) -> str:
    """A file-name-safe key of an input: its base name (less .warc.gz) and 8 hex digits of its full name."""
    base = re.sub(r"\.warc(\.gz)?$", "", name.rstrip("/").rsplit("/", 1)[-1])
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:80] or "warc"
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


def _extract_one(name, part: Path, matcher, crawlers, state: OutputState, progress: bool) -> dict:
    """Read one input into `part` (renamed into place when complete); its counts.

    Raises:
        NotWarcError: the input does not start with a WARC record, or holds none (nothing is kept of it).
    """
    from tqdm import tqdm

    started, cpu = time.monotonic(), time.process_time()
    for crawler in crawlers.values():
        crawler.stats.set_stats({})
    kinds, statuses, errors, per_site, site_errors = Counter(), Counter(), Counter(), {}, {}
    temp = part.with_name(f".{part.name}.tmp")
    try:
        with open_input(name) as stream, temp.open("w", encoding="utf-8") as sink:
            bar = tqdm(unit="record", desc=part.stem.removeprefix(PART_PREFIX), disable=None if progress else True)
            for raw in raw_records(stream):
                for outcome in outcomes(raw, matcher, crawlers):
                    if not kinds and outcome.kind == NOT_WARC:
                        raise NotWarcError(f"{name} is not a WARC file")
                    bar.update()
                    kinds[outcome.kind] += 1
                    if outcome.kind == HTTP_STATUS:
                        statuses[outcome.detail] += 1
                    if outcome.kind == ERROR:
                        errors[outcome.detail] += 1
                        site_errors.setdefault(outcome.site, Counter())[outcome.detail] += 1
                        logger.warning("%s: record %s: %s: %s", name, outcome.url, outcome.detail, outcome.message)
                    if outcome.site:
                        per_site.setdefault(outcome.site, Counter())[outcome.kind] += 1
                    if outcome.kind == KEPT:
                        record = {key: outcome.record[key] for key in RECORD_FIELDS}
                        sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                        state.remember(record)
            bar.close()
        if not kinds:
            raise NotWarcError(f"{name} is not a WARC file (it is empty)")
    except NotWarcError:
        temp.unlink(missing_ok=True)
        raise
    temp.replace(part) if kinds[KEPT] else temp.unlink()
    return {
        "input": name,
        "records_read": sum(kinds.values()),
        "outcomes": dict(sorted(kinds.items())),
        "http_statuses": dict(sorted(statuses.items())),
        "errors": dict(sorted(errors.items())),
        "sites": {
            site: {
                "records": sum(per_site.get(site, Counter()).values()),
                "articles": per_site.get(site, Counter())[KEPT],
                "outcomes": dict(sorted(per_site.get(site, Counter()).items())),
                "dropped": counters(crawler, DROPPED),
                "bad_pages": counters(crawler, BAD_PAGES),
                "errors": dict(sorted(site_errors.get(site, Counter()).items())),
                "decoding": counters(crawler, DECODING),  # charset and payload notes (not outcomes)
                "canonical_ignored": counters(crawler, CANONICAL_IGNORED),
                "extraction_notes": counters(crawler, EXTRACTION_NOTES),
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
        add_counts(total, {key: value for key, value in counts.items() if key not in ("input", "stat")})
    site_counts = total.get("sites", {})
    return {
        "source": "warc",
        "sites": {site: site_counts.get(site, {"records": 0, "articles": 0}) for site in dict.fromkeys(sites)},
        "files_total": len(keys),
        "files_done": len(done),
        "records_read": total.get("records_read", 0),
        "outcomes": dict(sorted(total.get("outcomes", {}).items())),
        "http_statuses": dict(sorted(total.get("http_statuses", {}).items())),
        "errors": dict(sorted(total.get("errors", {}).items())),
        "dropped": dict(sorted(_merged(site_counts, "dropped").items())),
        "bad_pages": dict(sorted(_merged(site_counts, "bad_pages").items())),
        "decoding": dict(sorted(_merged(site_counts, "decoding").items())),
        "canonical_ignored": dict(sorted(_merged(site_counts, "canonical_ignored").items())),
        "extraction_notes": dict(sorted(_merged(site_counts, "extraction_notes").items())),
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
