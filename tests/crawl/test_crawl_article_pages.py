"""Article pages are recognised from the page as well as the URL, and every fetched page is accounted
for: a record, a counted drop, a counted discovery page or a counted bad page (issue 11, item 7).

The fixture (`fixtures/article_pages/`): `generic` articles with short slugs (`/tin-tuc/12/bai-12.html`)
listed in a sitemap, told apart by og:type, JSON-LD NewsArticle or article:published_time; an article
given as a start URL; a category page that says og:type "website" (and carries a date and an ItemList
of NewsArticle: still a listing); an about page with no article signal; a stub article (dropped); a
404. And a Dân trí article whose URL lacks the profile's id, recognised by the profile's body container.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.stats import page_outcomes

from .conftest import FAST_SETTINGS, FIXTURES, read_records

SITE = FIXTURES / "article_pages"
EXPECTED = json.loads((SITE / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_article_pages_are_recognised_from_the_page_and_every_page_is_counted(profile: str, tmp_path: Path) -> None:
    expected = EXPECTED[profile]
    with serve_site(SITE) as base:
        stats = run_crawl(profile, tmp_path, [base + path for path in expected["start_paths"]], settings=FAST_SETTINGS)
    records = {urlsplit(record["url"]).path: record for record in read_records(tmp_path)}
    assert sorted(records) == sorted(expected["records"])
    for path, fields in expected["records"].items():
        assert {key: records[path][key] for key in fields} == fields, path
        assert records[path]["site"] == profile
    assert {key: stats[key] for key in expected["stats"]} == expected["stats"]
    # the sum: every fetched page is a record written, a record dropped, a discovery page or a bad page
    assert stats["pages_fetched"] == page_outcomes(stats) == (
        stats["articles_new"] + sum(stats["dropped"].values()) + sum(stats["discovery_pages"].values())
        + sum(stats["bad_pages"].values())
    )


def test_article_signals_read_the_page_not_nested_lists() -> None:
    from parsel import Selector

    from crawl.discovery import article_signals, declares_non_article

    graph = '<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle"}]}</script>'
    item_list = '<script type="application/ld+json">{"@type": "ItemList", "itemListElement": [{"@type": "NewsArticle"}]}</script>'
    # a trailing comma, as sites ship it: repaired (crawl.jsonld.documents), so the page is an article
    trailing = '<script type="application/ld+json">{"@type": "NewsArticle",}</script>'
    broken = '<script type="application/ld+json">{"@type": "NewsArticle" "x"}</script>'  # unreadable: skipped
    body = '<div class="singular-content"><p>x</p></div>'
    assert article_signals(Selector(graph)) == ["json_ld"]
    assert article_signals(Selector(item_list)) == []
    assert article_signals(Selector(trailing)) == ["json_ld"]
    assert article_signals(Selector(broken)) == []
    assert article_signals(Selector(body), ("div.singular-content",)) == ["body_selector"]
    assert article_signals(Selector(body)) == []
    both = '<meta property="og:type" content="article"><meta property="article:published_time" content="2025-01-01">'
    assert article_signals(Selector(both)) == ["og_type", "published_time"]
    assert declares_non_article(Selector('<meta property="og:type" content="website">'))
    assert not declares_non_article(Selector(both)) and not declares_non_article(Selector(body))


def test_a_start_page_that_misuses_og_type_article_still_feeds_the_crawl(tmp_path: Path) -> None:
    """A category page given as --start-url whose CMS stamps og:type "article" on every page: it is a
    record candidate (dropped: it has no summary) and its article links are followed all the same."""
    with serve_site(SITE) as base:
        stats = run_crawl("generic", tmp_path, [base + "/chuyen-muc/the-thao.html"], settings=FAST_SETTINGS)
    paths = [urlsplit(record["url"]).path for record in read_records(tmp_path)]
    assert paths == ["/2024/10/gia-ca-phe-tang-manh-dau-vu-thu-hoach/"]
    assert (stats["pages_fetched"], stats["dropped"], stats["discovery_pages"]) == (2, {"no_summary": 1}, {})
    assert page_outcomes(stats) == stats["pages_fetched"]
