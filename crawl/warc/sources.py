"""WARC inputs: local files, http(s) URLs streamed, s3:// objects, and CC-NEWS `warc.paths.gz` listings."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import urllib.error
import urllib.request
from contextlib import contextmanager
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

# Where the relative paths of a Common Crawl listing live (also: s3://commoncrawl/).
COMMONCRAWL_BASE = "https://data.commoncrawl.org/"
USER_AGENT = "clsforge-warc/0.1 (reads Common Crawl archives)"
TIMEOUT_S = 60
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_PATH_MONTH = re.compile(r"/(\d{4})/(\d{2})/")


@contextmanager
def open_input(name: str) -> Iterator[BinaryIO]:
    """A binary stream of a WARC input, read as it arrives (a URL is never saved whole).

    Args:
        name: a local path, an `http(s)://` URL, or an `s3://bucket/key` (needs boto3 and credentials).

    Raises:
        OSError: a missing file; ConnectionError naming the URL for an HTTP error or an unreachable host.
        ValueError: an `s3://` input without boto3 installed, or an unsupported URL scheme.
    """
    scheme = urlsplit(name).scheme
    if scheme in ("http", "https"):
        request = urllib.request.Request(name, headers={"User-Agent": USER_AGENT})
        try:
            response = urllib.request.urlopen(request, timeout=TIMEOUT_S)
        except urllib.error.HTTPError as exc:
            raise ConnectionError(f"could not fetch {name}: HTTP {exc.code} {exc.reason}") from exc
        except urllib.error.URLError as exc:  # urllib's message names no URL: "<urlopen error ...>"
            raise ConnectionError(f"could not fetch {name}: {exc.reason}") from exc
        with response:
            yield _LengthChecked(response, response.headers.get("Content-Length"))
    elif scheme == "s3":
        yield _open_s3(name)
    elif scheme and len(scheme) > 1:  # (one letter: a Windows drive)
        raise ValueError(f"unsupported WARC input {name!r}: give a local path, an http(s):// URL or an s3:// URL")
    else:
        with open(name, "rb") as stream:
            yield stream


def local_stat(name: str) -> dict | None:
    """{"size": bytes, "mtime_ns": ns} of a local input, what its done-marker keeps to notice a file
    replaced under the same name; None for a URL (archives are immutable) or a file that is gone."""
    scheme = urlsplit(name).scheme
    if scheme and len(scheme) > 1:
        return None
    try:
        stat = os.stat(name)
    except OSError:
        return None
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


class _LengthChecked:
    """A response body that raises IncompleteRead when the connection ends before Content-Length bytes
    (http.client's `read(n)` just returns less, which would look like a truncated WARC file)."""

    def __init__(self, stream: BinaryIO, length: str | None):
        self.stream, self.expected, self.seen = stream, int(length) if (length or "").isdigit() else None, 0

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes; b"" only at the real end of the body."""
        data = self.stream.read(size)
        self.seen += len(data)
        if not data and size and self.expected is not None and self.seen < self.expected:
            raise http.client.IncompleteRead(b"", self.expected - self.seen)
        return data


def _open_s3(name: str) -> BinaryIO:
    try:
        import boto3  # optional: only s3:// inputs need it
    except ImportError:
        raise ValueError(f"reading {name} needs boto3 (pip install boto3) and AWS credentials") from None
    parts = urlsplit(name)
    return boto3.client("s3").get_object(Bucket=parts.netloc, Key=parts.path.lstrip("/"))["Body"]


def listed_inputs(
    paths_file: str, base_url: str = COMMONCRAWL_BASE, from_month: str | None = None, to_month: str | None = None
) -> list[str]:
    """The WARC inputs named in a Common Crawl paths listing (`warc.paths.gz` or plain text).

    Args:
        paths_file: local path or URL of the listing; one path a line, e.g.
            `crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101012345-00001.warc.gz`.
        base_url: prefix of relative paths (Common Crawl's HTTPS endpoint by default).
        from_month / to_month: `YYYY-MM`, inclusive; a path's month is its `/YYYY/MM/` folder.

    Raises:
        ValueError: a month not written YYYY-MM, or from after to.
    """
    for month in (from_month, to_month):
        if month is not None and not _MONTH.match(month):
            raise ValueError(f"a month is written YYYY-MM, got {month!r}")
    if from_month and to_month and from_month > to_month:
        raise ValueError(f"--to {to_month} is before --from {from_month}")
    with open_input(paths_file) as stream:
        data = stream.read()
    if data.startswith(b"\x1f\x8b"):
        data = gzip.decompress(data)
    inputs = []
    for line in data.decode("utf-8").splitlines():
        path = line.strip()
        if not path or path.startswith("#"):
            continue
        found = _PATH_MONTH.search("/" + path)
        month = f"{found.group(1)}-{found.group(2)}" if found else None
        if (from_month or to_month) and month is None:
            continue
        if (from_month and month < from_month) or (to_month and month > to_month):
            continue
        inputs.append(path if urlsplit(path).scheme or path.startswith("/") else base_url.rstrip("/") + "/" + path)
    return inputs


def ccnews_listings(from_month: str, to_month: str | None = None, base_url: str = COMMONCRAWL_BASE) -> list[str]:
    """The URLs of CC-NEWS's monthly listings `crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`, from..to inclusive."""
    to_month = to_month or from_month
    for month in (from_month, to_month):
        if not _MONTH.match(month):
            raise ValueError(f"a month is written YYYY-MM, got {month!r}")
    year, month = map(int, from_month.split("-"))
    listings = []
    while f"{year:04d}-{month:02d}" <= to_month:
        listings.append(f"{base_url.rstrip('/')}/crawl-data/CC-NEWS/{year:04d}/{month:02d}/warc.paths.gz")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return listings


def resolve_inputs(
    inputs: list[str] | None = None,
    paths_files: list[str] | None = None,
    from_month: str | None = None,
    to_month: str | None = None,
    base_url: str | None = None,
) -> list[str]:
    """The WARC inputs of a request: explicit `inputs`, or those listed in `paths_files` within the
    months; months alone mean CC-NEWS's own monthly listings.

    Raises:
        ValueError: inputs and listings both given, months with explicit inputs, a month not written
            YYYY-MM, --to before --from, or nothing to read.
        ConnectionError: a listing URL could not be fetched (named).
    """
    base_url = base_url or COMMONCRAWL_BASE
    for month in (from_month, to_month):
        if month is not None and not _MONTH.match(month):
            raise ValueError(f"a month is written YYYY-MM, got {month!r}")
    if from_month and to_month and from_month > to_month:
        raise ValueError(f"--to {to_month} is before --from {from_month}")
    if inputs and (paths_files or from_month or to_month):
        raise ValueError("give WARC inputs or a paths listing (with months), not both")
    if inputs:
        return list(inputs)
    if not paths_files and (from_month or to_month):
        if not from_month:
            raise ValueError("months without a paths file need a first month (--from)")
        paths_files = ccnews_listings(from_month, to_month, base_url)
    listed = [name for listing in paths_files or [] for name in listed_inputs(listing, base_url, from_month, to_month)]
    if paths_files and not listed:
        raise ValueError("the paths listing names no WARC file in the --from/--to range")
    return listed
