"""`clsforge warc`: article records of site profiles from WARC files (CC-NEWS), like `clsforge crawl`."""

from __future__ import annotations

from pathlib import Path

import typer

from crawl.sites import PROFILES


def warc(
    site: list[str] = typer.Option(..., "--site", help="Site profile (repeatable): " + ", ".join(PROFILES) + "."),
    input: list[str] = typer.Option(None, "--input", help="WARC file: local path, http(s):// URL (streamed) or s3:// URL (repeatable)."),  # noqa: A002
    paths_file: list[str] = typer.Option(None, "--paths-file", help="A CC-NEWS warc.paths.gz listing (path or URL; repeatable)."),
    from_month: str = typer.Option(None, "--from", help="First month YYYY-MM of the listed files (alone: CC-NEWS's own monthly listings)."),
    to_month: str = typer.Option(None, "--to", help="Last month YYYY-MM of the listed files (default: --from)."),
    base_url: str = typer.Option(None, "--base-url", help="Prefix of a listing's relative paths (default: https://data.commoncrawl.org/)."),
    host: list[str] = typer.Option(None, "--host", help="Host or pattern (*.example.com) of the site's pages; needed by generic; one --site only."),
    out: Path = typer.Option(..., "--out", help="Output folder for *.jsonl records and crawl_stats.json."),
    lang: str = typer.Option(None, "--lang", help="Language the records must be in (vi, th, lo, ...); default each profile's."),
) -> None:
    """Extract the articles of site profiles from WARC files, resumable per file (rerun the same command;
    a rerun with other --site, --host or --lang reads every file again)."""
    import json

    from crawl.warc.run import extract_warcs
    from crawl.warc.sources import resolve_inputs

    if input and (paths_file or from_month or to_month or base_url):
        raise typer.BadParameter("--paths-file, --from, --to and --base-url replace --input; give one or the other")
    if host and len(set(site)) > 1:
        raise typer.BadParameter("--host applies to one --site; give one site per run")
    inputs = resolve_inputs(input, paths_file, from_month, to_month, base_url)
    stats = extract_warcs(list(site), inputs, out, hosts={site[0]: list(host)} if host else None,
                           settings={"CLSFORGE_LANG": lang} if lang else None)
    keys = ("files_done", "files_total", "files_new", "files_changed", "records_read", "articles_kept", "outcomes", "dropped",
            "errors", "options_changed")
    typer.echo(json.dumps({key: stats[key] for key in keys}, ensure_ascii=False))
