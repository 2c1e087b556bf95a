"""Faults of one record or one input that must not cost the others: a record whose extraction raises
(counted as an `error`, the run goes on), a local input replaced under the same name (read again)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from crawl.warc.offline import OfflineCrawler
from crawl.warc.run import DONE_FOLDER, extract_warcs, input_key
from crawl.warc.writer import write_warc
from tests.cli import clsforge

from .conftest import read_records
from .warc_fixtures import page

ARTICLES = ["/gia-ca-phe-lap-dinh-moi-4796310.html", "/ca-sot-xuat-huyet-tang-4796422.html",
            "/nhung-dieu-can-biet-ve-ky-thi-tot-nghiep-thpt-4798120.html"]


def test_a_record_whose_extraction_raises_is_counted_and_the_run_goes_on(tmp_path: Path, monkeypatch, caplog) -> None:
    """The spider raising on the 2nd article and a pipeline raising on the 3rd: both counted by exception
    type, logged with the WARC file and the record URL; the 1st article is kept, the file marked done."""
    pages = [page("vnexpress", path) for path in ARTICLES]
    warc = write_warc(tmp_path / "err.warc.gz", pages)
    records, gate = OfflineCrawler.records, OfflineCrawler.gate

    def raising_records(self, response):
        if response.url == pages[1].url:
            raise ValueError("offset must be a timedelta strictly between ...")
        return records(self, response)

    def raising_gate(self, item):
        if item["url"] == pages[2].url:
            raise KeyError("summary")
        return gate(self, item)

    monkeypatch.setattr(OfflineCrawler, "records", raising_records)
    monkeypatch.setattr(OfflineCrawler, "gate", raising_gate)
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING, logger="crawl.warc.run"):
        stats = extract_warcs(["vnexpress"], [str(warc)], out, progress=False)

    assert stats["outcomes"] == {"error": 2, "kept": 1}
    assert stats["records_read"] == 3 and stats["articles_kept"] == 1
    assert stats["errors"] == {"KeyError": 1, "ValueError": 1}
    assert stats["sites"]["vnexpress"]["errors"] == {"KeyError": 1, "ValueError": 1}
    assert stats["sites"]["vnexpress"]["outcomes"] == {"error": 2, "kept": 1}
    assert (stats["files_done"], stats["files_new"], stats["files_failed"]) == (1, 1, {})
    assert (out / DONE_FOLDER / f"{input_key(str(warc))}.json").exists()
    assert [urlsplit(record["url"]).path for record in read_records(out)] == ARTICLES[:1]
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        f"{warc}: record {pages[1].url}: ValueError: offset must be a timedelta strictly between ...",
        f"{warc}: record {pages[2].url}: KeyError: 'summary'",
    ]
    # the marker is there: a rerun reads nothing and reports the same counts
    again = extract_warcs(["vnexpress"], [str(warc)], out, progress=False)
    assert (again["files_new"], again["outcomes"], again["errors"]) == (0, {"error": 2, "kept": 1}, stats["errors"])


def test_the_cli_reports_errors_and_a_warc_without_any(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "ok.warc.gz", [page("vnexpress", ARTICLES[0])])
    done = clsforge("warc", "--site", "vnexpress", "--input", str(warc), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout.strip().splitlines()[-1])
    assert (line["articles_kept"], line["errors"], line["files_changed"]) == (1, {}, [])


def test_a_local_file_replaced_under_the_same_name_is_read_again(tmp_path: Path) -> None:
    """Same name, other content (size and mtime differ): the marker's stat no longer matches, the file is
    redone (its old records replaced, not kept next to the new ones) and the JSON line names it."""
    warc = tmp_path / "re.warc"
    write_warc(warc, [page("vnexpress", path) for path in ARTICLES[:2]], compress=False)
    out = tmp_path / "out"

    def run() -> dict:
        done = clsforge("warc", "--site", "vnexpress", "--input", str(warc), "--out", str(out))
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = run()
    assert (first["files_new"], first["records_read"], first["articles_kept"], first["files_changed"]) == (1, 2, 2, [])
    marker = json.loads((out / DONE_FOLDER / f"{input_key(str(warc))}.json").read_text())
    assert marker["stat"] == {"size": warc.stat().st_size, "mtime_ns": warc.stat().st_mtime_ns}

    unchanged = run()  # same file: not read again
    assert (unchanged["files_new"], unchanged["records_read"], unchanged["files_changed"]) == (0, 2, [])

    write_warc(warc, [page("vnexpress", ARTICLES[2])], compress=False)
    os.utime(warc, ns=(marker["stat"]["mtime_ns"] + 10**9,) * 2)  # later, even on a coarse-mtime file system
    replaced = run()
    assert (replaced["files_new"], replaced["records_read"], replaced["articles_kept"]) == (1, 1, 1)
    assert replaced["files_changed"] == [str(warc)]
    assert [urlsplit(record["url"]).path for record in read_records(out)] == ARTICLES[2:]


def test_a_local_file_touched_with_the_same_size_is_read_again(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "t.warc.gz", [page("vnexpress", ARTICLES[0])])
    out = tmp_path / "out"
    extract_warcs(["vnexpress"], [str(warc)], out, progress=False)
    stat = warc.stat()
    os.utime(warc, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5 * 10**9))
    again = extract_warcs(["vnexpress"], [str(warc)], out, progress=False)
    assert (again["files_new"], again["files_changed"], again["articles_kept"]) == (1, [str(warc)], 1)
    assert len(read_records(out)) == 1


def test_a_marker_without_a_stat_is_redone_once(tmp_path: Path) -> None:
    """A local input's marker from before stats were stored cannot prove the file unchanged: redone once."""
    warc = write_warc(tmp_path / "old.warc.gz", [page("vnexpress", ARTICLES[0])])
    out = tmp_path / "out"
    extract_warcs(["vnexpress"], [str(warc)], out, progress=False)
    marker = out / DONE_FOLDER / f"{input_key(str(warc))}.json"
    counts = json.loads(marker.read_text())
    marker.write_text(json.dumps({key: value for key, value in counts.items() if key != "stat"}))
    again = extract_warcs(["vnexpress"], [str(warc)], out, progress=False)
    assert (again["files_new"], again["files_changed"], again["articles_kept"]) == (1, [str(warc)], 1)
    assert json.loads(marker.read_text())["stat"] == counts["stat"]


