"""Atomic file writes and JSONL reading/writing, shared by every curate, train and flow step.

An interrupted command must never leave a half-written output that a rerun would trust, so every
output is written to a temporary file in the same folder and renamed into place.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it is renamed to `path`, on error removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not tempfile.mkstemp: it creates mode 0600, and every output would end up unreadable to the
    # group. O_EXCL with 0666 gives the mode (umask applied) that a plain open() would.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def read_jsonl(path: Path | str) -> Iterator[dict[str, Any]]:
    """Yield the records of a JSONL file; a broken line, one that is not a JSON object (a list,
    a number...) or one that is not UTF-8 raises ValueError naming file and line."""
    for _, record in read_jsonl_numbered(path):
        yield record


def read_jsonl_numbered(path: Path | str) -> Iterator[tuple[int, dict[str, Any]]]:
    """read_jsonl with each record's 1-based line number in the file (blank lines are skipped but counted)."""
    path = Path(path)
    # Lines are read as bytes and decoded one by one, so that bytes that are not UTF-8 are
    # reported with their line and byte offset in the file (a text-mode reader only knows its chunk).
    offset = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise not_utf8(f"{path}:{number}", exc, offset) from None
            offset += len(raw)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a JSON record ({exc.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: a JSON {type(record).__name__}, not an object")
            yield number, record


def write_jsonl(path: Path | str, records: Iterable[dict[str, Any]]) -> int:
    """Write records as JSONL atomically (UTF-8, one per line); return how many were written."""
    count = 0
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def not_utf8(where: Path | str, exc: UnicodeDecodeError, offset: int = 0) -> ValueError:
    """The one-line error for bytes that are not UTF-8: `WHERE: not UTF-8 text (byte N: reason)`,
    N counted from the start of the file (`offset` is where the decoded bytes began)."""
    return ValueError(f"{where}: not UTF-8 text (byte {offset + exc.start}: {exc.reason})")


def check_output_folder(out: Path | str) -> None:
    """Refuse, before any work, an output folder that is (or lies inside) an existing file: Python's
    own error at the first write is a bare "File exists".

    Raises:
        ValueError: `the output folder is a file: PATH`, naming the file in the way.
    """
    out = Path(out)
    blocking = next((path for path in (out, *out.parents) if path.exists() and not path.is_dir()), None)
    if blocking is not None:
        raise ValueError(f"the output folder is a file: {blocking}")


def read_text(path: Path | str) -> str:
    """The whole file as UTF-8 text (universal newlines, as `Path.read_text`).

    Raises ValueError naming the file and the byte offset when the file is not UTF-8 (a binary file).
    """
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(path, exc) from None


def read_lines(path: Path | str) -> list[str]:
    """Lines of a text file without their line ends; a final newline does not add an empty line.

    A file that is not UTF-8 raises ValueError naming the file and the byte offset.
    """
    text = read_text(path)
    if text.endswith("\n"):
        text = text[:-1]
    return [line.rstrip("\r") for line in text.split("\n")] if text else []
