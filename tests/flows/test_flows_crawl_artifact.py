"""The crawl artifact in the Prefect UI: one row per site, the layout-drift alarm included."""

from __future__ import annotations

import flows.artifacts as artifacts


def test_crawl_artifact_shows_layout_drift(monkeypatch) -> None:
    shown = {}
    monkeypatch.setattr(artifacts, "create_table_artifact", lambda **kwargs: shown.update(kwargs))
    drifted = {"pages_fetched": 30, "dropped": {"no_summary": 2}, "layout_drift": {"summary": 0.4, "text": 0.125},
               "finish_reason": "finished"}
    fine = {"pages_fetched": 5, "dropped": {}, "layout_drift": {}, "finish_reason": "finished"}
    artifacts.crawl_artifact("Demo", [{"site": "dantri", "articles": 25, "stats": drifted},
                                      {"site": "vnexpress", "articles": 3, "stats": fine}])
    assert shown["key"] == "demo-crawl"
    assert [row["layout drift"] for row in shown["table"]] == ["summary 40%, text 12%", "-"]
    assert shown["table"][0]["dropped"] == "no_summary 2"
