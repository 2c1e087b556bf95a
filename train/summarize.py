"""Summaries of new articles with a trained model (`clsforge train`'s `OUT/model`), in its target language.

`OUT/model/` is a standard mBART checkpoint whose tokenizer remembers the run's languages
(`src_lang`, `tgt_lang` in `tokenizer_config.json`) and whose `generation_config.json` holds the
decoding the run was evaluated with (`decoder_start_token_id` = the target language code, beams,
maximum length, no-repeat n-grams, language codes suppressed). Summarizing uses exactly those
settings: `model.generate(**inputs)` with nothing overridden, decoded as the test predictions were.

The input is any JSONL (crawl records, or records with another text field); the output is the same
records, in the same order and number, each with one field more (`generated_summary` by default).
Every record is checked before the model runs: a record without the text field, with an empty or
non-text one, in another language (`lang`) than the model reads, or that already holds the output
field, stops the command with one line naming it, so no record is ever silently left out.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from curate.io import atomic_path, read_jsonl
from curate.languages import LANGUAGES

DEFAULT_FIELD = "text"
DEFAULT_TO_FIELD = "generated_summary"
DEFAULT_MAX_SOURCE_LENGTH = 768  # tokens, as in training (train.config.TrainConfig.max_source_length)
WEIGHT_FILES = (
    "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"
)


@dataclass
class Summarizer:
    """A loaded model with its tokenizer and languages (our codes, e.g. `vi`, `zh`)."""

    model: Any
    tokenizer: Any
    source_lang: str
    target_lang: str
    max_source_length: int

    def encode(self, texts: list[str]) -> Any:
        """Model inputs of a batch: `input_ids`, `attention_mask`, LongTensors (batch, longest <= max_source_length)."""
        inputs = self.tokenizer(
            texts, max_length=self.max_source_length, truncation=True, padding=True, return_tensors="pt"
        )
        return inputs.to(self.model.device)

    def summarize(self, texts: list[str]) -> list[str]:
        """The summaries of one batch of texts, in order, with the model's saved generation settings."""
        import torch

        with torch.inference_mode():
            ids = self.model.generate(**self.encode(texts))
        return [
            text.strip()  # decoded as train.metrics.RougeMetric decodes the test predictions
            for text in self.tokenizer.batch_decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)
        ]


def check_model_dir(model_dir: Path) -> None:
    """Refuse (one line) a path that is not a saved model folder; point a run folder to its `model/`."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise FileNotFoundError(2, "no such model folder", str(model_dir))
    if not (model_dir / "config.json").is_file() or not any((model_dir / name).is_file() for name in WEIGHT_FILES):
        hint = (
            f"; the trained model is {model_dir / 'model'}"
            if (model_dir / "model" / "config.json").is_file()
            else "; pass the model/ folder of a `clsforge train` run"
        )
        raise ValueError(f"{model_dir} is not a model folder (no config.json and weights){hint}")


def language_of(mbart_code: str | None, what: str, model_dir: Path) -> str:
    """Our language code of an mBART language code (`zh_CN` -> `zh`); anything else is refused."""
    for language in LANGUAGES.values():
        if language.mbart == mbart_code:
            return language.code
    raise ValueError(
        f"{model_dir}: its {what} is {mbart_code!r}, not a known language code; "
        "is it a model trained by `clsforge train`?"
    )


def load_summarizer(
    model_dir: Path | str, device: str = "auto", max_source_length: int = DEFAULT_MAX_SOURCE_LENGTH
) -> Summarizer:
    """Load `model_dir` (a `clsforge train` OUT/model) for summarizing.

    Args:
        model_dir: the model folder (config.json, weights, tokenizer, generation_config.json).
        device: `auto` (CUDA when torch sees it, else CPU), `cpu` or `cuda`.
        max_source_length: source tokens kept per article (longer ones are truncated, and counted).

    Raises:
        FileNotFoundError: no such folder. ValueError: not a model folder, no tokenizer, or
        generation that does not start with a known target language code; CUDA asked for but absent.
    """
    model_dir = Path(model_dir)
    check_model_dir(model_dir)
    if max_source_length <= 0:
        raise ValueError("--max-source-length must be positive")
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    elif device not in ("cpu", "cuda"):
        raise ValueError(f"unknown device {device!r}; choose one of auto, cpu, cuda")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda asked for, but torch sees no CUDA device")
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{model_dir} does not load as a seq2seq model with its tokenizer: {exc}") from None
    start = model.generation_config.decoder_start_token_id
    target = language_of(tokenizer.convert_ids_to_tokens(start) if start is not None else None,
                         "first generated token (generation_config.decoder_start_token_id)", model_dir)
    # the saved tokenizer already ends every input with its source code (`... </s> vi_VN`), as in training
    source = language_of(getattr(tokenizer, "src_lang", None), "tokenizer's source language (src_lang)", model_dir)
    model.to(device).eval()
    return Summarizer(model, tokenizer, source, target, max_source_length)


def check_paths(input: Path, output: Path) -> None:
    """Fail fast on a missing input, an output that is a folder, or the input itself."""
    if not Path(input).is_file():
        raise FileNotFoundError(2, "No such input file", str(input))
    if Path(output).is_dir():
        raise IsADirectoryError(21, "--output is a folder, not a JSONL file", str(output))
    if Path(output).exists() and Path(output).samefile(input):
        raise ValueError(f"--output {output} is the input file; write the summaries to another path")


def check_records(input: Path, field: str, to_field: str) -> tuple[int, dict[str, int]]:
    """Read every record once: the count, and the first record number of each `lang` value seen.

    Raises ValueError naming the record (1-based, and its id) for a missing, non-text or empty
    `field`, or a record that already has `to_field`; a file with no record is refused too.
    """
    count, langs = 0, {}
    for number, record in enumerate(read_jsonl(input), 1):
        where = f"{input}: record {number}" + (f" (id {record['id']!r})" if "id" in record else "")
        value = record.get(field)
        if field not in record:
            raise ValueError(f"{where} has no field {field!r} (choose the text field with --field)")
        if not isinstance(value, str):
            raise ValueError(f"{where} has a {type(value).__name__} in field {field!r}, not a text")
        if not value.strip():
            raise ValueError(f"{where} has an empty {field!r}: nothing to summarize")
        if to_field in record:
            raise ValueError(f"{where} already has a field {to_field!r}; choose another --to-field")
        if isinstance(record.get("lang"), str):
            langs.setdefault(record["lang"], number)
        count = number
    if not count:
        raise ValueError(f"{input} holds no record")
    return count, langs


def batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Consecutive lists of `size` records (the last one shorter)."""
    while batch := list(islice(records, size)):
        yield batch


