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

# Any `<name ...>` / `</name>` token; whether it is structure depends on the file's layout and on
# where it stands (below). Anything that is not structure is text.
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w\-]*)((?:\s+[^<>]*?)?)\s*/?\s*>")
# HTML formatting inside a text: removed; those that break a line become a space.
_HTML_INLINE = "a abbr b big cite code em font i q s small span strike strong sub sup tt u".split()
_HTML_BREAKING = "blockquote br center dd div dl dt h1 h2 h3 h4 h5 h6 hr img li ol p pre table tbody td th tr ul wbr".split()
_HTML_TAG = re.compile(
    rf"<\s*/?\s*({'|'.join(_HTML_INLINE + _HTML_BREAKING)})(?:\s+[^<>]*)?/?\s*>", re.IGNORECASE
)
_BREAKING = frozenset(_HTML_BREAKING)
_DOC_ID = re.compile(r"""id\s*=\s*["']?([^"'\s>]+)""")
_SUMMARY_TAG = re.compile(r"^(en|zh)-(?:ref|sum|summary)\b")
_SOURCE_TAGS = ("article", "short_text", "text", "en-article", "zh-article", "source")
_NCLS_REFERENCES = r"(?:en|zh)-(?:ref|sum|summary)\b[\w\-]*|back-translated-[\w\-]+"


@dataclass(frozen=True)
class Layout:
    """The tags of one release format: `sources` open the article / source text, `references` open
    a summary or label. Any other tag name in a file of this layout is text."""

    name: str
    sources: tuple[str, ...]
    references: re.Pattern

    def is_structure(self, name: str) -> bool:
        """Whether the lower-cased tag `name` is one of this layout's tags."""
        return name == "doc" or name in self.sources or self.is_reference(name)

    def is_reference(self, name: str) -> bool:
        """Whether the lower-cased tag `name` opens a summary / label of this layout."""
        return self.references.fullmatch(name) is not None


LAYOUTS = {
    # NCLS En2Zh (and Zh2En files that use the same REF tags): <Article>, <EN-REF-k>, <ZH-REF-k[-human-corrected]>.
    "ncls": Layout("ncls", ("article", "en-article", "zh-article"), re.compile(_NCLS_REFERENCES)),
    # NCLS Zh2En: <summary> (Chinese), <en-summary>, <back-translated-zh-summary>; a source, if any, in
    # <Article> or <short_text>.
    "ncls-zh2en": Layout("ncls-zh2en", ("article", "short_text", "en-article", "zh-article"),
                         re.compile(rf"summary|{_NCLS_REFERENCES}")),
    # LCSTS: <human_label>, <summary>, <short_text>.
    "lcsts": Layout("lcsts", ("short_text", "text"), re.compile(r"summary|human_label")),
    # A file whose first records show none of the above: every known tag name.
    "any": Layout("any", _SOURCE_TAGS, re.compile(rf"summary|human_label|{_NCLS_REFERENCES}")),
}
# How many lines `detect_layout` reads: enough for the first records, whatever their length.
_DETECT_LINES = 400
_LINE_START_TAG = re.compile(r"^\s*<\s*([A-Za-z][\w\-]*)")
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


def detect_layout(path: Path) -> Layout:
    """The layout of a release file, from the tags that open a line in its first records.

    `<ZH-REF-k>` -> "ncls" (whatever else opens a line: an article may quote a `<summary>`);
    otherwise `<summary>` with `<en-summary>`, `<EN-REF-k>` or `<back-translated-...>` -> "ncls-zh2en";
    `<summary>`, `<short_text>` or `<human_label>` -> "lcsts"; `<EN-REF-k>` alone -> "ncls"; else "any".
    """
    names: set[str] = set()
    with Path(path).open(encoding="utf-8-sig", errors="replace") as handle:  # utf-8-sig: a BOM at the start is no text
        for _, line in zip(range(_DETECT_LINES), handle, strict=False):
            if found := _LINE_START_TAG.match(line):
                names.add(found.group(1).lower())
    ncls_references = {name for name in names if re.fullmatch(_NCLS_REFERENCES, name)}
    if any(name.startswith("zh-") for name in ncls_references):
        return LAYOUTS["ncls"]
    if "summary" in names and ncls_references:
        return LAYOUTS["ncls-zh2en"]
    if names & {"summary", "short_text", "human_label"}:
        return LAYOUTS["lcsts"]
    return LAYOUTS["ncls"] if ncls_references else LAYOUTS["any"]


def iter_docs(path: Path, problems: Counter[str], layout: Layout | str | None = None) -> Iterator[RawDoc]:
    """Yield the `<doc>` records of one file, streaming; count what was odd in `problems`.

    `layout` (a `LAYOUTS` name or entry; default `detect_layout(path)`) says which tags are
    structure: `<doc>` / `</doc>` always; the layout's source and reference tags outside a source
    text. Inside an open source text (`<Article>`, `<short_text>`) only its own closing tag,
    `<doc>` / `</doc>`, or one of the layout's reference tags at the start of a line ends it (a
    missing closing tag); any other `<...>` there is article text, so no article is cut at a tag
    name (`<source>`, `<summary>` in an En2Zh article, `<EN-GB>`).

    Counted (never fatal): `unclosed_doc` (a `<doc>` opened before the previous one closed, or at
    the end of the file), `text_outside_doc` (non-blank lines between records), `text_outside_tag`,
    `not_utf8_line` (a line with bytes that are not UTF-8; they are read as U+FFFD),
    `html_tag_removed` (HTML formatting tags removed from a text), `tag_like_text` (a `<...>` token
    that is not structure where it stands, kept as text).
    """
    if not isinstance(layout, Layout):
        layout = LAYOUTS[layout] if layout else detect_layout(path)
    doc: RawDoc | None = None
    tag: str | None = None
    with Path(path).open(encoding="utf-8-sig", errors="replace") as handle:  # utf-8-sig: a BOM at the start is no text
        for number, line in enumerate(handle, 1):
            if "\ufffd" in line:
                problems["not_utf8_line"] += 1
            if "<" in line:
                line = _strip_formatting(line, problems)
            position = 0
            for match in _TAG.finditer(line):
                closing, name = match.group(1) == "/", match.group(2).lower()
                if not _ends_text(layout, tag, closing, name, at_line_start=not line[: match.start()].strip()):
                    problems["tag_like_text"] += 1
                    continue
                _text(line[position : match.start()], doc, tag, problems)
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


def _ends_text(layout: Layout, tag: str | None, closing: bool, name: str, at_line_start: bool) -> bool:
    """Whether the tag token `name` is structure where it stands, with `tag` the open tag (or None)."""
    if name == "doc":
        return True
    if not layout.is_structure(name):
        return False
    if tag in layout.sources:  # inside the article: only its end, or a reference opening a line
        return (closing and name == tag) or (not closing and at_line_start and layout.is_reference(name))
    return True


def _strip_formatting(line: str, problems: Counter[str]) -> str:
    """Remove (and count) HTML formatting tags."""

    def replace(match: re.Match) -> str:
        problems["html_tag_removed"] += 1
        return " " if match.group(1).lower() in _BREAKING else ""

    return _HTML_TAG.sub(replace, line)


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
