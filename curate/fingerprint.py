"""Content fingerprints of files and folders (model weights, dataset files), cheap to ask for twice.

What was computed from a path (a resumed training run, cached translations) must be reused only
while the path still holds the same content: a model retrained or re-downloaded into the same
folder is another model. Hashing a large model takes seconds, so a file's SHA-256 is remembered
per (path, size, mtime, ctime, inode) for the life of the process: asking again about an unchanged
file costs one `stat`; a rewritten file (new mtime/ctime, usually a new inode) is read again.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path


def file_stamp(path: Path) -> tuple[int, int, int, int]:
    """(size, mtime_ns, ctime_ns, inode) of a file (symlinks followed); changes whenever it is rewritten."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def file_sha256(path: Path | str) -> str:
    """SHA-256 (hex) of a file's bytes, read once per process while its stamp (`file_stamp`) is unchanged.

    Raises:
        OSError: the file cannot be read (FileNotFoundError when it is missing).
    """
    resolved = Path(path).resolve()
    return _sha256(resolved, *file_stamp(resolved))


@lru_cache(maxsize=4096)
def _sha256(path: Path, size: int, mtime_ns: int, ctime_ns: int, inode: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def files_fingerprint(paths: list[Path]) -> str:
    """SHA-256 (hex) over the files' SHA-256 digests, in the given order (names and places do not count)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(bytes.fromhex(file_sha256(path)))
    return digest.hexdigest()


def folder_fingerprint(folder: Path | str) -> str:
    """SHA-256 (hex) over the names and SHA-256 digests of a folder's top-level files, sorted by name.

    Every file counts (weights, config.json, generation_config.json, the tokenizer's files), hidden
    ones (`.gitattributes`, `.cache`) and subfolders excepted: a model folder is flat, and any change
    to what `from_pretrained` reads changes the fingerprint.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).iterdir() if p.is_file() and not p.name.startswith(".")):
        digest.update(path.name.encode("utf-8") + b"\0" + bytes.fromhex(file_sha256(path)))
    return digest.hexdigest()
