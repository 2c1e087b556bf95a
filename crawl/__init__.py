"""clsforge crawl: a Scrapy project that turns news sites into article + lead-summary records.

Entry points: `crawl.runner.run_crawl` (a crawl in a subprocess), `crawl.serve.serve_site` (a local
static server), `clsforge crawl` (crawl/cli.py). Imports nothing from the rest of clsforge.
"""
