"""Library noise in a log file: the console shows Prefect's lines without tracebacks, the file all of it.

A failed task used to print dozens of tracebacks (each retry, each flow level) before the one-line
`clsforge: error: ...`. While a `build` or `demo` runs, every log record also goes to
WORKDIR/clsforge.log with its traceback; on the console a record's traceback is replaced by a note
saying where it is, so the command's own one-line error stays what it prints last.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOG_NAME = "clsforge.log"


class WithoutTraceback(logging.Formatter):
    """A console formatter that formats a record as `inner` does, minus its traceback (noted instead)."""

    def __init__(self, inner: logging.Formatter | None, log_file: Path) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()
        self.note = f" (traceback in {log_file})"

    def format(self, record: logging.LogRecord) -> str:
        if not (record.exc_info or record.exc_text or record.stack_info):
            return self.inner.format(record)
        bare = logging.makeLogRecord(record.__dict__)
        bare.exc_info = bare.exc_text = bare.stack_info = None
        return self.inner.format(bare) + self.note


@contextmanager
def log_to_file(log_file: Path) -> Iterator[Path]:
    """While the body runs, log everything (tracebacks included) to `log_file` (appended) and keep the
    tracebacks off the console handlers of the root logger (Prefect's)."""
    from prefect import flow  # noqa: F401 - importing Prefect configures its logging (the console handler)

    log_file = Path(log_file)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    to_file = logging.FileHandler(log_file, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s - %(message)s"))
    root = logging.getLogger()
    consoles = [
        h for h in root.handlers if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    ]
    saved = [(handler, handler.formatter) for handler in consoles]
    for handler in consoles:
        handler.setFormatter(WithoutTraceback(handler.formatter, log_file))
    root.addHandler(to_file)
    try:
        yield log_file
    finally:
        root.removeHandler(to_file)
        to_file.close()
        for handler, formatter in saved:
            handler.setFormatter(formatter)
