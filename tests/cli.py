"""Run the `clsforge` console script in a subprocess, as a user's shell would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLSFORGE = [sys.executable, "-c", "from flows.cli import main; main()"]


def clsforge(*args: str, cwd: Path | str = REPO) -> subprocess.CompletedProcess:
    """Run `clsforge ARGS` (from the repository root unless `cwd` is given) and capture its output."""
    return subprocess.run([*CLSFORGE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)
