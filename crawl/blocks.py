"""Text of an element: as one string (a sapo) or as its text blocks in document order (a body).

A body container holds its text in `<p>`, but also in bare `<div>`s, list items, quotes and table
cells (a table row is one block); every block is kept, in document order. Named non-body boxes (crawl/layout.py) are left out
and counted by name.

Hand-written rather than html-text or trafilatura: those decide what is boilerplate by heuristics
and would drop or merge blocks inside a container a profile has already identified as the body.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from cssselect import HTMLTranslator
from lxml import etree
from parsel import Selector

from crawl.layout import AUTHOR_LINE_XPATHS

# Elements that start a new text block; everything else (a, b, span, em, ...) is inline.
BLOCK_TAGS = frozenset(
    "p div li blockquote h1 h2 h3 h4 h5 h6 pre dd dt ul ol dl table tr tbody thead tfoot section "
    "article header footer main figure figcaption address center details summary".split()
)
_SKIPPED_TAGS = frozenset(("script", "style", "noscript", "template"))
_CELLS = frozenset(("td", "th"))  # a table row is one block, its cells separated by spaces
_to_xpath = HTMLTranslator().css_to_xpath  # as parsel reads CSS on HTML pages


def named_boxes(element: Selector, boxes: tuple[tuple[str, tuple[str, ...]], ...], *, author_tail: bool = False) -> dict:
    """The non-body elements under `element`: {lxml node: box name}, first name wins.

    Args:
        element: the sapo or body container.
        boxes: (name, CSS selectors) pairs, e.g. Layout.all_boxes().
        author_tail: also take short author lines without a class (crawl.layout.AUTHOR_LINE_XPATHS:
            a last paragraph holding only a bold name, a right-aligned paragraph), as "author".
    """
    found: dict = {}
    for name, query in _box_queries(boxes, author_tail):
        for node in query(element.root):
            found.setdefault(node, name)
    return found


@cache
def _box_queries(boxes: tuple[tuple[str, tuple[str, ...]], ...], author_tail: bool) -> list[tuple[str, etree.XPath]]:
    """One compiled XPath union per box name (a few dozen CSS queries a page would cost more than
    the rest of the extraction)."""
    queries = [(name, etree.XPath(" | ".join(_to_xpath(css) for css in selectors))) for name, selectors in boxes]
    if author_tail:
        queries.append(("author", etree.XPath(" | ".join("." + xpath for xpath in AUTHOR_LINE_XPATHS))))
    return queries


def count_boxes(found: dict) -> Counter:
    """Boxes by name, counting only the outermost of nested ones."""
    counts: Counter = Counter()
    for node, name in found.items():
        if not any(parent in found for parent in node.iterancestors()):
            counts[name] += 1
    return counts


def element_text(node, skipped) -> str:
    """All text of an lxml node as one string, leaving out `skipped` subtrees, scripts and comments."""
    parts: list[str] = []
    _walk(node, skipped, parts, None)
    return "".join(parts)


def selected_texts(selector: Selector, css: str) -> list[str]:
    """The strings a field selector (title, category) yields, in document order.

    `el::attr(name)` gives the attribute values; an element selector (`h1.title`, and `h1.title::text`
    read the same way) gives each element's whole text (`element_text`, `<br>` as a space), so
    `<h1>Giá vàng <strong>tăng</strong></h1>` reads "Giá vàng tăng", not the first text node "Giá vàng".
    """
    element_css, _, pseudo = css.partition("::")
    if pseudo and pseudo != "text":
        return selector.css(css).getall()
    return [element_text(element.root, ()) for element in selector.css(element_css)
            if not isinstance(element.root, str)]


def text_blocks(node, skipped) -> list[str]:
    """The text blocks of an lxml node in document order: one string per block element, text
    directly inside a container (a bare `<div>`'s text, a `<td>`) included."""
    blocks: list[str] = []
    parts: list[str] = []
    _walk(node, skipped, parts, blocks)
    _flush(parts, blocks)
    return blocks


def _walk(root, skipped, parts: list[str], blocks: list[str] | None) -> None:
    """Depth-first over `root`: each element's text, its children, each child's tail, with a block
    boundary around block elements. With an explicit stack, not recursion: a page of 1,500 nested
    `<div>`s (seen in the wild) would hit Python's recursion limit and lose the article."""
    stack: list[tuple[str, object]] = [("enter", root)]
    while stack:
        action, item = stack.pop()
        if action == "tail":
            parts.append(item or "")
            continue
        node = item
        block = blocks is not None and node.tag in BLOCK_TAGS
        if action == "exit":
            if block:
                _flush(parts, blocks)
            continue
        if node in skipped or not isinstance(node.tag, str) or node.tag in _SKIPPED_TAGS:
            continue
        if block:
            _flush(parts, blocks)
        if node.tag == "br" or node.tag in _CELLS:
            parts.append(" ")
        parts.append(node.text or "")
        stack.append(("exit", node))
        for child in reversed(node):
            stack.append(("tail", child.tail))
            stack.append(("enter", child))


def _flush(parts: list[str], blocks: list[str]) -> None:
    text = "".join(parts)
    parts.clear()
    if text.strip():
        blocks.append(text)
