"""`clsforge warc` refuses what it cannot read and redoes what other options would make differently."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from crawl.warc.run import DONE_FOLDER, OPTIONS_FILE, extract_warcs
from crawl.warc.writer import write_warc
from tests.cli import clsforge

from .warc_fixtures import fixture_pages


def one_error_line(done) -> str:
    """The single stderr line of a failed command (exit 2)."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("clsforge: error: "), done.stderr
    return lines[0].removeprefix("clsforge: error: ")


@pytest.mark.parametrize("name, data", [("notwarc.warc", b"just some text\nand more\n"),
                                        ("notwarc.gz", gzip.compress(b"just some text\nand more\n"))])
def test_a_file_that_is_not_warc_is_refused_and_not_marked_done(name: str, data: bytes, tmp_path: Path) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "out"
    for _attempt in range(2):  # not marked done: a rerun reads it again and refuses it again
        done = clsforge("warc", "--site", "vnexpress", "--input", str(bad), "--out", str(out))
        assert one_error_line(done) == f"{bad} is not a WARC file"
        assert list((out / DONE_FOLDER).iterdir()) == []
    assert not list(out.glob("*.jsonl")) and not list(out.glob(".*.tmp"))


def test_a_bad_input_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not an archive\n")
    good = write_warc(tmp_path / "good.warc.gz", fixture_pages("vnexpress"))
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=f"^{bad} is not a WARC file$"):
        extract_warcs(["vnexpress"], [str(bad), str(good)], out, progress=False)
    stats = json.loads((out / "crawl_stats.json").read_text())
    assert (stats["files_done"], stats["files_total"], stats["articles_kept"]) == (1, 2, 3)
    assert stats["files_failed"] == {str(bad): "not a WARC file"}


def test_a_rerun_with_other_hosts_or_language_rereads_the_files(tmp_path: Path) -> None:
    warc = str(write_warc(tmp_path / "a.warc.gz", fixture_pages("generic")))
    out = tmp_path / "out"

    def run(*args: str) -> dict:
        done = clsforge("warc", "--site", "generic", "--input", warc, "--out", str(out), *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = run("--host", "other.example")
    assert (first["articles_kept"], first["outcomes"]) == (0, {"other_host": 9})
    second = run("--host", "news.example")
    assert (second["articles_kept"], second["files_new"], second["options_changed"]) == (4, 1, ["--host"])
    third = run("--host", "news.example")  # same options: nothing read again
    assert (third["articles_kept"], third["files_new"], third["options_changed"]) == (4, 0, [])
    fourth = run("--host", "news.example", "--lang", "th")
    assert (fourth["articles_kept"], fourth["options_changed"], fourth["dropped"]) == (0, ["--lang"], {"no_summary": 1, "wrong_language.vi": 4})
    assert len(list(out.glob("*.jsonl"))) == 0
    assert json.loads((out / OPTIONS_FILE).read_text()) == {
        "sites": ["generic"], "hosts": {"generic": ["news.example"]}, "lang": "th", "settings": {},
    }


def test_a_host_that_is_a_url_and_an_unknown_language_are_refused(tmp_path: Path) -> None:
    warc = str(write_warc(tmp_path / "a.warc.gz", fixture_pages("generic")))
    out = tmp_path / "out"
    done = clsforge("warc", "--site", "generic", "--host", "http://x/", "--input", warc, "--out", str(out))
    assert one_error_line(done) == "--host 'http://x/' is not a host or a host pattern (e.g. vnexpress.net, *.vnexpress.net)"
    done = clsforge("warc", "--site", "vnexpress", "--lang", "xx", "--input", warc, "--out", str(out))
    assert one_error_line(done).startswith("unknown language code 'xx': --lang takes one of py3langid's ")
    assert not out.exists()
    with pytest.raises(ValueError, match="unknown language code 'VI'"):
        extract_warcs(["vnexpress"], [warc], out, settings={"CLSFORGE_LANG": "VI"}, progress=False)


def test_month_and_listing_errors_name_the_month_or_url(tmp_path: Path) -> None:
    done = clsforge("warc", "--site", "vnexpress", "--from", "2024-05", "--to", "2024-01", "--out", str(tmp_path / "o"))
    assert one_error_line(done) == "--to 2024-01 is before --from 2024-05"
    done = clsforge("warc", "--site", "vnexpress", "--from", "2024-01", "--base-url", "http://127.0.0.1:9/",
                    "--out", str(tmp_path / "o"))
    message = one_error_line(done)
    assert message.startswith("could not fetch http://127.0.0.1:9/crawl-data/CC-NEWS/2024/01/warc.paths.gz: ")
    assert "Connection refused" in message
