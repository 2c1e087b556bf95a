"""`clsforge translate`: add the translation of one field to every record of a JSONL file."""

from __future__ import annotations

from pathlib import Path

import typer


def translate(
    input: Path = typer.Option(..., "--input", help="Input JSONL."),
    output: Path = typer.Option(..., "--output", help="Output JSONL (same records, same order, plus the new field)."),
    field: str = typer.Option(..., "--field", help="Field to translate, e.g. summary."),
    src: str = typer.Option(..., "--src", help="Source language code (vi, zh, en, ...)."),
    tgt: str = typer.Option(..., "--tgt", help="Target language code."),
    to_field: str = typer.Option(None, "--to-field", help="Name of the new field (default FIELD_TGT)."),
    backend: str = typer.Option(..., "--backend", help="google-v3, google-v2, hf or memory."),
    google_endpoint: str = typer.Option(None, "--google-endpoint", help="Another host for the Google client (emulator, proxy)."),
    google_project: str = typer.Option(None, "--google-project", help="Google Cloud project (v3)."),
    cache: Path = typer.Option(None, "--cache", help="SQLite translation cache: nothing is paid for twice."),
    memory: Path = typer.Option(None, "--memory", help="Translation memory JSONL for the memory backend."),
) -> None:
    """Translate one field of every record (Google Cloud Translate, a local model, or a replay memory)."""
    raise NotImplementedError("`clsforge translate` is not available yet")
