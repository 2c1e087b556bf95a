"""Which extraction layer supplied each field of the kept records, which layout matched, and which
non-body boxes were dropped: the counts behind crawl_stats.json's `field_sources` and the
layout-drift alarm (crawl/drift.py)."""

from __future__ import annotations

from crawl.hooks import CrawlerComponent

FIELD_SOURCES = "clsforge/field_sources/"  # + field + "/" + layer
LAYOUTS = "clsforge/layouts/"  # + layout name, or "none"
BOXES_DROPPED = "clsforge/boxes_dropped/"  # + box name


class SourceCounterPipeline(CrawlerComponent):
    """Counts the `extraction` facts of each record that passed every earlier pipeline (a kept one)."""

    def process_item(self, item: dict) -> dict:
        """Add the record's field sources, layout and dropped boxes to the crawl stats."""
        extraction = item.get("extraction") or {}
        stats = self.crawler.stats
        for field, layer in extraction.get("sources", {}).items():
            stats.inc_value(f"{FIELD_SOURCES}{field}/{layer}")
        stats.inc_value(LAYOUTS + (extraction.get("layout") or "none"))
        for name, number in extraction.get("boxes", {}).items():
            stats.inc_value(BOXES_DROPPED + name, number)
        return item
