"""`clsforge translate`: add the translation of one field to every record of a JSONL file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from curate.translate.registry import BACKENDS

if TYPE_CHECKING:
    from curate.translate.spec import TranslatorSpec

# A spec's errors name recipe keys; on the command line they name the flags.
RECIPE_TO_FLAG = {"`memory: PATH`": "a translation memory: pass --memory FILE"}


def translate(
    input: Path = typer.Option(..., "--input", help="Input JSONL."),
    output: Path = typer.Option(..., "--output", help="Output JSONL (same records, same order, plus the new field)."),
    field: str = typer.Option(..., "--field", help="Field to translate, e.g. summary."),
    src: str = typer.Option(..., "--src", help="Source language code (vi, zh, en, ...)."),
    tgt: str = typer.Option(..., "--tgt", help="Target language code."),
    to_field: str = typer.Option(None, "--to-field", help="Name of the new field (default FIELD_TGT)."),
    backend: str = typer.Option(..., "--backend", help="Translation backend: " + ", ".join(BACKENDS) + "."),
    google_endpoint: str = typer.Option(None, "--google-endpoint", help="Another host for the Google client (emulator, proxy)."),
    google_project: str = typer.Option(None, "--google-project", help="Google Cloud project (v3)."),
    cache: Path = typer.Option(None, "--cache", help="SQLite translation cache: nothing is paid for twice."),
    memory: Path = typer.Option(None, "--memory", help="Translation memory JSONL for the memory backend."),
    model: str = typer.Option(None, "--model", help="Model: hf name or path (default NLLB-200 600M), Google model id."),
    concurrency: int = typer.Option(None, "--concurrency", min=1, help="Requests in flight (default: 8 Google, 1 hf)."),
    chars_per_minute: int = typer.Option(None, "--chars-per-minute", min=1, help="Rate limit (default: Google's 6M quota)."),
    batch_chars: int = typer.Option(None, "--batch-chars", min=1, help="Target code points per request (below the API limit)."),
) -> None:
    """Translate one field of every record (Google Cloud Translate, a local model, or a replay memory)."""
    import json

    from curate.translate.run import check_inputs, make_translator, translate_records_file

    check_inputs(input, src, tgt, output)  # before the spec: a wrong language or file is named first
    spec = spec_from_flags(
        backend=backend,
        memory=None if memory is None else str(memory),
        google_endpoint=google_endpoint,
        google_project=google_project,
        model=model,
    )
    translator = make_translator(
        spec, cache=cache, concurrency=concurrency, chars_per_minute=chars_per_minute, batch_chars=batch_chars
    )
    try:
        counters = translate_records_file(translator, input, output, field, src, tgt, to_field)
    finally:
        translator.close()
    print(json.dumps(counters, ensure_ascii=False))


def spec_from_flags(**flags: str | None) -> TranslatorSpec:
    """One TranslatorSpec from the command's flags; a bad one raises a one-line ValueError in the flags' words
    (the validator's own message: `unknown translation backend 'x'; choose one of ...`)."""
    from pydantic import ValidationError

    from curate.translate.spec import TranslatorSpec  # here: pydantic stays out of `clsforge --help`

    try:
        return TranslatorSpec(**flags)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error.get("ctx", {}).get("error") or error["msg"])
        for recipe_words, flag_words in RECIPE_TO_FLAG.items():
            message = message.replace(recipe_words, flag_words)
        raise ValueError(message) from None
