"""A WARC record with a wrong Content-Length, or junk between records, costs that record only: reading
resynchronises at the next `WARC/1.x` line, and every record read is kept or counted once (issue 14)."""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

import pytest

from crawl.warc import members
from crawl.warc.members import raw_records
from crawl.warc.run import extract_warcs
from crawl.warc.writer import Page, write_warc

from .conftest import FIXTURES, read_records

ARTICLE = (FIXTURES / "charset" / "thu-tuong-yeu-cau-day-nhanh-giai-ngan-4796501.html").read_bytes()
URLS = [f"https://vnexpress.net/p-479690{i}.html" for i in range(4)]


def pages() -> list[Page]:
    """Four distinct vnexpress articles (each passes the gates and dedup)."""
    def variant(i: int) -> bytes:
        return ARTICLE.replace("Tại hội nghị".encode(), f"Phiên bản {i}: tại hội nghị".encode()).replace(
            "đầu tư công</h1>".encode(), f"đầu tư công số {i}</h1>".encode())
    return [Page(url, variant(20 + i)) for i, url in enumerate(URLS)]


def records_of(data: bytes) -> list[bytes]:
    """The records of a plain WARC written by write_warc, each with its trailing CRLF CRLF."""
    starts = [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\n", data)] + [len(data)]
    return [data[a:b] for a, b in zip(starts, starts[1:])]


def with_length(record: bytes, change) -> bytes:
    found = re.search(rb"Content-Length: (\d+)\r\n", record)
    return record.replace(found.group(0), change(int(found.group(1))), 1)


def plain_records(tmp_path: Path) -> list[bytes]:
    warc = write_warc(tmp_path / "good.warc", pages(), compress=False)
    records = records_of(warc.read_bytes())
    assert len(records) == 4 and records[0].startswith(b"WARC/1.")
    return records


SHORT = lambda n: b"Content-Length: %d\r\n" % (n - 10)  # noqa: E731
LONG = lambda n: b"Content-Length: %d\r\n" % (n + 10)  # noqa: E731
NONE = lambda n: b""  # noqa: E731


def extract(tmp_path: Path, name: str, data: bytes) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    return extract_warcs(["vnexpress"], [str(path)], tmp_path / f"out-{name}", progress=False)


def kept_urls(tmp_path: Path, name: str) -> list[str]:
    return [record["url"] for record in read_records(tmp_path / f"out-{name}")]


@pytest.mark.parametrize("change", [SHORT, LONG, NONE], ids=["too_small", "too_large", "missing"])
@pytest.mark.parametrize("damaged", [0, 1, 2])
def test_a_wrong_content_length_costs_one_record_and_reading_goes_on(tmp_path: Path, change, damaged: int) -> None:
    records = plain_records(tmp_path)
    records[damaged] = with_length(records[damaged], change)
    stats = extract(tmp_path, "bad.warc", b"".join(records))
    assert stats["outcomes"] == {"bad_content_length": 1, "kept": 3}
    assert stats["records_read"] == 4
    assert stats["sites"]["vnexpress"]["articles"] == 3
    assert kept_urls(tmp_path, "bad.warc") == [url for i, url in enumerate(URLS) if i != damaged]


@pytest.mark.parametrize("read_size", [1 << 20, 7, 1000])
def test_raw_records_start_where_the_real_records_start(tmp_path: Path, monkeypatch, read_size: int) -> None:
    """Also with reads of 7 and 1000 bytes: record starts, separators and damaged spans cross read boundaries."""
    monkeypatch.setattr(members, "READ_SIZE", read_size)
    records = plain_records(tmp_path)
    records[1] = with_length(records[1], SHORT)
    records[2] = with_length(records[2], LONG)
    junk = b"junk\r\n" * 300
    path = tmp_path / "bad.warc"
    path.write_bytes(b"".join(records) + junk + records[0])
    with path.open("rb") as stream:
        read = [(raw.offset, raw.problem, raw.data) for raw in raw_records(stream)]
    starts = [sum(len(r) for r in records[:i]) for i in range(5)]
    assert [(offset, problem) for offset, problem, _ in read] == [
        (starts[0], None), (starts[1], "bad_content_length"), (starts[2], "bad_content_length"), (starts[3], None),
        (starts[4], "not_a_warc_record"), (starts[4] + len(junk), None)]
    assert read[0][2] == read[5][2] == records[0].removesuffix(b"\r\n\r\n")
    assert read[3][2] == records[3].removesuffix(b"\r\n\r\n")


def test_the_last_record_with_a_wrong_length(tmp_path: Path) -> None:
    """Too small: its tail is not followed by a record: counted. Too large: the file ends inside the
    block it claims, which is what a cut-off file looks like: truncated."""
    records = plain_records(tmp_path)
    short = extract(tmp_path, "short.warc", b"".join(records[:3] + [with_length(records[3], SHORT)]))
    assert (short["outcomes"], short["records_read"]) == ({"bad_content_length": 1, "kept": 3}, 4)
    long = extract(tmp_path, "long.warc", b"".join(records[:3] + [with_length(records[3], LONG)]))
    assert (long["outcomes"], long["records_read"]) == ({"kept": 3, "truncated": 1}, 4)


def test_junk_between_records_is_counted_once_and_the_next_record_is_read(tmp_path: Path) -> None:
    records = plain_records(tmp_path)
    junk = b"<html>stray bytes\r\n\r\nWARC/0.9 no\r\n" * 50
    stats = extract(tmp_path, "junk.warc", records[0] + junk + b"".join(records[1:]))
    assert stats["outcomes"] == {"kept": 4, "not_a_warc_record": 1}
    assert stats["records_read"] == 5
    assert kept_urls(tmp_path, "junk.warc") == URLS


def test_a_gzip_member_with_a_wrong_content_length_inside(tmp_path: Path) -> None:
    """Per-record gzip: a length too small leaves bytes after the block (counted bad_content_length);
    a length too large claims more than the member holds, as a record cut before compression does
    (counted truncated). Either way the other members are read."""
    records = plain_records(tmp_path)
    for change, outcome in ((SHORT, "bad_content_length"), (LONG, "truncated")):
        members = [gzip.compress(r) for r in records[:1]] + [gzip.compress(with_length(records[1], change))]
        members += [gzip.compress(r) for r in records[2:]]
        stats = extract(tmp_path, f"{outcome}.warc.gz", b"".join(members))
        assert (stats["outcomes"], stats["records_read"]) == ({outcome: 1, "kept": 3}, 4)
        assert kept_urls(tmp_path, f"{outcome}.warc.gz") == [URLS[0], URLS[2], URLS[3]]


def test_a_whole_file_gzip_with_a_wrong_content_length_inside(tmp_path: Path) -> None:
    records = plain_records(tmp_path)
    records[2] = with_length(records[2], LONG)
    stats = extract(tmp_path, "whole.warc.gz", gzip.compress(b"".join(records)))
    assert (stats["outcomes"], stats["records_read"]) == ({"bad_content_length": 1, "kept": 3}, 4)


@pytest.mark.parametrize("wbits", [-15, 15], ids=["raw_deflate", "zlib_deflate"])
def test_content_encoding_deflate_with_or_without_the_zlib_header(tmp_path: Path, wbits: int) -> None:
    """IIS sends `deflate` as raw deflate data (RFC 1951), the RFC says zlib (RFC 1950): both decode."""
    page = pages()[0]
    packer = zlib.compressobj(wbits=wbits)
    body = packer.compress(page.body) + packer.flush()
    warc = write_warc(tmp_path / "deflate.warc.gz", [Page(page.url, body, headers=(("Content-Encoding", "deflate"),))])
    stats = extract_warcs(["vnexpress"], [str(warc)], tmp_path / "out", progress=False)
    assert stats["outcomes"] == {"kept": 1}
    plain = write_warc(tmp_path / "plain.warc.gz", [page])
    extract_warcs(["vnexpress"], [str(plain)], tmp_path / "plain", progress=False)
    strip = lambda r: {k: v for k, v in r.items() if k != "crawled_at"}  # noqa: E731
    assert [strip(r) for r in read_records(tmp_path / "out")] == [strip(r) for r in read_records(tmp_path / "plain")]


def test_deflate_that_is_neither_zlib_nor_raw_deflate(tmp_path: Path) -> None:
    # Binary bytes that do not inflate are a bad payload; a text body under the header was already decoded by
    # the archiver and is read as it is (crawl/warc/payload.py), here a page that is no article.
    bodies = [bytes(range(256)) * 4, b"not deflate data at all"]
    warc = write_warc(tmp_path / "bad.warc.gz", [Page(f"https://vnexpress.net/d-479700{i}.html", body,
                                                      headers=(("Content-Encoding", "deflate"),))
                                                 for i, body in enumerate(bodies)])
    stats = extract_warcs(["vnexpress"], [str(warc)], tmp_path / "out", progress=False)
    assert (stats["outcomes"], stats["records_read"]) == ({"bad_payload": 1, "not_an_article": 1}, 2)
