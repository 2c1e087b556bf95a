"""WARC records read like live pages: the same record field for field, every archive fault counted."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawl.ids import record_id
from crawl.sites import PROFILES
from crawl.warc.members import raw_records
from crawl.warc.offline import OfflineCrawler
from crawl.warc.run import extract_warcs
from crawl.warc.writer import Page, write_warc

from .conftest import FIXTURES, read_records
from .test_crawl_fixtures import RECORD_KEYS
from .warc_fixtures import CRAWLED_AT, FAULT_OUTCOMES, fault_warc, fixture_pages, page, profile_host

GENERIC_HOSTS = {"generic": ["news.example"]}


@pytest.mark.parametrize("site", sorted(PROFILES))
def test_a_warc_record_equals_the_live_crawl_record_of_the_same_html(site: str, tmp_path: Path) -> None:
    """Each fixture site archived at its real host gives expected.json's records (what the live crawl
    of the same pages gives), every field; url and id are those of the archived host."""
    expected = json.loads((FIXTURES / site / "expected.json").read_text("utf-8"))
    # Common Crawl obeys robots.txt as the live crawl does; the crawl meets an original before its copy
    # (duplicate_body drops the later one): the same here
    disallowed = [line.split(":", 1)[1].strip() for line in (FIXTURES / site / "robots.txt").read_text().splitlines() if line.startswith("Disallow")]
    pages = [page for page in fixture_pages(site) if not any(urlsplit(page.url).path.startswith(p) for p in disallowed)]
    pages.sort(key=lambda page: "/ban-sao-" in page.url)
    warc = write_warc(tmp_path / "site.warc.gz", pages)
    stats = extract_warcs([site], [str(warc)], tmp_path / "out", hosts=GENERIC_HOSTS, progress=False)

    records = read_records(tmp_path / "out")
    by_path = {urlsplit(record["url"]).path: record for record in records}
    assert sorted(by_path) == sorted(expected["records"])
    for path, fields in expected["records"].items():
        record = by_path[path]
        assert sorted(record) == RECORD_KEYS
        assert record["url"] == f"https://{profile_host(site)}{path}"
        assert record["id"] == record_id(record["url"])
        assert (record["site"], record["lang"], record["crawled_at"]) == (site, "vi", CRAWLED_AT)
        assert {key: record[key] for key in fields} == fields, path
    assert stats["articles_kept"] == stats["outcomes"]["kept"] == len(expected["records"])
    assert stats["dropped"] == {key: n for key, n in expected["stats"]["dropped"].items()}


def test_every_archive_fault_is_counted_and_the_counts_add_up(tmp_path: Path) -> None:
    warc = fault_warc(tmp_path)
    stats = extract_warcs(["vnexpress", "dantri"], [str(warc)], tmp_path / "out", progress=False)

    assert stats["outcomes"] == FAULT_OUTCOMES
    assert stats["records_read"] == sum(FAULT_OUTCOMES.values()) == 16
    assert stats["http_statuses"] == {"404": 1}
    assert stats["dropped"] == {"no_summary": 1}
    assert sum(stats["dropped"].values()) == stats["outcomes"]["dropped"]
    assert stats["bad_pages"] == {}  # the windows-1258 page is kept (as the crawl does; a note in `decoding`, not a bad page)
    vnexpress, dantri = stats["sites"]["vnexpress"], stats["sites"]["dantri"]
    assert (vnexpress["records"], vnexpress["articles"], dantri["records"], dantri["articles"]) == (9, 2, 1, 1)
    # two of other hosts, the broken member, revisit, request and the cut-off last member: no site
    assert stats["records_read"] - vnexpress["records"] - dantri["records"] == 6


def test_chunked_gzip_and_windows_1258_payloads_give_the_fixture_records(tmp_path: Path) -> None:
    extract_warcs(["vnexpress", "dantri"], [str(fault_warc(tmp_path))], tmp_path / "out", progress=False)
    by_path = {urlsplit(record["url"]).path: record for record in read_records(tmp_path / "out")}
    assert sorted(by_path) == [
        "/ca-sot-xuat-huyet-tang-4796422.html",  # chunked + gzip
        "/gia-ca-phe-lap-dinh-moi-4796310.html",
        "/kinh-doanh/trang-ma-windows-1258-20250316100000009.htm",
    ]
    for site in ("vnexpress", "dantri"):
        expected = json.loads((FIXTURES / site / "expected.json").read_text("utf-8"))["records"]
        for path in set(expected) & set(by_path):
            assert {key: by_path[path][key] for key in expected[path]} == expected[path]
    assert by_path["/kinh-doanh/trang-ma-windows-1258-20250316100000009.htm"]["title"] == "Xuất khẩu cà phê đạt kỷ lục"


def test_other_hosts_are_skipped_before_any_html_parsing(tmp_path: Path, monkeypatch) -> None:
    parsed: list[str] = []
    original = OfflineCrawler.records
    monkeypatch.setattr(OfflineCrawler, "records", lambda self, response: parsed.append(response.url) or original(self, response))
    extract_warcs(["dantri"], [str(fault_warc(tmp_path))], tmp_path / "out", progress=False)
    assert parsed == ["https://dantri.com.vn/kinh-doanh/trang-ma-windows-1258-20250316100000009.htm"]


def test_members_after_a_broken_one_are_read_and_a_cut_off_end_is_truncated(tmp_path: Path) -> None:
    with fault_warc(tmp_path).open("rb") as stream:
        problems = [raw.problem for raw in raw_records(stream)]
    assert problems == [None] * 5 + ["broken_gzip_member"] + [None] * 9 + ["truncated"]


def test_a_plain_uncompressed_warc_reads_like_the_gzipped_one(tmp_path: Path) -> None:
    pages = fixture_pages("vnexpress")
    gzipped = write_warc(tmp_path / "site.warc.gz", pages)
    plain = write_warc(tmp_path / "site.warc", pages, compress=False)
    first = extract_warcs(["vnexpress"], [str(gzipped)], tmp_path / "a", progress=False)
    second = extract_warcs(["vnexpress"], [str(plain)], tmp_path / "b", progress=False)
    assert first["outcomes"] == second["outcomes"] == {"dropped": 1, "kept": 3, "not_an_article": 1, "not_html": 4}  # not_html: robots.txt, _responses.json, layouts.json, rss
    assert read_records(tmp_path / "a") == read_records(tmp_path / "b")
    cut = tmp_path / "cut.warc"
    cut.write_bytes(plain.read_bytes()[:-100])
    stats = extract_warcs(["vnexpress"], [str(cut)], tmp_path / "c", progress=False)
    assert stats["outcomes"]["truncated"] == 1 and stats["records_read"] == 9


def test_generic_takes_its_hosts_from_patterns(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "site.warc.gz", fixture_pages("generic"))
    stats = extract_warcs(["generic"], [str(warc)], tmp_path / "out", hosts={"generic": ["*.example"]}, progress=False)
    assert stats["outcomes"]["kept"] == 4
    with pytest.raises(ValueError, match="site 'generic' has no hosts of its own; give its hosts with --host"):
        extract_warcs(["generic"], [str(warc)], tmp_path / "none", progress=False)


def test_a_default_port_in_the_target_uri_and_a_root_canonical_leave_the_record_url_alone(tmp_path: Path) -> None:
    """`WARC-Target-URI: https://vnexpress.net:443/...` on a page whose canonical is the site root: the
    record url is the article's, without the port, and the ignored canonical is counted."""
    article = page("vnexpress", "/gia-ca-phe-lap-dinh-moi-4796310.html")
    body = re.sub(rb'<link rel="canonical" href="[^"]*">', b'<link rel="canonical" href="/">', article.body)
    warc = write_warc(tmp_path / "port.warc.gz", [Page(article.url.replace(".net/", ".net:443/"), body)])
    stats = extract_warcs(["vnexpress"], [str(warc)], tmp_path / "out", progress=False)
    assert stats["outcomes"] == {"kept": 1}
    assert stats["canonical_ignored"] == {"site_root": 1}
    assert [(r["url"], r["id"]) for r in read_records(tmp_path / "out")] == [(article.url, record_id(article.url))]