def test_the_flows_per_file_task_rereads_a_replaced_file_in_its_folder(tmp_path: Path) -> None:
    """The Prefect cache reruns `extract_warc_file` for a replaced local file (size + mtime in its key);
    the task's folder then holds the old marker, which must not make it skip the file."""
    from flows.archives import extract_warc_file

    warc = write_warc(tmp_path / "a.warc.gz", [page("vnexpress", path) for path in ARTICLES[:2]])
    folder = tmp_path / "ccnews" / "00" / input_key(str(warc))
    assert extract_warc_file.fn(["vnexpress"], str(warc), folder, {}) == {"input": str(warc), "records_read": 2, "articles": 2}
    write_warc(warc, [page("vnexpress", ARTICLES[2])])
    os.utime(warc, ns=(warc.stat().st_atime_ns, warc.stat().st_mtime_ns + 10**9))
    assert extract_warc_file.fn(["vnexpress"], str(warc), folder, {}) == {"input": str(warc), "records_read": 1, "articles": 1}
    assert [urlsplit(record["url"]).path for record in read_records(folder)] == ARTICLES[2:]


def test_a_record_raising_before_its_site_is_known_is_counted_without_a_site(tmp_path: Path, monkeypatch, caplog) -> None:
    from crawl.warc.hosts import HostMatcher

    pages = [page("vnexpress", path) for path in ARTICLES[:2]]
    warc = write_warc(tmp_path / "host.warc.gz", pages)
    site_for = HostMatcher.site_for

    def raising_site_for(self, url):
        if url == pages[0].url:
            raise RuntimeError("host table broken")
        return site_for(self, url)

    monkeypatch.setattr(HostMatcher, "site_for", raising_site_for)
    with caplog.at_level(logging.WARNING, logger="crawl.warc.run"):
        stats = extract_warcs(["vnexpress"], [str(warc)], tmp_path / "out", progress=False)
    assert (stats["outcomes"], stats["errors"]) == ({"error": 1, "kept": 1}, {"RuntimeError": 1})
    assert stats["sites"]["vnexpress"]["records"] == 1 and stats["sites"]["vnexpress"]["errors"] == {}
    assert [r.getMessage() for r in caplog.records] == [f"{warc}: record {pages[0].url}: RuntimeError: host table broken"]
