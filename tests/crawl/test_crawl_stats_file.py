"""crawl_stats.json is written atomically, with the mode a plain open() gives."""

import json
import os
import stat

from crawl.extensions import write_json_atomic


def test_stats_file_is_whole_and_readable_like_a_plain_file(tmp_path):
    (tmp_path / "plain.txt").write_text("x")
    write_json_atomic(tmp_path / "crawl_stats.json", {"pages_fetched": 3, "reason": "hòa"})
    assert json.loads((tmp_path / "crawl_stats.json").read_text("utf-8")) == {"pages_fetched": 3, "reason": "hòa"}
    mode = lambda name: stat.S_IMODE(os.stat(tmp_path / name).st_mode)  # noqa: E731
    assert mode("crawl_stats.json") == mode("plain.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl_stats.json", "plain.txt"]
