"""A WARC stream cut into raw records: gzip members one at a time, or plain WARC records.

Common Crawl writes one gzip member per record, which is what makes recovery possible: a broken
member is counted and skipped by scanning for the next gzip header, and a stream that ends inside a
member or a record is counted as truncated. fastwarc and warcio both stop at the first broken
member (OSError / ArchiveLoadFailed), so this small splitter sits in front of fastwarc's parser.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b\x08"
READ_SIZE = 1 << 20
BROKEN_MEMBER = "broken_gzip_member"
TRUNCATED = "truncated"
NOT_WARC = "not_a_warc_record"
_CONTENT_LENGTH = re.compile(rb"\r\nContent-Length:[ \t]*(\d+)", re.IGNORECASE)


@dataclass
class RawRecord:
    """One gzip member's (or one plain record's) bytes, or the reason there are none.

    Attributes:
        offset: byte offset in the (compressed) input where the member or record starts.
        data: the decompressed bytes: one WARC record (headers + block) in a well-formed file; None
            when `problem` is set.
        problem: None, BROKEN_MEMBER (bad gzip data), TRUNCATED (the input ends inside it) or
            NOT_WARC (plain input that is not a WARC record where one should start).
    """

    offset: int
    data: bytes | None = None
    problem: str | None = None


def raw_records(stream: BinaryIO) -> Iterator[RawRecord]:
    """The raw records of a WARC input, gzipped per record (`.warc.gz`) or plain (`.warc`).

    The kind is detected from the first bytes, not the name (a streamed URL may have none).
    """
    head = stream.read(READ_SIZE)
    if head.startswith(GZIP_MAGIC):
        yield from _gzip_members(stream, head)
    elif head:
        yield from _plain_records(stream, head)


def block_is_short(data: bytes) -> bool:
    """True when a record's bytes hold fewer block bytes than its Content-Length header says."""
    head_end = data.find(b"\r\n\r\n")
    length = _CONTENT_LENGTH.search(data, 0, head_end + 2) if head_end >= 0 else None
    return length is None or len(data) < head_end + 4 + int(length.group(1))


def _gzip_members(stream: BinaryIO, pending: bytes) -> Iterator[RawRecord]:
    offset = 0  # input offset of pending[0]
    while pending:
        start, fed, parts = offset, [], []
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            while True:
                parts.append(inflater.decompress(pending))
                if inflater.eof:
                    used = len(pending) - len(inflater.unused_data)
                    offset, pending = offset + used, inflater.unused_data or stream.read(READ_SIZE)
                    yield RawRecord(start, b"".join(parts))
                    break
                fed.append(pending)
                offset += len(pending)
                pending = stream.read(READ_SIZE)
                if not pending:
                    yield RawRecord(start, problem=TRUNCATED)
                    return
        except zlib.error:
            yield RawRecord(start, problem=BROKEN_MEMBER)
            offset, pending = _next_member(stream, start, b"".join(fed) + pending)


def _next_member(stream: BinaryIO, start: int, data: bytes) -> tuple[int, bytes]:
    """(offset, bytes) from the next gzip header after the one at `start`; (end, b"") when none."""
    skip = 1
    while True:
        found = data.find(GZIP_MAGIC, skip)
        if found >= 0:
            return start + found, data[found:]
        more = stream.read(READ_SIZE)
        keep = data[-(len(GZIP_MAGIC) - 1):] if len(data) >= len(GZIP_MAGIC) else data
        start += len(data) - len(keep)
        if not more:
            return start + len(keep), b""
        data, skip = keep + more, 0


def _plain_records(stream: BinaryIO, pending: bytes) -> Iterator[RawRecord]:
    offset = 0
    while True:
        while not pending.strip(b"\r\n") and (more := stream.read(READ_SIZE)):
            pending += more
        stripped = pending.lstrip(b"\r\n")
        offset, pending = offset + len(pending) - len(stripped), stripped
        if not pending:
            return
        if not pending.startswith(b"WARC/"):
            yield RawRecord(offset, problem=NOT_WARC)
            return
        while (head_end := pending.find(b"\r\n\r\n")) < 0 and (more := stream.read(READ_SIZE)):
            pending += more
        length = _CONTENT_LENGTH.search(pending, 0, head_end + 2) if head_end >= 0 else None
        if length is None:
            yield RawRecord(offset, problem=TRUNCATED if head_end < 0 else NOT_WARC)
            return
        end = head_end + 4 + int(length.group(1))
        while len(pending) < end and (more := stream.read(max(READ_SIZE, end - len(pending)))):
            pending += more
        if len(pending) < end:
            yield RawRecord(offset, problem=TRUNCATED)
            return
        yield RawRecord(offset, pending[:end])
        offset, pending = offset + end, pending[end:]
