"""The layout-drift alarm: the profile's selectors stop matching when a site changes its markup,
and the crawl quietly runs on fallbacks (JSON-LD, meta tags, trafilatura). This says so."""

from __future__ import annotations


def field_sources(counters: dict[str, int]) -> dict[str, dict[str, int]]:
    """{"title/profile": 3, "text/meta": 1} -> {"text": {"meta": 1}, "title": {"profile": 3}}."""
    nested: dict[str, dict[str, int]] = {}
    for key, number in sorted(counters.items()):
        field, _, layer = key.partition("/")
        nested.setdefault(field, {})[layer] = number
    return nested


def layout_drift(sources: dict[str, dict[str, int]], watched: tuple[str, ...], threshold: float,
                 min_articles: int) -> dict[str, float]:
    """The watched fields the profile layer supplied for under `threshold` of the articles counted.

    Args:
        sources: per field, articles by the layer that supplied the field (`field_sources`).
        watched: the fields the profile has selectors for (SiteProfile.fields_with_selectors()).
        threshold: the least share (0-1) of articles whose field should come from the profile.
        min_articles: below this many articles nothing is judged.

    Returns:
        {field: profile share, rounded to 3 places}; empty when there is no drift to report.
    """
    drifted = {}
    for field in watched:
        counts = sources.get(field, {})
        total = sum(counts.values())
        share = counts.get("profile", 0) / total if total else 1.0
        if total >= min_articles and share < threshold:
            drifted[field] = round(share, 3)
    return drifted


def drift_warning(site: str, drifted: dict[str, float], articles: int, threshold: float) -> str:
    """The one-line warning for a drifted crawl."""
    shares = " and ".join(f"{field} for {share:.0%}" for field, share in drifted.items())
    return (f"clsforge: warning: layout drift on {site}: its layouts supplied {shares} of {articles} kept articles "
            f"(threshold {threshold:.0%}); the site's markup may have changed, see field_sources in crawl_stats.json")
