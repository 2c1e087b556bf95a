"""What one page layout of a site is: the selectors of one version of its article markup.

Sites change their markup; a profile keeps several layouts, newest first (the way fundus keeps
`V1`, `V2` parsers per publisher). The extractor reads each field from the first layout on the page
whose body container yields text (an empty placeholder of a newer template does not count), then
from the other layouts whose marker is on the page (crawl.extract.page_layouts).

Elements that are never article text are dropped *by name* (`BOXES` plus a layout's own `boxes`),
so a crawl can count what it removed: captions, author lines, related-article boxes, match facts.
"""

from __future__ import annotations

from dataclasses import dataclass

# Non-body boxes on every site (generic included), by name: the name is the counter in crawl_stats.
CAPTION = ("figcaption", "figure", "table.picture", "table.tplCaption", ".PhotoCMS_Caption", ".image-caption", "p.Image")
AUTHOR = (
    "p.author_mail", "p.author", ".author-info", ".detail-author", "div.author-wrap", "div.author-name", ".byline",
)
RELATED = (".related-news", ".box-tinlienquan", ".box-related", "div.ck-cms-insert-neww-group", "aside")
MATCH_FACTS = (".box-match", ".match-info", "table.match-facts", ".box-thong-so-tran-dau")
BOXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("caption", CAPTION),
    ("author", AUTHOR),
    ("related", RELATED),
    ("match_facts", MATCH_FACTS),
    ("script", ("script", "style", "noscript", "iframe", "form", "button")),
)
# Author lines no class names, both short (under 60 characters: a name, "Theo Báo Chính phủ"; a
# right-aligned sentence is body text): the body's last paragraph holding only a bold name
# ("<p><strong>Minh Quang</strong></p>"), and a right-aligned paragraph (style text-align:right in
# any case and spacing, or align=right). XPath so trafilatura can prune them too.
_SHORT = "[string-length(normalize-space(.)) < 60]"
_LOWER = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz'"  # and spaces removed
BOLD_NAME_XPATH = (
    "//p[not(following-sibling::*[normalize-space(.)])][b or strong]"
    "[normalize-space(.) = normalize-space(b[1]) or normalize-space(.) = normalize-space(strong[1])]" + _SHORT
)
RIGHT_ALIGNED_XPATH = (
    f"//p[contains(translate(@style, {_LOWER}), 'text-align:right') or translate(@align, {_LOWER}) = 'right']" + _SHORT
)
AUTHOR_LINE_XPATHS = (BOLD_NAME_XPATH, RIGHT_ALIGNED_XPATH)
LAST_BOLD_NAME_XPATH = " | ".join(AUTHOR_LINE_XPATHS)  # both, for trafilatura's prune_xpath


@dataclass(frozen=True)
class Layout:
    """The selectors of one version of a site's article pages.

    Attributes:
        name: short version name, newest highest ("v3"); counted per kept article in crawl_stats.
        seen: when this markup was seen on the live site (free text, e.g. "2025-"), for maintainers.
        title / summary / body / published / category: ordered CSS selectors; the first that yields
            text wins. `summary`, `body`, `title` and `category` select elements (read as the
            element's whole text, crawl.blocks.selected_texts); `published` may use `::text`/`::attr()`.
        boxes: (name, CSS selectors) of this layout's own non-body elements, dropped from the summary
            and the body and counted by name, in addition to `BOXES`.
    """

    name: str
    seen: str = ""
    title: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    boxes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def marker(self) -> tuple[str, ...]:
        """Selectors whose presence says a page has this layout: the body containers; for a layout
        without any, its other elements (title, sapo, date, category)."""
        others = self.title + self.summary + self.published + self.category
        return self.body or tuple(dict.fromkeys(css.split("::")[0] for css in others))

    def all_boxes(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """This layout's boxes, then the common ones."""
        return self.boxes + BOXES
