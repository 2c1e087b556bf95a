"""The site profiles: one `SiteProfile` per supported news site (selectors from FACTS.md / reference).

Selectors drift; every list is ordered newest layout first, and the extractor falls back to the
meta description and trafilatura when all of them miss.
"""

from __future__ import annotations

from crawl.profile import SiteProfile

# Elements that are never article text on any of these CMSs: photo captions, embedded boxes.
CAPTIONS = ("figcaption", "figure", "table.picture", ".PhotoCMS_Caption", ".image-caption", "p.Image")
RIGHT_ALIGNED = ('p[style*="text-align:right"]', 'p[style*="text-align: right"]', 'p[align="right"]')
# The "detail-*" CMS shared by Tuổi Trẻ, Thanh Niên and Báo Xây dựng.
DETAIL_CMS_DROP = CAPTIONS + RIGHT_ALIGNED + ("div.VCSortableInPreviewMode", "div.author-info", "div.detail-author")

PROFILES: dict[str, SiteProfile] = {
    p.name: p
    for p in (
        SiteProfile(
            name="vnexpress",
            start_urls=("https://vnexpress.net/rss/tin-moi-nhat.rss", "https://vnexpress.net/google-news-sitemap.xml"),
            article_path=r"-\d{7,}\.html$",
            title=("h1.title-detail::text", "h1.title_news_detail::text"),
            summary=("p.description", "h2.description"),
            body=("article.fck_detail", "div.fck_detail"),
            published=('meta[name="pubdate"]::attr(content)',),
            category=("ul.breadcrumb li a::text",),
            drop=("span.location-stamp",) + CAPTIONS + RIGHT_ALIGNED,
        ),
        SiteProfile(
            name="tuoitre",
            start_urls=("https://tuoitre.vn/rss/tin-moi-nhat.rss", "https://tuoitre.vn/sitemap.xml"),
            article_path=r"-\d{16,18}\.htm$",
            title=("h1.detail-title::text", "h1.article-title::text"),
            summary=('h2.detail-sapo[data-role="sapo"]', "h2.detail-sapo", "h2.sapo"),
            body=('div.detail-content[data-role="content"]', "div.detail-content", "div#main-detail-body"),
            category=("div.detail-cate a::text", "ul.detail-breadcrumb li a::text"),
            drop=DETAIL_CMS_DROP,
            summary_prefixes=(r"^TTO\s*[-–—]\s*",),
        ),
        SiteProfile(
            name="thanhnien",
            start_urls=("https://thanhnien.vn/rss/home.rss", "https://thanhnien.vn/sitemap.xml"),
            article_path=r"-\d{9,}\.html?$",
            title=("h1.detail-title::text", "h1.detail__title::text"),
            summary=("h2.detail-sapo", "div.detail-sapo"),
            body=("div.detail-cmain", "div.detail-content", "div#main-detail-content"),
            category=("div.detail-cate a::text",),
            drop=DETAIL_CMS_DROP,
            summary_prefixes=(r"^TNO\s*[-–—]\s*",),
        ),
        SiteProfile(
            name="dantri",
            start_urls=("https://dantri.com.vn/rss/home.rss", "https://dantri.com.vn/sitemap.xml"),
            article_path=r"-\d{14,18}\.htm$",
            title=("h1.title-page::text", "h1.dt-news__title::text"),
            summary=("h2.singular-sapo", "div.singular-sapo", "h2.dt-news__sapo"),
            body=("div.singular-content", "div.dt-news__body", "div#divNewsContent"),
            published=("time.author-time::attr(datetime)",),
            category=("ul.breadcrumbs li a::text", 'a[data-content-name="article-breadcrumb"]::text'),
            drop=CAPTIONS + RIGHT_ALIGNED + ("div.author-wrap", "div.author-name"),
            summary_prefixes=(r"^\(\s*Dân\s*trí\s*\)\s*[-–—]?\s*",),
        ),
        SiteProfile(
            name="vietnamnet",
            start_urls=("https://vietnamnet.vn/rss/tin-moi-nhat.rss", "https://vietnamnet.vn/sitemap.xml"),
            article_path=r"-\d{6,}\.html$",
            title=("h1.content-detail-title::text",),
            summary=("h2.content-detail-sapo",),
            body=("div.maincontent", "div.main-content"),
            category=("div.bread-crumb-detail ul li a[title]::text", "div.bread-crumb-detail ul li a::text"),
            drop=CAPTIONS + RIGHT_ALIGNED + ("div.ck-cms-insert-neww-group", "p.article-detail-author__info"),
            summary_prefixes=(r"^VietNamNet\s*[-–—]\s*",),
        ),
        SiteProfile(
            name="baoxaydung",
            start_urls=("https://baoxaydung.vn/rss/home.rss",),
            article_path=r"-\d{12,}\.htm$",
            title=("h1.detail-title::text",),
            summary=("h2.detail-sapo", '[data-role="sapo"]'),
            body=('div.detail-content[data-role="content"]', "div.detail-content"),
            category=("a.detail-cate-top::text", "a.category-name_ac::text"),
            drop=DETAIL_CMS_DROP,
            summary_prefixes=(r"^\(?\s*Xây\s*dựng\s*\)?\s*[-–—]\s*",),
        ),
        # moc.gov.vn: no public detail selectors; the meta description and trafilatura do the work.
        SiteProfile(
            name="moc",
            start_urls=("https://moc.gov.vn/vn/chuyen-muc/1269/tin-tuc.aspx",),
            article_path=r"^/vn/tin-tuc/\d+/\d+/[^/]+\.aspx$",
            title=("div.title_news h1::text", "h1::text"),
            # the portal's date stamp "(01/10/2024)", as in its listing rows (a day, no time)
            published=("span.news_datetime::text",),
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
