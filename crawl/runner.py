"""Run a crawl as a subprocess and return its crawl_stats (for the CLI, the Prefect flows, the demo)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawl.langid import check_language
from crawl.sites import get_profile

# Scrapy's log of a crawl (appended to by reruns): library noise stays off the console.
LOG_NAME = "crawl.log"


def run_crawl(
    site: str,
    out: Path,
    start_urls: list[str] | None = None,
    max_articles: int | None = None,
    jobdir: Path | None = None,
    settings: dict | None = None,
    lang: str | None = None,
) -> dict:
    """Crawl one site profile into `out` (records `articles-*.jsonl` + `crawl_stats.json`).

    Args:
        site: profile name (`vnexpress`, `dantri`, ..., `generic`).
        out: output folder; records already there are kept and never fetched again.
        start_urls: sitemaps, feeds or listing pages replacing the profile's start points.
        max_articles: stop once the folder holds this many records.
        jobdir: Scrapy JOBDIR; rerun with the same folder to resume after a kill.
        settings: Scrapy setting overrides (JSON-serialisable), e.g. {"AUTOTHROTTLE_ENABLED": False}.
        lang: the language the records must be in (ISO 639-1, e.g. "vi", "th"; a recipe's source
            language); default the profile's. Records in another language are dropped as
            `wrong_language.<found>`.

    Returns:
        The crawl_stats dict written to `out/crawl_stats.json`. Scrapy's log goes to `out/crawl.log`
        (removed when the crawl logged nothing).

    Raises:
        ValueError: unknown site, no start point, a start URL that is not http(s), a bad cap, an output
            folder or a jobdir that is a file, a language py3langid does not know.
        ConnectionError: not one start URL could be fetched (unreachable, an HTTP error, disallowed
            by robots.txt): maybe transient, so flows retry it; crawl_stats.json (and the log) are
            still written, and named in the message.
        RuntimeError: the crawl process failed (its log named in the message); an output folder this
            call made is removed when nothing was written into it.
    """
    profile = get_profile(site)
    start_urls = list(start_urls or [])
    if not start_urls and not profile.start_urls:
        raise ValueError(f"site {site!r} has no default start points; pass a start URL")
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"start URL must be an http(s) URL: {url!r}")
    if max_articles is not None and max_articles < 1:
        raise ValueError(f"--max-articles must be at least 1, got {max_articles}")
    if jobdir is not None and Path(jobdir).exists() and not Path(jobdir).is_dir():
        raise ValueError(f"--jobdir is a file: {jobdir}")
    if lang is not None:
        check_language(lang)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"the output folder is a file: {out}")
    made_out = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    stats_path, log_path = out / "crawl_stats.json", out / LOG_NAME
    stats_path.unlink(missing_ok=True)

    command = [sys.executable, "-m", "crawl", "--site", site, "--out", str(out)]
    for url in start_urls:
        command += ["--start-url", url]
    if max_articles:
        command += ["--max-articles", str(max_articles)]
    if jobdir:
        command += ["--jobdir", str(jobdir)]
    if lang:
        command += ["--lang", lang]
    command += ["--settings-json", json.dumps({"LOG_FILE": str(log_path), **(settings or {})})]
    completed = subprocess.run(command, check=False)
    if log_path.exists() and not log_path.stat().st_size:
        log_path.unlink()
    log_note = f", Scrapy's log in {log_path}" if log_path.exists() else ""
    if completed.returncode != 0 or not stats_path.exists():
        if made_out and not any(out.iterdir()):
            out.rmdir()  # an empty folder would read as a finished crawl of nothing
        where = f"see {log_path}" if log_path.exists() else "nothing logged"
        raise RuntimeError(f"crawl of {site!r} failed (exit status {completed.returncode}); {where}")
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    failed = stats.get("start_failed", {})
    if failed and len(failed) >= len(set(stats["start_urls"])):
        url, reason = next(iter(failed.items()))
        raise ConnectionError(f"could not fetch the start URL {url} ({reason}); no start point could be fetched "
                              f"(counts in {stats_path}{log_note})")
    return stats
