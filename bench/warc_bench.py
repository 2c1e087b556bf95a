"""WARC benchmark: clsforge's archive reader against a plain warcio + trafilatura loop, in the same run.

    .venv/bin/python -m bench.warc_bench [--size 50000] [--files 4] [--baseline-records 2000]

Generated CC-NEWS-like WARC files (`--size` records over `--files` files, gzip member per record,
10% on the profile's host, every page about 60 kB of HTML: template, navigation, scripts, article):
- inflate: only the gzip members inflated (the floor for any reader of such files);
- skip: a site none of the records belong to (every record skipped on its host): records/s, and
  peak memory on one file and on all of them (flat in the input size);
- extract: the vnexpress profile: records/s, articles kept, articles per CPU-second;
- dask: the same, one task per file on a Dask LocalCluster (2 worker processes) plus the merge;
- baseline: warcio's ArchiveIterator, trafilatura.extract on every HTML response, over the first
  `--baseline-records` records (it is ~100x slower, so the full file would take most of an hour).
Each measurement runs in a child process that reports the CPU time of the work and its peak RSS
(for dask: the largest of the parent's and the workers').
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.crawl_bench import article_page, sentence

MATCHING_SHARE = 0.10
HOST = "https://vnexpress.net"
OTHER_HOSTS = [f"https://news{n}.example.com" for n in range(40)]


def template(rng: random.Random) -> str:
    """About 50 kB of what surrounds an article on a real news page: menus, related links, scripts."""
    links = "\n".join(f'<li><a href="/chuyen-muc-{n}/bai-{rng.randrange(10**7)}.html">{sentence(rng, 10)}</a></li>' for n in range(260))
    script = json.dumps({"ads": [{"slot": n, "sizes": [[300, 250], [728, 90]], "targeting": sentence(rng, 8)} for n in range(60)]})
    return f'<nav><ul class="menu">{links}</ul></nav><script>window.__config = {script};</script>'


def generate(folder: Path, size: int, files: int, seed: int = 0) -> list[Path]:
    """Write `size` records over `files` WARC files; 10% are unique vnexpress articles. Returns the paths."""
    from crawl.warc.writer import write_warc

    rng = random.Random(seed)
    chrome = [template(rng) for _ in range(8)]
    others = [article_page(n, rng) for n in range(50)]
    per_file = -(-size // files)
    return [
        write_warc(folder / f"CC-NEWS-BENCH-{number:05d}.warc.gz",
                   _pages(range(number * per_file, min(size, (number + 1) * per_file)), rng, chrome, others))
        for number in range(files)
    ]


def _pages(indexes: range, rng: random.Random, chrome: list[str], others: list[str]):
    """The pages of one file, made one at a time (the generator's memory stays flat too)."""
    from crawl.warc.writer import Page

    for index in indexes:
        if rng.random() < MATCHING_SHARE:
            body = article_page(index, rng).replace("{{base_url}}", HOST)
            url = f"{HOST}/bai-viet-{index}-{1000000 + index}.html"
        else:
            host = OTHER_HOSTS[index % len(OTHER_HOSTS)]
            body, url = others[index % len(others)].replace("{{base_url}}", host), f"{host}/tin-{index}.html"
        yield Page(url, body.replace("<body>", "<body>" + chrome[index % len(chrome)], 1).encode("utf-8"))


def peak_rss_mb() -> int:
    """This process's peak resident memory (VmHWM; ru_maxrss would carry the parent's over exec)."""
    status = Path("/proc/self/status").read_text()
    return round(int(status.split("VmHWM:")[1].split()[0]) / 1024)


def worker(mode: str, inputs: list[str], out: str, limit: int) -> dict:
    """One measurement in this (child) process: counts, wall and CPU seconds of the work itself (imports
    and set-up excluded), and the process's peak RSS in MB."""
    if mode in ("skip", "extract"):
        from crawl.warc.run import extract_warcs

        stats = extract_warcs(["tuoitre" if mode == "skip" else "vnexpress"], inputs, Path(out), progress=False)
        result = {"records": stats["records_read"], "articles": stats["articles_kept"], "wall_s": stats["elapsed_s"],
                  "cpu_s": stats["cpu_s"]}
    elif mode == "inflate":
        result = _inflate(inputs)
    elif mode == "dask":
        result = _dask(inputs, Path(out))
    else:
        result = _baseline(inputs, limit)
    wall, cpu = result["wall_s"], result["cpu_s"]
    return result | {
        "mode": mode, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
        "records_per_s": round(result["records"] / max(wall, 1e-9)),
        "records_per_cpu_s": round(result["records"] / max(cpu, 1e-9)),
        "articles_per_cpu_s": round(result["articles"] / max(cpu, 1e-9), 1),
        "peak_rss_mb": max(peak_rss_mb(), result.pop("workers_peak_rss_mb", 0)),
    }


def _timed(work) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result | {"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu}


def _inflate(inputs: list[str]) -> dict:
    """The floor of any reader of gzip-per-record WARC: inflating every member, nothing else."""
    from crawl.warc.members import raw_records

    def work() -> dict:
        records = 0
        for name in inputs:
            with open(name, "rb") as stream:
                records += sum(1 for _ in raw_records(stream))
        return {"records": records, "articles": 0}

    return _timed(work)


def _dask(inputs: list[str], out: Path) -> dict:
    """One task per file on a 2-process LocalCluster, then the merge (cluster start-up excluded)."""
    from dask.distributed import Client, LocalCluster

    from crawl.warc.merge import merge_outputs
    from crawl.warc.run import extract_warcs, input_key

    def one(name: str) -> tuple[float, int]:
        cpu = time.process_time()
        stats = extract_warcs(["vnexpress"], [name], out / input_key(name), progress=False)
        return time.process_time() - cpu, stats["records_read"]

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("crawl.warc.run"))  # imports are set-up, as in the other modes
        started = time.perf_counter()
        done = client.gather(client.map(one, inputs))
        cpu = time.process_time()
        merged = merge_outputs([out / input_key(name) for name in inputs], {"vnexpress": out / "merged"})
        wall = time.perf_counter() - started
        workers_peak = max(client.run(peak_rss_mb).values())
    return {"records": sum(n for _, n in done), "articles": merged["vnexpress"]["articles_kept"], "wall_s": wall,
            "cpu_s": sum(c for c, _ in done) + time.process_time() - cpu, "workers_peak_rss_mb": workers_peak}


def _baseline(inputs: list[str], limit: int) -> dict:
    """warcio + trafilatura.extract on every HTML response, over the first `limit` records."""
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    def work() -> dict:
        records = articles = 0
        for name in inputs:
            with open(name, "rb") as stream:
                for record in ArchiveIterator(stream):
                    if records >= limit:
                        return {"records": records, "articles": articles}
                    records += 1
                    if record.rec_type == "response" and "html" in (record.http_headers.get_header("Content-Type") or ""):
                        text = trafilatura.extract(record.content_stream().read().decode("utf-8", "replace"))
                        articles += bool(text) and record.rec_headers.get_header("WARC-Target-URI").startswith(HOST)
        return {"records": records, "articles": articles}

    return _timed(work)


def measure(mode: str, inputs: list[Path], out: Path, limit: int = 0) -> dict:
    """Run one measurement in a child process and return its JSON result."""
    command = [sys.executable, "-m", "bench.warc_bench", "--worker", mode, "--out", str(out), "--limit", str(limit),
               *map(str, inputs)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(size: int, files: int = 4, baseline_records: int = 2000) -> dict:
    """Generate the WARC files, measure every mode, return the rows and the ratios."""
    with tempfile.TemporaryDirectory(prefix="warc-bench-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        inputs = generate(root / "warc", size, files)
        generated_s = time.perf_counter() - started
        rows = [
            measure("inflate", inputs, root / "inflate"),
            measure("skip", inputs[:1], root / "skip-one"),
            measure("skip", inputs, root / "skip-all"),
            measure("extract", inputs, root / "extract"),
            measure("dask", inputs, root / "dask"),
            measure("baseline", inputs, root / "baseline", baseline_records),
        ]
        megabytes = sum(path.stat().st_size for path in inputs) / 1e6
    extract, baseline = rows[3], rows[5]
    return {
        "size": size, "files": files, "warc_mb": round(megabytes, 1), "generate_s": round(generated_s, 1), "rows": rows,
        "speedup_records_per_s": round(extract["records_per_s"] / max(baseline["records_per_s"], 1e-9), 1),
        "baseline_full_file_s": round(size / max(baseline["records_per_s"], 1e-9)),
    }


def main() -> None:
    """Print a table and a JSON line (or, with --worker, one measurement as JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="records over all generated WARC files")
    parser.add_argument("--files", type=int, default=4, help="WARC files to spread them over")
    parser.add_argument("--baseline-records", type=int, default=2000, help="records the warcio+trafilatura loop reads")
    parser.add_argument("--worker", choices=("inflate", "skip", "extract", "dask", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.inputs, args.out, args.limit)))
        return
    result = run(args.size, args.files, args.baseline_records)
    print(f"{result['size']} records in {result['files']} files, {result['warc_mb']} MB gzipped (generated in {result['generate_s']} s)")
    print(f"{'mode':<10}{'records':>9}{'articles':>9}{'wall s':>9}{'CPU s':>9}{'records/s':>11}{'rec/CPU-s':>11}"
          f"{'art/CPU-s':>11}{'peak MB':>9}")
    for row in result["rows"]:
        print(f"{row['mode']:<10}{row['records']:>9}{row['articles']:>9}{row['wall_s']:>9}{row['cpu_s']:>9}"
              f"{row['records_per_s']:>11}{row['records_per_cpu_s']:>11}{row['articles_per_cpu_s']:>11}{row['peak_rss_mb']:>9}")
    print(f"clsforge reads {result['speedup_records_per_s']}x the records/s of warcio + trafilatura; "
          f"the baseline would take {result['baseline_full_file_s']} s for all {result['size']} records")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
