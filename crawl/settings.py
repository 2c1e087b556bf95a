"""Scrapy settings of the crawl project: polite by default, resumable, bounded.

`crawl.runner.run_crawl(settings=...)` overrides any of these per run (the benchmark switches
politeness off; tests shorten the backoff).
"""

BOT_NAME = "clsforge"
SPIDER_MODULES = ["crawl.spiders"]
NEWSPIDER_MODULE = "crawl.spiders"

USER_AGENT = "clsforge-crawler/0.1 (research crawler for summarization datasets; obeys robots.txt)"
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts the delay to the server's latency; a per-domain cap bounds it.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Failures: retries with exponential backoff on 5xx/429 and network errors; bounded sizes and hops.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 60  # backstop behind CLSFORGE_MAX_LISTING_PAGES
DEPTH_PRIORITY = 1  # breadth-first: sitemaps and first listing pages before deep pagination
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
DUPEFILTER_CLASS = "crawl.seen.RunSeenFilter"  # not persisted: a SIGKILL must not lose queued sitemaps
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawl.middlewares.BackoffRetryMiddleware": 550,
    "crawl.middlewares.RobotsStatusMiddleware": 540,  # below the retries: sees the final robots.txt answer
    "crawl.middlewares.CharsetMiddleware": 560,  # below HttpCompression (590): sees the unpacked body
    "crawl.middlewares.FinishedArticleFilter": 50,
}
ITEM_PIPELINES = {
    "crawl.pipelines.quality.QualityGatePipeline": 100,
    "crawl.pipelines.dedup.DedupPipeline": 200,
    "crawl.pipelines.jsonl.JsonlWriterPipeline": 300,
    "crawl.pipelines.sources.SourceCounterPipeline": 400,
}
EXTENSIONS = {
    "crawl.extensions.CrawlStatsWriter": 500,
    "crawl.extensions.ProgressBar": 510,
    "crawl.extensions.RobotsCrawlDelay": 520,
    "scrapy.extensions.telnet.TelnetConsole": None,
}

LOG_LEVEL = "WARNING"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"  # drops are counted by reason in crawl_stats.json, not one log line each
FEED_EXPORT_ENCODING = "utf-8"

# clsforge's own settings (the runner fills the first three).
CLSFORGE_SITE = None
CLSFORGE_START_URLS: list[str] = []
CLSFORGE_OUT = None
CLSFORGE_LANG = None  # the language records must be in (record field `lang`); None: the profile's
CLSFORGE_MAX_ARTICLES = 0  # 0 = no cap
CLSFORGE_MAX_LISTING_PAGES = 50
CLSFORGE_SUMMARY_MIN_WORDS = 10
CLSFORGE_SUMMARY_MAX_WORDS = 150
CLSFORGE_BODY_MIN_WORDS = 40
# Characters per word for languages the gates measure in characters (crawl/lengths.py): {"lo": 3.0}
CLSFORGE_GATE_CHARS_PER_WORD: dict[str, float] = {}
CLSFORGE_TRAFILATURA_ONLY = False
CLSFORGE_MAX_CRAWL_DELAY = 30.0  # robots.txt Crawl-delay above this is capped
# Layout-drift alarm: the profile layer supplied a watched field for under this share of the kept
# articles, once at least CLSFORGE_DRIFT_MIN_ARTICLES were kept (crawl/drift.py).
CLSFORGE_DRIFT_THRESHOLD = 0.8
CLSFORGE_DRIFT_MIN_ARTICLES = 20
