"""The site profiles: one `SiteProfile` per supported news site (selectors from FACTS.md / reference).

Layouts drift: each profile lists its page layouts newest first, and the extractor falls back to
JSON-LD, the meta tags and trafilatura for whatever the matching layout does not supply (a share of
fallbacks above 20% raises the layout-drift alarm, docs/crawl.md).
"""

from __future__ import annotations

from crawl.layout import Layout
from crawl.profile import SiteProfile

# The "detail-*" CMS shared by Tuổi Trẻ, Thanh Niên and Báo Xây dựng: photo and related boxes.
DETAIL_CMS_BOXES = (("embed", ("div.VCSortableInPreviewMode",)),)

PROFILES: dict[str, SiteProfile] = {
    p.name: p
    for p in (
        SiteProfile(
            name="vnexpress",
            start_urls=("https://vnexpress.net/rss/tin-moi-nhat.rss", "https://vnexpress.net/google-news-sitemap.xml"),
            article_path=r"-\d{7,}\.html$",
            layouts=(
                Layout(
                    name="v1", seen="2020-",
                    title=("h1.title-detail", "h1.title_news_detail"),
                    summary=("p.description", "h2.description"),
                    body=("article.fck_detail", "div.fck_detail"),
                    published=('meta[name="pubdate"]::attr(content)',),
                    category=("ul.breadcrumb li a",),
                    boxes=(("location_stamp", ("span.location-stamp",)),),
                ),
            ),
            site_names=("VnExpress", "Báo VnExpress"),
        ),
        SiteProfile(
            name="tuoitre",
            start_urls=("https://tuoitre.vn/rss/tin-moi-nhat.rss", "https://tuoitre.vn/sitemap.xml"),
            article_path=r"-\d{16,18}\.htm$",
            layouts=(
                Layout(
                    name="v1", seen="2021-",
                    title=("h1.detail-title", "h1.article-title"),
                    summary=('h2.detail-sapo[data-role="sapo"]', "h2.detail-sapo", "h2.sapo"),
                    body=('div.detail-content[data-role="content"]', "div.detail-content", "div#main-detail-body"),
                    category=("div.detail-cate a", "ul.detail-breadcrumb li a"),
                    boxes=DETAIL_CMS_BOXES,
                ),
            ),
            site_names=("Tuổi Trẻ Online", "Báo Tuổi Trẻ", "Tuổi Trẻ", "tuoitre.vn"),
            summary_prefixes=(r"^TTO\s*[-–—]\s*",),
        ),
        SiteProfile(
            name="thanhnien",
            start_urls=("https://thanhnien.vn/rss/home.rss", "https://thanhnien.vn/sitemap.xml"),
            article_path=r"-\d{9,}\.html?$",
            layouts=(
                Layout(
                    name="v1", seen="2022-",
                    title=("h1.detail-title", "h1.detail__title"),
                    summary=("h2.detail-sapo", "div.detail-sapo"),
                    body=("div.detail-cmain", "div.detail-content", "div#main-detail-content"),
                    category=("div.detail-cate a",),
                    boxes=DETAIL_CMS_BOXES,
                ),
            ),
            site_names=("Báo Thanh Niên", "Thanh Niên", "thanhnien.vn"),
            summary_prefixes=(r"^TNO\s*[-–—]\s*",),
        ),
        SiteProfile(
            name="dantri",
            start_urls=("https://dantri.com.vn/rss/home.rss", "https://dantri.com.vn/sitemap.xml"),
            article_path=r"-\d{14,18}\.htm$",
            layouts=(
                # 2025: no classes, data-slot attributes (FACTS.md, "Real pages"); the date and the
                # section come from the page's JSON-LD NewsArticle
                Layout(
                    name="v3", seen="2025-",
                    title=('h1[data-slot="title"]',),
                    summary=('h2[data-slot="sapo"]',),
                    body=('div[data-slot="content"]',),
                ),
                Layout(
                    name="v2", seen="2021-2025",
                    title=("h1.title-page",),
                    summary=("h2.singular-sapo", "div.singular-sapo"),
                    body=("div.singular-content",),
                    published=("time.author-time::attr(datetime)",),
                    category=("ul.breadcrumbs li a",),
                ),
                Layout(
                    name="v1", seen="-2021",
                    title=("h1.dt-news__title",),
                    summary=("h2.dt-news__sapo",),
                    body=("div.dt-news__body", "div#divNewsContent"),
                    category=('a[data-content-name="article-breadcrumb"]',),
                ),
            ),
            site_names=("Báo Dân trí", "Dân trí", "Dantri", "dantri.com.vn"),
            summary_prefixes=(r"^\(\s*Dân\s*trí\s*\)\s*[-–—]?\s*",),
        ),
        SiteProfile(
            name="vietnamnet",
            start_urls=("https://vietnamnet.vn/rss/tin-moi-nhat.rss", "https://vietnamnet.vn/sitemap.xml"),
            article_path=r"-\d{6,}\.html$",
            layouts=(
                Layout(
                    name="v1", seen="2022-",
                    title=("h1.content-detail-title",),
                    summary=("h2.content-detail-sapo",),
                    body=("div.maincontent", "div.main-content"),
                    # the visible stamp "02/03/2025 08:05 (GMT+07:00)"; JSON-LD carries the same
                    published=("div.publish-date::text",),
                    category=("div.bread-crumb-detail ul li a[title]", "div.bread-crumb-detail ul li a"),
                    boxes=(("author", ("p.article-detail-author__info",)),),
                ),
            ),
            site_names=("Báo VietNamNet", "VietNamNet", "vietnamnet.vn"),
            summary_prefixes=(r"^VietNamNet\s*[-–—]\s*",),
        ),
        SiteProfile(
            name="baoxaydung",
            start_urls=("https://baoxaydung.vn/rss/home.rss",),
            article_path=r"-\d{12,}\.htm$",
            layouts=(
                Layout(
                    name="v1", seen="2023-",
                    title=("h1.detail-title",),
                    summary=("h2.detail-sapo", '[data-role="sapo"]'),
                    body=('div.detail-content[data-role="content"]', "div.detail-content"),
                    category=("a.detail-cate-top", "a.category-name_ac"),
                    boxes=DETAIL_CMS_BOXES,
                ),
            ),
            site_names=("Báo Xây dựng", "Xây dựng", "baoxaydung.vn"),
            summary_prefixes=(r"^\(?\s*Xây\s*dựng\s*\)?\s*[-–—]\s*",),
        ),
        # moc.gov.vn: no public detail selectors; the meta description and trafilatura do the work.
        SiteProfile(
            name="moc",
            start_urls=("https://moc.gov.vn/vn/chuyen-muc/1269/tin-tuc.aspx",),
            article_path=r"^/vn/tin-tuc/\d+/\d+/[^/]+\.aspx$",
            layouts=(
                Layout(
                    name="v1", seen="2024-",
                    title=("div.title_news h1", "h1"),
                    # the portal's date stamp "(01/10/2024)", as in its listing rows (a day, no time)
                    published=("span.news_datetime::text",),
                ),
            ),
            site_names=("Bộ Xây dựng",),
        ),
        # Any news site: an article is a page whose last path segment is a long slug or carries an id.
        SiteProfile(
            name="generic",
            start_urls=(),
            article_path=r"/[^/?]*(\d{5,}|[^\W\d_]+(-[^\W_]+){3,})[^/?]*(\.s?html?|\.aspx|\.php)?/?$",
        ),
    )
}


def get_profile(name: str) -> SiteProfile:
    """The profile called `name`; ValueError listing the known names otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown site {name!r}; choose one of: {', '.join(PROFILES)}") from None
