"""Content fingerprints: exact SHA-256 values, read once a process while a file is unchanged, read again when rewritten."""

from __future__ import annotations

import hashlib
import os

from curate import fingerprint
from curate.fingerprint import file_sha256, files_fingerprint, folder_fingerprint


def counting_reads(monkeypatch) -> list[str]:
    """Patch the module's hashing to record the name of every file actually read."""
    reads: list[str] = []
    real = hashlib.file_digest

    def digest(handle, name):
        reads.append(os.path.basename(handle.name))
        return real(handle, name)

    monkeypatch.setattr(fingerprint.hashlib, "file_digest", digest)
    return reads


def test_exact_values_and_an_unchanged_file_is_read_once(tmp_path, monkeypatch):
    reads = counting_reads(monkeypatch)
    weights, config = tmp_path / "model.safetensors", tmp_path / "config.json"
    weights.write_bytes(b"weights-1")
    config.write_text("{}", encoding="utf-8")
    assert file_sha256(weights) == hashlib.sha256(b"weights-1").hexdigest()
    inner = hashlib.sha256(b"weights-1").digest() + hashlib.sha256(b"{}").digest()
    assert files_fingerprint([weights, config]) == hashlib.sha256(inner).hexdigest()
    named = b"config.json\0" + hashlib.sha256(b"{}").digest() + b"model.safetensors\0" + hashlib.sha256(b"weights-1").digest()
    (tmp_path / ".gitattributes").write_text("x", encoding="utf-8")  # hidden: not part of the model
    (tmp_path / "sub").mkdir()
    assert folder_fingerprint(tmp_path) == hashlib.sha256(named).hexdigest()
    assert reads == ["model.safetensors", "config.json"]  # each file read once across the four calls


def test_a_rewritten_file_is_read_again_even_with_the_same_size_and_mtime(tmp_path, monkeypatch):
    reads = counting_reads(monkeypatch)
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"weights-1")
    before = os.stat(weights)
    first = file_sha256(weights)
    weights.write_bytes(b"weights-2")  # same size
    os.utime(weights, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime put back
    assert file_sha256(weights) == hashlib.sha256(b"weights-2").hexdigest() != first
    assert reads == ["model.safetensors", "model.safetensors"]
