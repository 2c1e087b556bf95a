"""The crawl's spiders (one generic spider driven by site profiles)."""
