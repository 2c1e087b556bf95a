"""Library entry points for the CLI and the Prefect flows: build a translator, translate a JSONL field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curate.io import read_jsonl, write_jsonl
from curate.languages import get_language

from .base import Backend
from .cache import TranslationCache
from .registry import BACKENDS, check_backend
from .spec import TranslatorSpec
from .translator import Translator


def make_backend(spec: TranslatorSpec) -> Backend:
    """The backend `spec.backend` (a name in curate.translate.registry.BACKENDS), made by its factory
    from the whole spec.

    Raises ValueError (one line, listing the known names) for a name not (or no longer) registered.
    """
    return BACKENDS[check_backend(spec.backend)](spec)


def make_translator(spec: TranslatorSpec, cache: Path | None = None, **options: Any) -> Translator:
    """A Translator for one spec; `options` go to Translator (concurrency, chars_per_minute, batch_chars, ...).

    Forward and back translation may each get their own (say Google forward, `hf` back).
    """
    return Translator(make_backend(spec), cache=TranslationCache(cache), **options)


def translate_records_file(
    translator: Translator, input: Path, output: Path, field: str, src: str, tgt: str, to_field: str | None = None
) -> dict:
    """Add the translation of `field` to every record of `input`, written atomically to `output`; return the counters."""
    name = to_field or f"{field}_{tgt}"
    if name == field:
        raise ValueError(f"--to-field {name!r} would replace the field being translated; choose another name")
    records = list(read_jsonl(input))
    holding = next((number for number, record in enumerate(records, 1) if name in record), None)
    if holding is not None:  # before any request is paid for; `clsforge summarize` refuses the same way
        raise ValueError(
            f"{input}: record {holding} already has a field {name!r}; choose another --to-field "
            "(translating would overwrite it)"
        )
    texts = [_field_text(record, field, number, input) for number, record in enumerate(records, 1)]
    translations = translator.translate(texts, src, tgt)
    write_jsonl(output, ({**record, name: translation} for record, translation in zip(records, translations, strict=True)))
    return translator.counters.as_dict()


def check_inputs(input: Path, src: str, tgt: str, output: Path | None = None) -> None:
    """Fail fast (before a model loads or a client starts, before anything is paid for) on a missing
    input, an unknown or identical source and target language, or an output that is the input
    itself or a folder."""
    if get_language(src).code == get_language(tgt).code:
        raise ValueError(f"--src and --tgt are both {src!r}: nothing to translate")
    if not Path(input).is_file():
        raise FileNotFoundError(2, "No such file", str(input))
    if output is None:
        return
    if Path(output).is_dir():
        raise IsADirectoryError(21, "--output is a folder, not a JSONL file", str(output))
    blocking = next((parent for parent in Path(output).parents if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise NotADirectoryError(20, "--output is inside a file, not a folder", str(blocking))
    if Path(output).exists() and Path(output).samefile(input):
        raise ValueError(f"--output {output} is the input file; write the translations to another path")


def _field_text(record: dict, field: str, number: int, path: Path) -> str:
    """The text to translate; a null field counts as empty, a missing or non-text field is an error."""
    if field not in record:
        raise ValueError(f"{path}: record {number} has no field {field!r}")
    value = record[field]
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{path}: record {number} has a {type(value).__name__} in field {field!r}, not a text")
    return value or ""


def translate_file(
    input: Path,
    output: Path,
    field: str,
    src: str,
    tgt: str,
    spec: TranslatorSpec,
    to_field: str | None = None,
    cache: Path | None = None,
    progress: bool = True,
) -> dict:
    """Translate `field` of every record of `input` into `output` (new field `to_field`, default FIELD_TGT)
    with the translator `spec` describes.

    Same records, same order and count. Returns the counters (requests, characters_sent, cache_hits,
    retries, estimated_cost_usd, ...). `progress=False` hides the progress bar (flows translate
    many shards at once and show their progress as a Prefect artifact instead).
    """
    check_inputs(input, src, tgt, output)
    translator = make_translator(spec, cache=cache, progress=progress)
    try:
        return translate_records_file(translator, Path(input), Path(output), field, src, tgt, to_field)
    finally:
        translator.close()
