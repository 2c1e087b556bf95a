"""HTTP payload quirks of real archives read as the live crawl reads the page (crawl/warc/payload.py)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import brotli

from crawl.warc.run import extract_warcs
from crawl.warc.writer import Page, write_warc

from .conftest import FIXTURES, read_records

ARTICLE = (FIXTURES / "charset" / "thu-tuong-yeu-cau-day-nhanh-giai-ngan-4796501.html").read_bytes()


def version(i: int) -> bytes:
    """The article with its text made distinct (no duplicate_body drop between the versions)."""
    return ARTICLE.replace("Tại hội nghị".encode(), f"Phiên bản {i}: tại hội nghị".encode())


def raw_deflate(body: bytes) -> bytes:
    """`body` as deflate data without the zlib header (what some Microsoft servers send as `deflate`)."""
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(body) + packer.flush()


def chunked(body: bytes) -> bytes:
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


CE, TE = "Content-Encoding", "Transfer-Encoding"
# (path, body as archived, headers, kept?)
CASES = [
    ("/chunked-hdr-plain-4796951.html", version(1), ((TE, "chunked"),), True),
    ("/gzip-hdr-plain-4796952.html", version(2), ((CE, "gzip"),), True),
    ("/identity-4796953.html", version(3), ((CE, "identity"),), True),
    ("/utf8-hdr-4796954.html", version(4), ((CE, "UTF-8"),), True),
    ("/raw-deflate-4796955.html", raw_deflate(version(5)), ((CE, "deflate"),), True),
    ("/zlib-deflate-4796956.html", zlib.compress(version(6)), ((CE, "deflate"),), True),
    ("/both-hdrs-plain-4796957.html", version(7), ((TE, "chunked"), (CE, "gzip")), True),
    ("/br-hdr-plain-4796958.html", version(8), ((CE, "br"),), True),
    ("/chunked-gzip-4796959.html", chunked(gzip.compress(version(9))), ((TE, "chunked"), (CE, "gzip")), True),
    ("/brotli-4796960.html", brotli.compress(version(10)), ((CE, "br"),), True),
    ("/x-gzip-4796961.html", gzip.compress(version(11)), ((CE, "x-gzip"),), True),
    # compressed bytes under the wrong coding: binary, not text the archiver decoded -> bad_payload
    ("/br-under-gzip-4796962.html", brotli.compress(version(12)), ((CE, "gzip"),), False),
]


def test_payload_quirks_are_read_as_the_live_crawl_reads_them(tmp_path: Path) -> None:
    pages = [Page(f"https://vnexpress.net{path}", body, headers=headers) for path, body, headers, _ in CASES]
    warc = write_warc(tmp_path / "te.warc.gz", pages)
    stats = extract_warcs(["vnexpress"], [str(warc)], tmp_path / "out", progress=False)

    kept = [path for path, _, _, keep in CASES if keep]
    assert stats["outcomes"] == {"bad_payload": 1, "kept": len(kept)} == {"bad_payload": 1, "kept": 11}
    assert stats["records_read"] == len(CASES)
    # which path each page took: chunked header on a plain body (2), a coding on a decoded body
    # (gzip, br, and gzip under chunked: 3), an unknown coding ignored (UTF-8: 1)
    assert stats["decoding"] == {"payload_not_chunked": 2, "payload_not_encoded": 3, "payload_unknown_coding": 1}
    records = {urlsplit(record["url"]).path: record for record in read_records(tmp_path / "out")}
    assert sorted(records) == sorted(kept)
    for i, path in enumerate(kept, start=1):  # the same text as the plain page, in each version
        assert f"Phiên bản {i}: tại hội nghị" in records[path]["text"], path
