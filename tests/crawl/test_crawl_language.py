"""The language gate (issue 11, item 13): py3langid decides a record's language; a record in another
language than the crawl's (the profile's `lang`, or the recipe's passed as `lang`) is dropped and
counted with the language found, `wrong_language.<code>`. A Thai site works like a Vietnamese one.

The fixture (`fixtures/language/`): a Vietnamese feed with one article each in Vietnamese, English and
Chinese; a Thai feed with one article in Thai and one in Vietnamese.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawl.langid import identify
from crawl.runner import run_crawl
from crawl.serve import serve_site
from crawl.stats import page_outcomes

from .conftest import FAST_SETTINGS, FIXTURES, read_records

CASES = {
    "vi": (None, "/vi/tin-tuc/cang-bien-da-nang-don-tau-lon.html", {"wrong_language.en": 1, "wrong_language.zh": 1}),
    "th": ("th", "/th/khao/rakha-khao-sung-khuen.html", {"wrong_language.vi": 1}),
}
THAI = {
    "lang": "th",
    "title": "ราคาข้าวในตลาดโลกปรับตัวสูงขึ้นต่อเนื่อง",
    "summary": "ราคาข้าวหอมมะลิในตลาดโลกปรับตัวสูงขึ้นต่อเนื่องเป็นสัปดาห์ที่สาม ส่งผลให้เกษตรกรในภาคตะวันออกเฉียงเหนือขายข้าวได้ราคาดีที่สุดในรอบห้าปี",
    "published": "2025-04-11T08:00:00+07:00",
}


@pytest.mark.parametrize("feed", sorted(CASES))
def test_records_in_another_language_are_dropped_by_the_language_found(feed: str, tmp_path: Path) -> None:
    lang, kept, dropped = CASES[feed]
    with serve_site(FIXTURES / "language") as base:
        stats = run_crawl("generic", tmp_path, [f"{base}/{feed}/feed.xml"], settings=FAST_SETTINGS, lang=lang)
    records = read_records(tmp_path)
    assert [urlsplit(record["url"]).path for record in records] == [kept]
    assert stats["dropped"] == dropped
    assert (stats["pages_fetched"], page_outcomes(stats)) == (1 + 1 + len(dropped),) * 2
    if feed == "th":
        assert {key: records[0][key] for key in THAI} == THAI
        assert records[0]["text"].count("\n") == 2


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Giá lúa tươi tại nhiều tỉnh Đồng bằng sông Cửu Long tăng mạnh so với tuần trước", "vi"),
        ("Rice prices rose sharply across the Mekong Delta this week", "en"),
        ("自10月1日起，河内市交通运输局试行公交专用道", "zh"),
        ("ราคาข้าวในตลาดโลกปรับตัวสูงขึ้นอย่างต่อเนื่องในสัปดาห์นี้", "th"),
        ("ລາຄາເຂົ້າໃນຕະຫຼາດໂລກເພີ່ມຂຶ້ນຢ່າງຕໍ່ເນື່ອງ", "lo"),
        ("  ", ""),
    ],
)
def test_identify(text: str, language: str) -> None:
    assert identify(text) == language


def test_cli_lang_option_crawls_a_thai_site(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    with serve_site(FIXTURES / "language") as base:
        result = subprocess.run(
            [sys.executable, "-c", "from flows.cli import main; main()", "crawl", "--site", "generic", "--lang", "th",
             "--start-url", base + "/th/feed.xml", "--out", str(tmp_path / "out")],
            capture_output=True, text=True, check=False,
        )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["articles_kept"], summary["dropped"]) == (1, {"wrong_language.vi": 1})
    assert [record["lang"] for record in read_records(tmp_path / "out")] == ["th"]