def summarize_file(
    model: Path | str | Summarizer,
    input: Path | str,
    output: Path | str,
    field: str = DEFAULT_FIELD,
    to_field: str = DEFAULT_TO_FIELD,
    batch_size: int = 8,
    device: str = "auto",
    max_source_length: int = DEFAULT_MAX_SOURCE_LENGTH,
    progress: bool = True,
) -> dict[str, Any]:
    """Write `output`: every record of `input`, in order, plus `to_field`, the summary of its `field`.

    Args:
        model: a model folder (`OUT/model`) or a loaded `Summarizer`.
        input / output: JSONL files (output written atomically: temp file + rename).
        field: the article text field (`text` in crawl records).
        to_field: the new field holding the summary.
        batch_size: articles generated at once.
        device / max_source_length: see `load_summarizer` (ignored for a loaded `Summarizer`).
        progress: show a progress bar (stderr, terminals only).

    Returns `{"records", "written", "truncated", "source_lang", "target_lang", "field", "to_field", "time_s"}`;
    `written` always equals `records`, and `truncated` counts articles longer than `max_source_length` tokens.

    Raises:
        FileNotFoundError / ValueError: see `check_paths`, `check_records`, `load_summarizer`, and a
        record whose `lang` is not the model's source language.
    """
    from tqdm import tqdm

    started = time.time()
    input, output = Path(input), Path(output)
    if batch_size <= 0:
        raise ValueError("--batch-size must be positive")
    check_paths(input, output)
    if not isinstance(model, Summarizer):
        check_model_dir(Path(model))
    count, langs = check_records(input, field, to_field)  # before the model loads: bad input fails in a second
    summarizer = model if isinstance(model, Summarizer) else load_summarizer(model, device, max_source_length)
    for lang, number in langs.items():
        if lang != summarizer.source_lang:
            raise ValueError(
                f"{input}: record {number} is in {lang!r} but the model summarizes {summarizer.source_lang!r} articles"
            )
    written = truncated = 0
    limit = summarizer.max_source_length
    with atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as out, tqdm(
        total=count, desc=f"summarize {summarizer.source_lang}->{summarizer.target_lang}", unit="article",
        file=sys.stderr, disable=None if progress else True,
    ) as bar:
        for batch in batches(read_jsonl(input), batch_size):
            texts = [record[field] for record in batch]
            truncated += sum(len(ids) > limit for ids in summarizer.tokenizer(texts)["input_ids"])
            for record, summary in zip(batch, summarizer.summarize(texts), strict=True):
                out.write(json.dumps({**record, to_field: summary}, ensure_ascii=False) + "\n")
                written += 1
            bar.update(len(batch))
        if written != count:  # the file changed while we read it: never publish a partial output
            raise ValueError(f"{input} changed while it was summarized ({count} records checked, {written} read)")
    return {
        "records": count,
        "written": written,
        "truncated": truncated,
        "source_lang": summarizer.source_lang,
        "target_lang": summarizer.target_lang,
        "field": field,
        "to_field": to_field,
        "time_s": round(time.time() - started, 3),
    }
