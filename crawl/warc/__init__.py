"""Archived pages as a second source of crawl records: WARC files (Common Crawl's CC-NEWS) read with the
live crawl's own extraction, gates and dedup (`extract_warcs`, `clsforge warc`)."""
