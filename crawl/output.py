"""The crawl's output folder: JSONL part files written line by line, read back on resume.

Each run appends records to a new `articles-NNNNN.jsonl`; a record is one `os.write` of one full
line, so a SIGKILL leaves at most a torn last line, which `OutputState.load` cuts off. The ids and
body fingerprints of the records already there are what resume and dedup use.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from crawl.text import body_key

PART_GLOB = "articles-*.jsonl"


@dataclass
class OutputState:
    """Records present in an output folder (from earlier runs) plus those written in this one."""

    folder: Path
    ids: set[str] = field(default_factory=set)
    body_keys: set[str] = field(default_factory=set)
    resumed: int = 0
    written: int = 0
    _fd: int | None = None

    @classmethod
    def load(cls, folder: Path) -> OutputState:
        """Read every part file of `folder` (cutting off a torn last line) into a new state."""
        folder.mkdir(parents=True, exist_ok=True)
        state = cls(folder)
        for part in sorted(folder.glob(PART_GLOB)):
            for record in _complete_records(part):
                state.remember(record)
                state.resumed += 1
        return state

    @property
    def total(self) -> int:
        """Records in the folder: resumed plus written in this run."""
        return self.resumed + self.written

    def remember(self, record: dict) -> None:
        """Mark a record as present (by id and by body fingerprint)."""
        self.ids.add(record["id"])
        self.body_keys.add(body_key(record["text"]))

    def write(self, record: dict) -> None:
        """Append one record as one line to this run's part file (created on first use)."""
        if self._fd is None:
            index = len(list(self.folder.glob(PART_GLOB)))
            path = self.folder / f"articles-{index:05d}.jsonl"
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.write(self._fd, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        self.remember(record)
        self.written += 1

    def close(self) -> None:
        """Close this run's part file."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _complete_records(part: Path) -> list[dict]:
    """The records of a part file; a torn last line (from a kill) is removed from the file."""
    data = part.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        with part.open("r+b") as handle:
            handle.truncate(len(complete))
    return [json.loads(line) for line in complete.decode("utf-8").splitlines() if line.strip()]
