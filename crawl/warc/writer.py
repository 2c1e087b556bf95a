"""Write WARC files of pages (warcio): test fixtures, the benchmark's input, the demo site as an archive."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crawl.serve import CONTENT_TYPES, TEXT_SUFFIXES

WARC_DATE = "2024-11-13T10:25:00Z"


@dataclass
class Page:
    """One archived HTTP response: what the archive's crawler fetched at `url`.

    `headers` are further HTTP headers (e.g. Transfer-Encoding, Content-Encoding of an already
    encoded `body`); `record_type` "revisit" writes a payload-less revisit record.
    """

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = ()
    record_type: str = "response"
    date: str = WARC_DATE


def write_warc(path: Path, pages: Iterable[Page], compress: bool = True) -> Path:
    """Write `pages` as WARC response (or revisit) records to `path`, one gzip member each when `compress`."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        for page in pages:
            http = StatusAndHeaders(page.status, [("Content-Type", page.content_type), *page.headers], protocol="HTTP/1.1")
            warc_headers = {"WARC-Date": page.date}
            if page.record_type == "revisit":
                record = writer.create_revisit_record(
                    page.url, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refers_to_uri=page.url,
                    refers_to_date=page.date, http_headers=http,
                )
            else:
                record = writer.create_warc_record(
                    page.url, page.record_type, payload=io.BytesIO(page.body),
                    http_headers=http if page.record_type == "response" else None,
                    warc_headers_dict=warc_headers,
                )
            writer.write_record(record)
    return path


def site_pages(root: Path, base_url: str, prefix: str = "") -> list[Page]:
    """Every page file under `root` as it is served at `base_url` (crawl/serve.py: `{{base_url}}` filled
    in, the same content types); `prefix` is put before each path ("/vnexpress" for a sub-folder)."""
    root = Path(root)
    pages = []
    for file in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("_")):
        relative = file.relative_to(root).as_posix()
        body = file.read_bytes()
        if file.suffix in TEXT_SUFFIXES:
            body = body.replace(b"{{base_url}}", base_url.encode())
        url = f"{base_url}{prefix}/{relative.removesuffix('index.html')}"
        pages.append(Page(url, body, CONTENT_TYPES.get(file.suffix, "application/octet-stream")))
    return pages
