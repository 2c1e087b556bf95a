"""The docs name exactly the registered plug-ins: each registry entry (site profile, translation backend,
filter step, training method, loss scheme) has its row in the page that documents its kind, and no
page documents one that is not registered. README's command table lists the same choices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawl.sites import PROFILES
from curate.filters.registry import STEPS
from curate.translate.registry import BACKENDS
from train.registry import LOSSES, METHODS

ROOT = Path(__file__).resolve().parents[1]


def section(page: str, heading: str) -> str:
    """The text of `docs/page` from the line `heading` to the next heading of the same or a higher level."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    level = heading.split(" ", 1)[0]
    start = text.index(f"\n{heading}\n")
    ends = [m.start() for m in re.finditer(r"\n#{1,%d} " % len(level), text) if m.start() > start]
    return text[start : ends[0] if ends else len(text)]


def first_cells(text: str) -> list[str]:
    """The first cell of each table body row, without backticks (header and rule rows left out)."""
    rows = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]
    return [row.split("|")[1].strip().strip("`") for row in rows[1:]]


def bullets(text: str, after: str) -> list[str]:
    """The leading `name` of each `- ` bullet of the list that follows the line `after`."""
    lines = text.split(f"\n{after}\n", 1)[1].splitlines()
    items = []
    for line in lines:
        if not line.startswith(("- ", "  ")):
            break
        if match := re.match(r"- `([^`]+)`", line):
            items.append(match.group(1))
    return items


DOCUMENTED = {
    "site profiles (docs/crawl.md, Profiles)": (lambda: first_cells(section("crawl.md", "## Profiles")), PROFILES),
    "translation backends (docs/translate.md, Backends)": (
        lambda: first_cells(section("translate.md", "## Backends")), BACKENDS),
    "filter steps (docs/curate.md, Filter steps)": (lambda: first_cells(section("curate.md", "## Filter steps")), STEPS),
    "training methods (docs/train.md, Methods)": (
        lambda: first_cells(section("train.md", "## Methods (`--method`)")), METHODS),
    "loss schemes (docs/train.md, Methods)": (
        lambda: bullets(section("train.md", "## Methods (`--method`)"), "Stage-2 loss (`--loss`):"), LOSSES),
}


@pytest.mark.parametrize("kind", DOCUMENTED)
def test_each_registered_plug_in_is_documented_once_and_nothing_else_is(kind):
    documented, registry = DOCUMENTED[kind]
    names = documented()
    assert sorted(names) == sorted(registry), f"{kind}: documented {names}, registered {list(registry)}"


def test_the_readme_command_table_offers_the_registered_choices():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    choices = {flag: set(names.split(",")) for flag, names in re.findall(r"(--[a-z]+) \{([a-z0-9,-]+)\}", text)}
    assert choices["--backend"] == set(BACKENDS)
    assert choices["--method"] == set(METHODS)
    assert choices["--loss"] == set(LOSSES)
    profiles = re.search(r"Crawl one site profile \(([^)]*)\)", text).group(1)
    assert set(re.findall(r"`([a-z]+)`", profiles)) == set(PROFILES)
