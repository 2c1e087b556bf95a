"""The rendered demo site: crawling each profile's sitemap yields one record per article file, with
the front-matter summary as `summary` and no sapo, author or caption text inside `text`."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.text import clean_text

from .conftest import FAST_SETTINGS, read_records

DEMO = Path(__file__).resolve().parents[2] / "datasets" / "demo"


def load_render_module():
    spec = importlib.util.spec_from_file_location("demo_render", DEMO / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """The demo rendered fresh into a temp folder (so the test sees what render.py writes now)."""
    render = load_render_module()
    folder = tmp_path_factory.mktemp("demo")
    render.render(folder / "site", folder / "translations.jsonl")
    return folder, render.load_articles()


@pytest.mark.parametrize("profile", ["vnexpress", "dantri", "tuoitre"])
def test_demo_crawl_yields_one_clean_record_per_article(profile: str, rendered, tmp_path: Path) -> None:
    folder, articles = rendered
    mine = {a.path: a for a in articles if a.meta["profile"] == profile}
    assert mine, f"no demo article uses {profile}"
    with serve_site(folder / "site") as base:
        stats = run_crawl(profile, tmp_path, [f"{base}/{profile}/sitemap.xml"], settings=FAST_SETTINGS)
    records = read_records(tmp_path)
    assert sorted(urlsplit(r["url"]).path for r in records) == sorted(mine)
    assert stats["articles_kept"] == len(mine) and stats["dropped"] == {} and stats["bad_pages"] == {}
    for record in records:
        article = mine[urlsplit(record["url"]).path]
        meta = article.meta
        assert record["summary"] == clean_text(meta["summary"])
        assert record["title"] == clean_text(meta["title"])
        assert record["published"] == meta["published"]
        assert record["category"] == meta["category"]
        text = record["text"]
        assert clean_text(meta["summary"]) not in text
        assert "(Dân trí)" not in text and "TTO -" not in text
        assert clean_text(meta["author"]) not in text.splitlines()
        if meta.get("caption"):
            assert clean_text(meta["caption"]) not in text
        assert text.splitlines() == [clean_text(p) for p in article.paragraphs]


def test_translation_memory_has_both_directions_per_article(rendered) -> None:
    folder, articles = rendered
    lines = [json.loads(line) for line in (folder / "translations.jsonl").read_text("utf-8").splitlines()]
    assert len(lines) == 2 * len(articles)
    first = articles[0].meta
    assert lines[0] == {"src_lang": "vi", "tgt_lang": "zh", "text": first["summary"], "translation": first["summary_zh"]}
    assert lines[1] == {"src_lang": "zh", "tgt_lang": "vi", "text": first["summary_zh"], "translation": first["summary_back_vi"]}


def test_committed_demo_site_matches_render(rendered) -> None:
    """datasets/demo/site and translations.jsonl are what render.py produces from the articles."""
    folder, _ = rendered
    fresh = sorted(p.relative_to(folder / "site") for p in (folder / "site").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DEMO / "site") for p in (DEMO / "site").rglob("*") if p.is_file())
    assert fresh == committed
    stale = [str(p) for p in fresh if (folder / "site" / p).read_bytes() != (DEMO / "site" / p).read_bytes()]
    assert not stale, "rerun datasets/demo/render.py and commit datasets/demo/site"
    assert (folder / "translations.jsonl").read_text("utf-8") == (DEMO / "translations.jsonl").read_text("utf-8")
