"""The HTTP body of a WARC response record decoded as the live crawl decodes it, with archive quirks.

- Transfer coding: `chunked` is undone by warcio's ChunkedDataReader (the reference WARC library). A
  `Transfer-Encoding: chunked` header kept on a body the archiver already de-chunked (wget, some
  warcprox / browsertrix WARCs) is read as the plain body it is, as warcio does.
- Content coding: Scrapy's HttpCompressionMiddleware, the live crawl's own decoder (gzip, x-gzip,
  deflate with or without its zlib header, br, zstd). A coding it does not know (`UTF-8`, a real
  misconfiguration) is left alone as the live crawl leaves it; `identity` means none.
- A content coding whose decoding fails on a body that is text (no control characters in its first
  KiB: compressed data has some there with near certainty) was already undone by the archiver: the
  body is used as it is (warcio's DecompressingBufferedReader falls back the same way). Binary bytes
  that do not decode stay a `BadPayload`.

Each fallback is counted in the site's `decoding` counters (crawl/stats.py DECODING).
"""

from __future__ import annotations

import io

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.python import binary_is_text

from crawl.stats import DECODING, count

# Notes counted under `decoding` (not outcomes: the page goes on).
NOT_CHUNKED = "payload_not_chunked"  # Transfer-Encoding: chunked on a plain body: read as it is
NOT_ENCODED = "payload_not_encoded"  # Content-Encoding on a body already decoded: read as it is
UNKNOWN_CODING = "payload_unknown_coding"  # a Content-Encoding neither crawl decodes: ignored
# Bytes of a body looked at to tell text from compressed data.
SNIFF_BYTES = 1024


class BadPayload(ValueError):
    """A body that its content coding does not decode and that is not text either (or too large)."""


def http_response(url: str, status: int, headers: list[tuple[str, str]], body: bytes, crawler) -> Response:
    """The Scrapy response the live crawl's downloader would have handed to the spider.

    Args:
        url: the record's WARC-Target-URI.
        status: the HTTP status code.
        headers: the HTTP headers as archived (Transfer-Encoding, Content-Encoding, Content-Length included).
        body: the HTTP body as archived (still in its transfer and content codings).
        crawler: an OfflineCrawler (its `compression` middleware and `stats`).

    Raises:
        BadPayload: a content coding that fails on a binary body, or a body decompressing past
            DOWNLOAD_MAXSIZE (the live crawl cancels those too).
    """
    from warcio.bufferedreaders import ChunkedDataReader

    transfer = _tokens(headers, "transfer-encoding")
    codings = [coding for coding in _tokens(headers, "content-encoding") if coding != "identity"]
    kept = Headers([(k, v) for k, v in headers if k.lower() not in ("transfer-encoding", "content-length", "content-encoding")])
    if "chunked" in transfer:
        reader = ChunkedDataReader(io.BytesIO(body))
        body = reader.read()
        if reader.not_chunked:
            count(crawler, DECODING, NOT_CHUNKED)
    if codings:
        kept["Content-Encoding"] = ", ".join(codings)
    request = Request(url, meta={"article": True})
    response_class = responsetypes.from_args(headers=kept, url=url, body=body)
    response = response_class(url=url, status=status, headers=kept, body=body, request=request)
    if not codings or crawler.compression is None:
        return response
    try:
        decoded = crawler.compression.process_response(request, response)
    except IgnoreRequest as exc:  # decompressed past DOWNLOAD_MAXSIZE
        raise BadPayload(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - each decoder raises its own (OSError, zlib.error, brotli.error, ...)
        if not binary_is_text(body[:SNIFF_BYTES]):
            raise BadPayload(f"{', '.join(codings)} body does not decode: {exc}") from exc
        count(crawler, DECODING, NOT_ENCODED)
        del kept["Content-Encoding"]
        response_class = responsetypes.from_args(headers=kept, url=url, body=body)
        return response_class(url=url, status=status, headers=kept, body=body, request=request)
    if decoded.headers.get("Content-Encoding"):
        count(crawler, DECODING, UNKNOWN_CODING)
    return decoded


def _tokens(headers: list[tuple[str, str]], name: str) -> list[str]:
    """The comma-separated values of header `name` (all its lines), lower-cased, in order."""
    return [token.strip().lower() for key, value in headers if key.lower() == name for token in value.split(",") if token.strip()]
