"""A WARC stream cut into raw records: gzip members one at a time, or plain WARC records.

Common Crawl writes one gzip member per record, which is what makes recovery possible: a broken
member is counted and skipped by scanning for the next gzip header, and a stream that ends inside a
member or a record is counted as truncated. fastwarc and warcio both stop at the first broken
member (OSError / ArchiveLoadFailed), so this small splitter sits in front of fastwarc's parser.

Records (of a plain `.warc`, and inside each decompressed gzip member) are cut by their
Content-Length, and the cut is checked: a record ends where the separator CRLF CRLF follows its block,
or where CR/LF bytes lead to the next `WARC/1.x` line or the end of the input. When it does not (a
Content-Length too small or too large), or the header has no Content-Length, the record is counted
once as BAD_LENGTH and reading resumes at the next line that starts `WARC/1.0` or `WARC/1.1`; bytes
that are not a record where one should start are counted once as NOT_WARC, the same way. So one
damaged record costs that record, not the rest of the file. A record whose claimed block runs past the end of the input, with no record
start after its header, is handed on as it is: records.py counts it as truncated.
"""

from __future__ import annotations

import io
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
BAD_LENGTH = "bad_content_length"
_CONTENT_LENGTH = re.compile(rb"\r\nContent-Length:[ \t]*(\d+)", re.IGNORECASE)
_RECORD_START = re.compile(rb"WARC/1\.[01]\r\n")
_NEXT_RECORD = re.compile(rb"\nWARC/1\.[01]\r\n")  # a record start at the start of a line
_START_LEN = len(b"\nWARC/1.0\r\n")


@dataclass
class RawRecord:
    """One gzip member's (or one plain record's) bytes, or the reason there are none.

    Attributes:
        offset: byte offset in the input where the record starts (in a gzipped input: where its gzip
            member starts).
        data: the (decompressed) bytes of one WARC record, headers + block, without the separator
            (its block is short when the input ends inside it); None when `problem` is set.
        problem: None, BROKEN_MEMBER (bad gzip data), TRUNCATED (the input ends inside its header,
            or inside the gzip member), NOT_WARC (bytes that are not a WARC record where one should
            start, counted once up to the next record start) or BAD_LENGTH (a record whose
            Content-Length is missing or does not end it; see the module docstring).
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
                    yield from _member_records(start, b"".join(parts))
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


def _member_records(start: int, data: bytes) -> Iterator[RawRecord]:
    """The records of one gzip member's data (one in a `.warc.gz`, all of them in a whole-file gzip),
    split and checked like a plain WARC; each carries the member's offset. An empty member is NOT_WARC."""
    found = False
    for record in _plain_records(io.BytesIO(), data):
        found = True
        yield RawRecord(start, record.data, record.problem)
    if not found:
        yield RawRecord(start, problem=NOT_WARC)


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
    """Plain WARC records, each checked against the next record start (module docstring)."""
    buffer = _Buffer(stream, pending)
    while True:
        buffer.compact(READ_SIZE)  # not after every small record: each drop copies the rest of the buffer
        buffer.skip_newlines()
        if not buffer.fill(buffer.pos + 1):
            return
        start = buffer.offset + buffer.pos
        buffer.fill(buffer.pos + _START_LEN)
        if not _RECORD_START.match(buffer.data, buffer.pos):
            yield RawRecord(start, problem=NOT_WARC)
            buffer.seek_record(buffer.pos)
            continue
        head_end = buffer.find(b"\r\n\r\n")
        if head_end < 0:
            yield RawRecord(start, problem=TRUNCATED)
            return
        length = _CONTENT_LENGTH.search(buffer.data, buffer.pos, head_end + 2)
        if length is None:
            yield RawRecord(start, problem=BAD_LENGTH)
            buffer.seek_record(head_end)
            continue
        end = head_end + 4 + int(length.group(1))
        if not buffer.fill(end):  # the input ends inside the block it claims
            if _NEXT_RECORD.search(buffer.data, head_end) is None:
                yield RawRecord(start, buffer.data[buffer.pos:])  # cut off: records.py counts it (truncated)
                return
            yield RawRecord(start, problem=BAD_LENGTH)  # the length runs into the next record
            buffer.seek_record(head_end)
            continue
        if buffer.record_ends_at(end):
            yield RawRecord(start, buffer.data[buffer.pos:end])
            buffer.pos = end
            continue
        yield RawRecord(start, problem=BAD_LENGTH)
        buffer.seek_record(head_end)


class _Buffer:
    """The unread bytes of a stream: `data[pos:]`, where `data[0]` is at input offset `offset`.

    Indices into `data` stay valid until `compact()`, which drops the bytes before `pos` (between
    records once they are more than READ_SIZE, and while scanning past damaged bytes), so memory stays
    at about one record plus two READ_SIZE.
    """

    def __init__(self, stream: BinaryIO, pending: bytes) -> None:
        self.stream, self.data, self.pos, self.offset, self.eof = stream, pending, 0, 0, False

    def compact(self, least: int = 0) -> None:
        """Drop the bytes before `pos` when there are more than `least` of them."""
        if self.pos > least:
            self.data, self.offset, self.pos = self.data[self.pos:], self.offset + self.pos, 0

    def fill(self, size: int) -> bool:
        """Read until `data` holds `size` bytes; False when the input ends first."""
        while len(self.data) < size and not self.eof:
            more = self.stream.read(max(READ_SIZE, size - len(self.data)))
            if more:
                self.data += more
            else:
                self.eof = True
        return len(self.data) >= size

    def find(self, needle: bytes) -> int:
        """Index of `needle` at or after `pos`, reading on as needed; -1 when the input ends first."""
        searched = self.pos
        while (found := self.data.find(needle, searched)) < 0:
            searched = max(self.pos, len(self.data) - len(needle) + 1)
            if not self.fill(len(self.data) + 1):
                return -1
        return found

    def skip_newlines(self) -> None:
        """Move `pos` past CR and LF bytes (separators between records)."""
        while True:
            while self.pos < len(self.data) and self.data[self.pos] in b"\r\n":
                self.pos += 1
            if self.pos < len(self.data) or not self.fill(len(self.data) + 1):
                return

    def record_ends_at(self, end: int) -> bool:
        """True when a record can end at index `end`: the record separator CRLF CRLF follows (what comes
        after it is the next record's business), or CR/LF bytes, then a record start or the end of the input."""
        self.fill(end + 4)
        if self.data.startswith(b"\r\n\r\n", end):
            return True
        after = end
        while True:
            self.fill(after + _START_LEN)
            while after < len(self.data) and self.data[after] in b"\r\n":
                after += 1
            if after < len(self.data) or self.eof:
                break
        if after == len(self.data):
            return True
        self.fill(after + _START_LEN)
        return _RECORD_START.match(self.data, after) is not None

    def seek_record(self, after: int) -> None:
        """Move `pos` to the next line that starts a record, past index `after` (to the end of the input
        when there is none), dropping the bytes scanned."""
        while (found := _NEXT_RECORD.search(self.data, after)) is None:
            self.pos = max(self.pos, len(self.data) - _START_LEN)
            self.compact()
            after = 0
            if not self.fill(len(self.data) + 1):
                self.pos = len(self.data)
                return
        self.pos = found.start() + 1
