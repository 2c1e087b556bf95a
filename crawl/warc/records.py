"""One raw WARC record -> one outcome: skipped (and why), dropped (and why), or an article record.

The checks run cheapest first, so a record of another host costs a header parse and nothing more:
record type -> host -> truncation -> HTTP status -> payload decoding (crawl/warc/payload.py) -> HTML
-> charset -> the live crawl's spider and pipelines (crawl/warc/offline.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from fastwarc.warc import ArchiveIterator, WarcRecordType
from scrapy.http import HtmlResponse

from crawl.encoding import page_encoding
from crawl.stats import DECODING, DROPPED as DROP_COUNTERS, count, counters

from crawl.warc.hosts import HostMatcher
from crawl.warc.members import NOT_WARC, TRUNCATED, RawRecord, block_is_short
from crawl.warc.offline import OK_STATUSES, OfflineCrawler
from crawl.warc.payload import BadPayload, http_response

# Outcomes; with the member-level ones (crawl/warc/members.py) they partition the records read.
KEPT = "kept"
NOT_RESPONSE = "not_response"  # warcinfo, request, metadata, resource, conversion records
REVISIT = "revisit"  # a "same as before" record: no payload of its own
OTHER_HOST = "other_host"
HTTP_STATUS = "http_status"  # not 2xx; the statuses are counted apart
BAD_PAYLOAD = "bad_payload"  # binary HTTP body its content coding does not decode (crawl/warc/payload.py)
NOT_HTML = "not_html"  # PDF, images, feeds, plain text
BAD_CHARSET = "bad_charset"  # undecodable in the charset the page is read with
NOT_AN_ARTICLE = "not_an_article"  # the spider made no record of it (a listing, a category page)
DROPPED = "dropped"  # by a quality gate, dedup or the spider (a video page); the reasons are counted apart
ERROR = "error"  # its extraction raised (the live crawl's `errors`); the exception types are counted apart
# Share of U+FFFD characters above which a page counts as undecodable.
MAX_REPLACEMENT_SHARE = 0.01


@dataclass
class Outcome:
    """What became of one WARC record: `kind` (one of the outcomes above), the site its host
    belongs to (None before the host is known), the kept record, and the detail of `kind`
    (the HTTP status, the drop reason, the exception type of an ERROR; then also the record's
    `url` and the exception's `message`, for the log)."""

    kind: str
    site: str | None = None
    record: dict | None = None
    detail: str | None = None
    url: str | None = None
    message: str | None = None


def outcomes(raw: RawRecord, matcher: HostMatcher, crawlers: dict[str, OfflineCrawler]) -> Iterator[Outcome]:
    """The outcome of each WARC record in one raw record (one, in a well-formed file)."""
    if raw.problem:
        yield Outcome(raw.problem)
        return
    found = 0
    try:
        for record in ArchiveIterator(io.BytesIO(raw.data), record_types=WarcRecordType.any_type, parse_http=False):
            found += 1
            try:
                outcome = _outcome(record, raw.data, matcher, crawlers)
            except Exception as exc:  # noqa: BLE001 - raised before its site is known: counted all the same
                outcome = Outcome(ERROR, detail=type(exc).__name__, url=record.headers.get("WARC-Target-URI"), message=str(exc))
            yield outcome
    except OSError:  # after a record: its block was short (counted as truncated); else no record at all
        pass
    if not found:
        yield Outcome(NOT_WARC)


def _outcome(record, data: bytes, matcher: HostMatcher, crawlers: dict[str, OfflineCrawler]) -> Outcome:
    if record.record_type == WarcRecordType.revisit:
        return Outcome(REVISIT)
    if record.record_type != WarcRecordType.response:
        return Outcome(NOT_RESPONSE)
    url = record.headers.get("WARC-Target-URI") or ""
    site = matcher.site_for(url)
    if site is None:
        return Outcome(OTHER_HOST)
    if record.headers.get("WARC-Truncated") or block_is_short(data):
        return Outcome(TRUNCATED, site)
    try:
        return _extracted(record, url, site, crawlers[site])
    except Exception as exc:  # noqa: BLE001 - one odd page must not end the run (as in the live crawl: `errors`)
        return Outcome(ERROR, site, detail=type(exc).__name__, url=url, message=str(exc))


def _extracted(record, url: str, site: str, crawler: OfflineCrawler) -> Outcome:
    """The outcome of a response record of `site`: HTTP status, payload, HTML, charset, spider, pipelines."""
    try:
        record.parse_http(auto_decode="none")  # the codings are undone as the live crawl does (payload.py)
        status = record.http_headers.status_code
        if status not in OK_STATUSES:
            return Outcome(HTTP_STATUS, site, detail=str(status))
        headers = list(record.http_headers.items())
        body = record.reader.read()
        response = http_response(url, status, headers, body, crawler)
    except (OSError, BadPayload):
        return Outcome(BAD_PAYLOAD, site)
    if not isinstance(response, HtmlResponse):
        return Outcome(NOT_HTML, site)
    encoding = page_encoding(response)  # the live crawl's CharsetMiddleware decision: UTF-8 bytes beat a lying header
    if encoding is not None:
        count(crawler, DECODING, "header_overridden")  # as the live crawl's CharsetMiddleware counts it
        response = response.replace(encoding=encoding)
    if _undecodable(response):
        return Outcome(BAD_CHARSET, site)
    dropped_before = counters(crawler, DROP_COUNTERS)
    made = crawler.records(response)
    if not made:  # the spider's own drop (a video page), else a listing
        reason = next((key for key, n in counters(crawler, DROP_COUNTERS).items() if n > dropped_before.get(key, 0)), None)
        return Outcome(DROPPED, site, detail=reason) if reason else Outcome(NOT_AN_ARTICLE, site)
    item = {**made[0], "crawled_at": archived_at(record.headers.get("WARC-Date"), made[0]["crawled_at"])}
    reason = crawler.gate(item)
    if reason:
        return Outcome(DROPPED, site, detail=reason)
    return Outcome(KEPT, site, record=item)


def archived_at(warc_date: str | None, default: str) -> str:
    """The record's `crawled_at`: when the archive fetched the page (WARC-Date), as the crawl writes it."""
    try:
        fetched = datetime.fromisoformat((warc_date or "").replace("Z", "+00:00"))
    except ValueError:
        return default
    fetched = fetched if fetched.tzinfo else fetched.replace(tzinfo=timezone.utc)
    return fetched.astimezone(timezone.utc).isoformat(timespec="seconds")


def _undecodable(response: HtmlResponse) -> bool:
    """True when the body is not text in the charset Scrapy reads it with (many U+FFFD after decoding)."""
    try:
        response.body.decode(response.encoding)
        return False
    except (UnicodeDecodeError, LookupError):
        text = response.text
        return text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(len(text), 1)
