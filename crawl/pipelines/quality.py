"""Quality gates: a record must have a summary of sane length in the expected language, no mojibake,
a title and a real body."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawl.encoding import looks_like_mojibake
from crawl.hooks import CrawlerComponent
from crawl.langid import identify
from crawl.pipelines import drop
from crawl.lengths import check_overrides, length_unit


class QualityGatePipeline(CrawlerComponent):
    """Drops records with no/short/long summary, mojibake, text in another language than the record's
    `lang` (the profile's, or the recipe's: CLSFORGE_LANG), no title or a short body, by reason.

    The language reason names the language found: `wrong_language.en`.
    Settings: CLSFORGE_SUMMARY_MIN_WORDS, CLSFORGE_SUMMARY_MAX_WORDS, CLSFORGE_BODY_MIN_WORDS, in words;
    a language written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) is measured in
    characters against the word limit times its characters per word (crawl/lengths.py;
    CLSFORGE_GATE_CHARS_PER_WORD overrides a figure).
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.summary_min = settings.getint("CLSFORGE_SUMMARY_MIN_WORDS")
        self.summary_max = settings.getint("CLSFORGE_SUMMARY_MAX_WORDS")
        self.body_min = settings.getint("CLSFORGE_BODY_MIN_WORDS")
        self.chars_per_word = check_overrides(settings.getdict("CLSFORGE_GATE_CHARS_PER_WORD"))

    def process_item(self, item: dict) -> dict:
        """Pass `item` on, or raise DropItem with the first failed gate as reason."""
        reason = self.failed_gate(item)
        if reason:
            raise drop(self.crawler, reason)
        return item

    def failed_gate(self, item: dict) -> str | None:
        """The name of the first gate `item` fails, or None."""
        if not item["summary"]:
            return "no_summary"
        if looks_like_mojibake("\n".join((item["title"], item["summary"], item["text"]))):
            return "mojibake"
        for key in ("summary", "text"):
            found = identify(item[key])
            if found and found != item["lang"]:
                return f"wrong_language.{found}"
        unit = length_unit(item["lang"], self.chars_per_word)
        summary_length = unit.count(item["summary"])
        if summary_length < unit.limit(self.summary_min):
            return "summary_too_short"
        if summary_length > unit.limit(self.summary_max):
            return "summary_too_long"
        if not item["title"]:
            return "no_title"
        if unit.count(item["text"]) < unit.limit(self.body_min):
            return "body_too_short"
        return None
