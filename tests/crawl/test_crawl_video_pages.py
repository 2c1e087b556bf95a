"""A video page (og:type `video.*`) at an article URL is a counted drop (`video_page`), not a listing:
nothing is lost in silence, in the live crawl and in a WARC alike (issue 11, kind 7)."""

from __future__ import annotations

from pathlib import Path

from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.stats import page_outcomes
from crawl.warc.run import extract_warcs
from crawl.warc.writer import Page, write_warc

from .conftest import FAST_SETTINGS, read_records

VIDEO_PATH = "/clip-lu-lon-o-ha-giang-4796611.html"
VIDEO = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Video: lũ lớn ở Hà Giang - VnExpress</title>
<meta property="og:type" content="video.other"><meta name="description" content="Nước lũ dâng cao nhấn chìm nhiều
nhà dân ở huyện Vị Xuyên, tỉnh Hà Giang, trong đêm qua sau trận mưa lớn kéo dài nhiều giờ liền.">
<link rel="canonical" href="{base}/clip-lu-lon-o-ha-giang-4796611.html"></head><body><div class="box_embed_video">
<video src="/v/lu.mp4"></video></div><a href="/thoi-su">Thời sự</a></body></html>"""


def test_a_video_page_is_a_counted_drop_in_the_crawl_and_in_a_warc(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "rss").mkdir(parents=True)
    (site / VIDEO_PATH[1:]).write_text(VIDEO.replace("{base}", "{{base_url}}"), "utf-8")
    (site / "rss" / "tin-moi-nhat.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><item><link>{{{{base_url}}}}{VIDEO_PATH}</link></item></channel></rss>')
    with serve_site(site) as base:
        stats = run_crawl("vnexpress", tmp_path / "crawl", [base + "/rss/tin-moi-nhat.rss"], settings=FAST_SETTINGS)
    assert (stats["articles_new"], stats["dropped"], stats["discovery_pages"]) == (0, {"video_page": 1}, {"feed": 1})
    assert page_outcomes(stats) == stats["pages_fetched"] == 2

    html = VIDEO.replace("{base}", "https://vnexpress.net").encode()
    warc = write_warc(tmp_path / "v.warc.gz", [Page("https://vnexpress.net" + VIDEO_PATH, html)])
    stats = extract_warcs(["vnexpress"], [str(warc)], tmp_path / "warc", progress=False)
    assert (stats["outcomes"], stats["dropped"]) == ({"dropped": 1}, {"video_page": 1})
    assert read_records(tmp_path / "warc") == []
