"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.google_emulator import GoogleTranslateEmulator


@pytest.fixture
def google_emulator() -> Iterator[GoogleTranslateEmulator]:
    """A running Google Translate emulator (no faults, no latency; tune `.config` in the test)."""
    with GoogleTranslateEmulator() as emulator:
        yield emulator
