"""A lenient, streaming parser of the NCLS release's pseudo-XML (and of LCSTS, which shares it).

Files are sequences of `<doc id=N> ... </doc>` records whose tags (`<Article>`, `<EN-REF-1>`,
`<ZH-REF-1-human-corrected>`, `<short_text>`, `<summary>`, ...) each open a text, on the same
line or on the following lines. The text is not well-formed XML (bare `&`, `<` in text, missing
closing tags), so an XML parser would reject whole files; this line-based reader accepts missing
closing tags and blank lines and counts what it cannot place instead of failing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# The release's tags (NCLS En2Zh / Zh2En, LCSTS): <doc id=N>, <Article>, <EN-REF-k>,
# <ZH-REF-k-human-corrected>, <en-summary>, <back-translated-zh-summary>, <summary>, <short_text>,
# <human_label>; optionally with attributes. Anything else is text.
_STRUCTURE_NAMES = (
    r"doc|article|short_text|summary|human_label|text|source|(?:en|zh)-[\w\-]+|back-translated-[\w\-]+"
)
_TAG = re.compile(rf"<\s*(/?)\s*({_STRUCTURE_NAMES})((?:\s+[^<>]*)?)>", re.IGNORECASE)
# HTML formatting inside a text: removed; those that break a line become a space.
_HTML_INLINE = "a abbr b big cite code em font i q s small span strike strong sub sup tt u".split()
_HTML_BREAKING = "blockquote br center dd div dl dt h1 h2 h3 h4 h5 h6 hr img li ol p pre table tbody td th tr ul wbr".split()
_HTML_TAG = re.compile(
    rf"<\s*/?\s*({'|'.join(_HTML_INLINE + _HTML_BREAKING)})(?:\s+[^<>]*)?/?\s*>", re.IGNORECASE
)
_BREAKING = frozenset(_HTML_BREAKING)
_TAG_LIKE = re.compile(r"<\s*/?\s*[A-Za-z][\w\-]*(?:\s+[^<>]*)?/?\s*>")
_DOC_ID = re.compile(r"""id\s*=\s*["']?([^"'\s>]+)""")
_SUMMARY_TAG = re.compile(r"^(en|zh)-(?:ref|sum|summary)\b")
_SOURCE_TAGS = ("article", "short_text", "text", "en-article", "zh-article", "source")
_NUMBER = re.compile(r"\d+")


@dataclass
class RawDoc:
    """One `<doc>` record: its id and the texts of its tags (lower-cased names, in file order)."""

    id: str | None
    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)

    def add(self, tag: str, text: str) -> None:
        """Append a line of text to `tag` (lines of one tag occurrence are joined with a space)."""
        self.tags.setdefault(tag, []).append(text)

    def source_text(self) -> str:
        """The article / source text, or "" when the record has none."""
        return next((" ".join(self.tags[t]) for t in _SOURCE_TAGS if self.tags.get(t)), "")

    def summary(self, lang: str) -> str:
        """The `lang` summary: its reference sentences in order, human-corrected ones preferred.

        Each `<ZH-REF-k-human-corrected>` sentence replaces its plain `<ZH-REF-k>`, sentence by
        sentence, so a record whose corrections cover only some sentences keeps the others;
        LCSTS's `<summary>` is the Chinese summary.
        """
        refs = {tag: texts for tag, texts in self.tags.items() if (m := _SUMMARY_TAG.match(tag)) and m.group(1) == lang}
        if lang == "zh" and not refs and self.tags.get("summary"):
            refs = {"summary": self.tags["summary"]}
        chosen: dict[tuple[int, str], tuple[bool, list[str]]] = {}
        for tag, texts in refs.items():
            if "back" in tag:
                continue
            found = _NUMBER.search(tag)
            sentence = (int(found.group()), "") if found else (0, tag)
            human = "human" in tag
            if sentence not in chosen or (human and not chosen[sentence][0]):
                chosen[sentence] = (human, texts)
        separator = "" if lang == "zh" else " "
        return separator.join(" ".join(chosen[s][1]).strip() for s in sorted(chosen)).strip()


def iter_docs(path: Path, problems: Counter[str]) -> Iterator[RawDoc]:
    """Yield the `<doc>` records of one file, streaming; count what was odd in `problems`.

    Counted (never fatal): `unclosed_doc` (a `<doc>` opened before the previous one closed, or at
    the end of the file), `text_outside_doc` (non-blank lines between records), `text_outside_tag`,
    `not_utf8_line` (a line with bytes that are not UTF-8; they are read as U+FFFD),
    `html_tag_removed` (HTML formatting tags removed from a text), `tag_like_text` (a `<...>` token
    that is not one of the release's tags, kept as text).
    """
    doc: RawDoc | None = None
    tag: str | None = None
    with Path(path).open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if "\ufffd" in line:
                problems["not_utf8_line"] += 1
            if "<" in line:
                line = _strip_formatting(line, problems)
            position = 0
            for match in _TAG.finditer(line):
                _text(line[position : match.start()], doc, tag, problems)
                closing, name = match.group(1) == "/", match.group(2).lower()
                position = match.end()
                if name == "doc" and not closing:
                    if doc is not None:
                        problems["unclosed_doc"] += 1
                        yield doc
                    found = _DOC_ID.search(match.group(3) or "")
                    doc, tag = RawDoc(found.group(1) if found else None, number), None
                elif name == "doc":
                    if doc is not None:
                        yield doc
                    doc, tag = None, None
                elif doc is not None:
                    tag = None if closing else name
            _text(line[position:], doc, tag, problems)
    if doc is not None:
        problems["unclosed_doc"] += 1
        yield doc


def _strip_formatting(line: str, problems: Counter[str]) -> str:
    """Remove (and count) HTML formatting tags; count the other tag-like tokens left as text."""

    def replace(match: re.Match) -> str:
        problems["html_tag_removed"] += 1
        return " " if match.group(1).lower() in _BREAKING else ""

    line = _HTML_TAG.sub(replace, line)
    kept = sum(1 for match in _TAG_LIKE.finditer(line) if not _TAG.fullmatch(match.group()))
    if kept:
        problems["tag_like_text"] += kept
    return line


def _text(text: str, doc: RawDoc | None, tag: str | None, problems: Counter[str]) -> None:
    text = " ".join(text.split())
    if not text:
        return
    if doc is None:
        problems["text_outside_doc"] += 1
    elif tag is None:
        problems["text_outside_tag"] += 1
    else:
        doc.add(tag, text)
