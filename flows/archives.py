"""The `read-archives` subflow: the `source: ccnews` sites of a recipe read from WARC files.

Sites sharing the same archive (files, listing, months) are read in one pass: one mapped task per
WARC file (on the Dask cluster with `--dask`), then one merge task writing each site's folder
crawl/<NN>-<site>/ as a live crawl would. Workdir: ccnews/<NN>/<input key>/ per WARC file.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task, unmapped
from prefect.artifacts import create_table_artifact
from prefect.tasks import exponential_backoff

from flows.artifacts import artifact_key
from flows.caching import cached, in_workdir
from flows.recipe import ArchiveSpec, Recipe
from flows.tasks import retry_unless_bad_input


# Keyed on the spec (listing paths, months, hosts) and, for local files, on their size and modification
# time (`stat=`): hashing gigabytes of archives at every rerun would cost more than it protects, but a
# file downloaded again or a new file matching a glob reruns the listing and that file's extraction.
@task(cache_policy=cached(stat=("spec",), code=()), retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=10),
      retry_condition_fn=retry_unless_bad_input)
def list_warc_inputs(spec: ArchiveSpec) -> list[str]:
    """The WARC files of an archive spec (its inputs, or the listing's files within the months)."""
    from crawl.warc.sources import resolve_inputs

    listings = [spec.paths_file] if spec.paths_file else None
    return resolve_inputs(spec.inputs, listings, spec.from_month, spec.to_month, spec.base_url)


@task(cache_policy=cached(stat=("input",), code=()), retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=10),
      retry_jitter_factor=0.5, retry_condition_fn=retry_unless_bad_input)
def extract_warc_file(sites: list[str], input: str, out: Path, hosts: dict[str, list[str]], lang: str | None = None) -> dict:  # noqa: A002
    """Extract one WARC file's articles of `sites` (records in language `lang`) into `out` (resumable); its counts."""
    from crawl.warc.run import extract_warcs

    stats = extract_warcs(sites, [input], out, hosts=hosts, settings={"CLSFORGE_LANG": lang} if lang else None, progress=False)
    return {"input": input, "records_read": stats["records_read"], "articles": stats["articles_kept"]}


@task(cache_policy=cached(code=(), folders=("*.jsonl", "crawl_stats.json")))
def merge_warc_outputs(folders: list[Path], outs: dict[str, Path], lang: str | None = None) -> dict[str, dict]:
    """Merge the per-file outputs into one folder per site (dropping copies across files); per-site stats."""
    from crawl.warc.merge import merge_outputs

    return merge_outputs(folders, outs, settings={"CLSFORGE_LANG": lang} if lang else None)


@flow(name="read-archives", log_prints=True)
def read_archives(recipe: Recipe, workdir: str) -> list[dict]:
    """Read the recipe's `source: ccnews` sites; one entry per site, as `crawl_sites` returns them."""
    from crawl.warc.run import input_key

    work = Path(workdir)
    groups: dict[str, list[int]] = {}
    for index, site in enumerate(recipe.sites):
        if site.source == "ccnews":
            key = site.ccnews.model_dump_json(exclude={"hosts"})
            groups.setdefault(key, []).append(index)
    entries = []
    for number, indexes in enumerate(groups.values()):
        specs = [recipe.sites[index] for index in indexes]
        names = [spec.site for spec in specs]
        hosts = {spec.site: spec.ccnews.hosts for spec in specs if spec.ccnews.hosts}
        inputs = in_workdir(list_warc_inputs, work)(specs[0].ccnews)
        folders = [work / "ccnews" / f"{number:02d}" / input_key(name) for name in inputs]
        outs = {spec.site: work / "crawl" / f"{index:02d}-{spec.site}" for index, spec in zip(indexes, specs)}
        files = in_workdir(extract_warc_file, work).map(unmapped(names), inputs, folders, unmapped(hosts), unmapped(recipe.source_lang))
        merged = in_workdir(merge_warc_outputs, work, *outs.values()).submit(folders, outs, recipe.source_lang, wait_for=files).result()
        entries += [
            {"site": site, "out": str(out), "articles": merged[site]["articles_kept"], "stats": merged[site]}
            for site, out in outs.items()
        ]
        print(f"{recipe.name}: {len(inputs)} WARC file(s) read for {', '.join(names)}")
    archive_artifact(recipe.name, entries)
    return entries


def archive_artifact(name: str, entries: list[dict]) -> None:
    """One row per archived site: WARC files done, records read, records of its hosts, articles kept, drops."""
    rows = [
        {
            "site": entry["site"],
            "files done": f"{entry['stats']['files_done']}/{entry['stats']['files_total']}",
            "records read": entry["stats"]["records_read"],
            "records of the site": entry["stats"]["records"],
            "articles kept": entry["articles"],
            "dropped": ", ".join(f"{reason} {n}" for reason, n in entry["stats"]["dropped"].items()) or "-",
        }
        for entry in entries
    ]
    create_table_artifact(key=artifact_key(name, "ccnews"), table=rows, description=f"CC-NEWS archives read for {name}, per site")
