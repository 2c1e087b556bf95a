"""docs/train.md's option table names every `clsforge train` flag, and only those."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from train.config import TrainConfig

DOC = Path(__file__).resolve().parents[2] / "docs" / "train.md"


def option_table_flags() -> set[str]:
    """The `--flags` named in the first cell of each row of the '## Options' table."""
    section = DOC.read_text(encoding="utf-8").split("\n## Options", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `--")]
    return {flag for cell in rows for flag in re.findall(r"--[a-z0-9-]+", cell)}


def test_every_train_flag_is_in_the_option_table():
    flags = {f"--{f.name.replace('_', '-')}" for f in fields(TrainConfig)}
    assert option_table_flags() == flags - {"--method", "--data", "--train-size", "--out"}  # those have their sections


def test_generation_settings_are_documented_as_options_not_as_fixed():
    text = DOC.read_text(encoding="utf-8")
    assert "max length 128, no_repeat_ngram_size 3 |" not in text  # the old row called them fixed
    defaults = {"--generation-max-length": "128", "--no-repeat-ngram-size": "3", "--max-grad-norm": "1.0"}
    for flag, default in defaults.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{flag}`"))
        assert row.split("|")[2].strip() == default
