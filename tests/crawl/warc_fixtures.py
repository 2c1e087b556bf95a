"""WARC files for the tests, written with warcio from the crawl fixtures, plus the faults of real archives."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from crawl.sites import get_profile
from crawl.warc.writer import Page, site_pages, write_warc

from .conftest import FIXTURES

WARC_DATE = "2024-11-13T10:25:00Z"
CRAWLED_AT = "2024-11-13T10:25:00+00:00"


def profile_host(site: str) -> str:
    """The host of a profile's first start URL ("vnexpress.net"); generic gets "news.example"."""
    urls = get_profile(site).start_urls
    return urls[0].split("/")[2] if urls else "news.example"


def fixture_pages(site: str) -> list[Page]:
    """Every file of a crawl fixture site as archived at the site's real host (expected.json left out)."""
    pages = site_pages(FIXTURES / site, f"https://{profile_host(site)}")
    return [page for page in pages if not page.url.endswith("/expected.json")]


def page(site: str, path: str) -> Page:
    """One fixture page of `site` by its path ("/gia-ca-phe-lap-dinh-moi-4796310.html")."""
    url = f"https://{profile_host(site)}{path}"
    return next(p for p in fixture_pages(site) if p.url == url)


def member(tmp: Path, one: Page) -> bytes:
    """The gzip member (one WARC record) warcio writes for `one`."""
    path = write_warc(tmp / "member.warc.gz", [one])
    return path.read_bytes()


def chunked(body: bytes, size: int = 1000) -> bytes:
    """`body` in HTTP/1.1 chunked transfer coding."""
    chunks = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def fault_warc(tmp: Path) -> Path:
    """A .warc.gz with one record of each kind an archive holds (vnexpress + dantri pages), in order:

    kept (plain), kept (chunked + gzip), kept (dantri, windows-1258), other host, other host with a
    broken gzip body, broken gzip member, truncated record, PDF, revisit, request record, HTTP 404,
    broken gzip body, undecodable charset, listing page, page without sapo (dropped: no_summary),
    and last a member cut off by the end of the file (truncated).
    """
    article = page("vnexpress", "/gia-ca-phe-lap-dinh-moi-4796310.html")
    other = page("vnexpress", "/ca-sot-xuat-huyet-tang-4796422.html")
    encoded = Page(other.url, chunked(gzip.compress(other.body)), "text/html; charset=utf-8",
                   headers=(("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")))
    cp1258 = page("dantri", "/kinh-doanh/trang-ma-windows-1258-20250316100000009.htm")
    broken_body = (("Content-Encoding", "gzip"),)
    base = "https://vnexpress.net"
    bad_charset_body = article.body.decode("utf-8").encode("cp1258", errors="replace")
    records = [
        member(tmp, article),
        member(tmp, encoded),
        member(tmp, cp1258),
        member(tmp, Page("https://example.com/tin-tuc/bai-viet-1234567.html", article.body)),
        member(tmp, Page("https://example.com/hong-4796999.html", b"not gzip", headers=broken_body)),
        _corrupted(member(tmp, Page(base + "/hong-4796401.html", article.body))),
        _cut_record(member(tmp, Page(base + "/cut-4796402.html", article.body))),
        member(tmp, Page(base + "/bao-cao-4796403.pdf", b"%PDF-1.4\n" + b"0" * 500, "application/pdf")),
        member(tmp, Page(article.url, b"", record_type="revisit")),
        member(tmp, Page(article.url, b"GET / HTTP/1.1\r\n\r\n", "application/http; msgtype=request", record_type="request")),
        member(tmp, Page(base + "/mat-4796404.html", b"<html>not found</html>", "text/html", status="404 Not Found")),
        # binary: not a body the archiver already decoded (that one is read as it is: test_warc_payload.py)
        member(tmp, Page(base + "/gzip-hong-4796405.html", _broken_gzip(article.body), headers=broken_body)),
        member(tmp, Page(base + "/sai-ma-4796406.html", bad_charset_body, "text/html; charset=utf-8")),
        member(tmp, page("vnexpress", "/kinh-doanh")),
        member(tmp, page("vnexpress", "/khong-co-sapo-gia-ca-phe-lap-dinh-moi-4796310.html")),
    ]
    last = member(tmp, Page(base + "/cuoi-4796407.html", article.body))
    path = tmp / "faults.warc.gz"
    path.write_bytes(b"".join(records) + last[: len(last) // 2])
    return path


FAULT_OUTCOMES = {
    "bad_charset": 1, "bad_payload": 1, "broken_gzip_member": 1, "dropped": 1, "http_status": 1, "kept": 3,
    "not_an_article": 1, "not_html": 1, "not_response": 1, "other_host": 2, "revisit": 1, "truncated": 2,
}


def _broken_gzip(body: bytes) -> bytes:
    """`body` gzipped, its deflate data overwritten right after the gzip header (no byte decodes)."""
    data = gzip.compress(body)
    return data[:10] + b"\xff" * 64 + data[74:]


def _corrupted(data: bytes) -> bytes:
    """A gzip member whose deflate data is overwritten in the middle (zlib rejects it)."""
    middle = len(data) // 2
    return data[:middle] + b"\xff" * 64 + data[middle + 64:]


def _cut_record(data: bytes) -> bytes:
    """A valid gzip member holding a record 300 bytes shorter than its Content-Length says."""
    record = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data)
    return gzip.compress(record[:-300])
