"""Publishing a trained model (`clsforge train`'s OUT/model) to the Hugging Face Hub with a model card.

The model card (`OUT/model/README.md`) is written from the run's `metrics.json` and the model's
own `generation_config.json`: languages, method, loss, train size, test and validation ROUGE, the
decoding settings, and how to use it (`clsforge summarize` or transformers). The upload is one
commit of every file of `OUT/model/`, as `curate.publish` does for datasets (same repo-id check,
429 retries, and refusal to upload a file holding the token; the token is never printed).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from curate.io import write_text_atomic
from curate.languages import get_language
from curate.publish import _REPO_ID, RETRIES, push_folder, upload_plan  # one Hub policy for datasets and models
from train.files import read_json_object
from train.hub_licenses import check_hub_license
from train.registry import LOSSES, METHODS
from train.summarize import check_model_dir


def read_run(run_dir: Path) -> tuple[dict[str, Any], Path]:
    """The run's metrics and its model folder; a folder that is not a finished run is refused in one line."""
    run_dir = Path(run_dir)
    if (run_dir / "config.json").is_file() and not (run_dir / "metrics.json").is_file() and (
        run_dir.parent / "metrics.json"
    ).is_file():
        run_dir = run_dir.parent  # OUT/model given: its run is the parent
    if not (run_dir / "metrics.json").is_file():
        raise ValueError(f"{run_dir} is not a finished `clsforge train` run (no metrics.json)")
    check_model_dir(run_dir / "model")
    return read_json_object(run_dir / "metrics.json"), run_dir / "model"


def method_text(metrics: dict[str, Any]) -> tuple[str, str]:
    """What the run's method is (for the card's text) and its card table rows (method, loss, reference),
    from the method and loss registries (train.registry); a method no longer registered is named only."""
    method, loss = METHODS.get(metrics.get("method")), metrics.get("loss")
    scheme = LOSSES.get(loss) if loss else None
    what = method.description if method and method.description else "see clsforge's docs/train.md"
    row = f"| method | {method.label} (`{method.name}`)" if method else f"| method | `{metrics.get('method')}`"
    if loss:
        formula = f": {scheme.description}" if scheme and scheme.description else ""
        row += f" (Stage-2 loss `{loss}`{formula}; r = {metrics.get('r')})"
    references = "; ".join(dict.fromkeys(entry.reference for entry in (method, scheme) if entry and entry.reference))
    return what, row + " |" + (f"\n| reference | {references} |" if references else "")


def model_card(metrics: dict[str, Any], generation: dict[str, Any], repo_id: str, license: str) -> str:
    """The README.md of a model repo: Hub YAML header (languages, license, task, base model, results) + text."""
    src, tgt = get_language(metrics["source_lang"]), get_language(metrics["target_lang"])
    test, validation = metrics.get("test", {}), metrics.get("validation", {})
    base = str(metrics.get("model", ""))
    hub_base = base.count("/") <= 1 and not base.startswith((".", "/", "~"))  # a Hub id, not a local path
    header: dict[str, Any] = {
        "language": [src.code, tgt.code],
        "license": license,
        "library_name": "transformers",
        "pipeline_tag": "summarization",
        "tags": ["cross-lingual-summarization", "mbart", "clsforge", metrics.get("method", "")],
    }
    if hub_base and base:
        header["base_model"] = base
    if test:
        header["model-index"] = [{
            "name": repo_id.split("/")[-1],
            "results": [{
                "task": {"type": "summarization", "name": f"Cross-lingual summarization {src.code}->{tgt.code}"},
                "metrics": [{"type": key, "name": f"test {key}", "value": round(test[key], 3)}
                            for key in ("rouge1", "rouge2", "rougeL") if key in test],
            }],
        }]
    rows = "\n".join(
        f"| {name} | {scores.get('rouge1', 0):.3f} | {scores.get('rouge2', 0):.3f} | {scores.get('rougeL', 0):.3f} |"
        for name, scores in (("test", test), ("validation (best checkpoint)", validation)) if scores
    )
    what, method_rows = method_text(metrics)
    weights = ", ".join(f"{k} = {v:.4f}" for k, v in metrics.get("loss_weights", {}).items())
    body = f"""
# {repo_id.split("/")[-1]}

Cross-lingual summarization from {src.name} to {tgt.name}: reads a {src.name} article and writes a
{tgt.name} summary. An mBART model fine-tuned with clsforge (`clsforge train --method
{metrics.get("method")}`): {what}.

| | |
|---|---|
{method_rows}
| base model | `{base}` |
| training examples | {metrics.get("train_size")} (seed {metrics.get("seed")}) |
| optimiser steps | {", ".join(f"{k}: {v}" for k, v in metrics.get("steps", {}).items())} |
{f"| final loss weights | {weights} |" + chr(10) if weights else ""}
## Results (ROUGE F x 100; {tgt.name} tokenized {"by character" if tgt.unit == "chars" else "by word"})

| split | ROUGE-1 | ROUGE-2 | ROUGE-L |
|---|---|---|---|
{rows}

Test set: {test.get("n", "?")} examples.

## Decoding (saved in `generation_config.json`)

Starts with the target language code `{tgt.mbart}` (`decoder_start_token_id`); beams: \
{generation.get("num_beams")}; maximum length: {generation.get("max_length")} tokens; no repeated \
{generation.get("no_repeat_ngram_size")}-grams. The tokenizer ends every input with `{src.mbart}`.

## Use

```
hf download {repo_id} --local-dir MODEL
clsforge summarize --model MODEL --input articles.jsonl --output summaries.jsonl
```
or with transformers alone:

```python
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
tokenizer = AutoTokenizer.from_pretrained("{repo_id}")
model = AutoModelForSeq2SeqLM.from_pretrained("{repo_id}")
ids = model.generate(**tokenizer(["..."], truncation=True, max_length=768, return_tensors="pt"))
print(tokenizer.batch_decode(ids, skip_special_tokens=True))
```
"""
    return "---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False) + "---\n" + body


def publish_model(
    run_dir: Path | str,
    repo_id: str,
    private: bool = False,
    dry_run: bool = False,
    license: str = "other",
    api: Any = None,
    retries: int = RETRIES,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Write `OUT/model/README.md` (the model card), then upload `OUT/model/` as model repo `repo_id`, one commit.

    Args:
        run_dir: a finished run folder `OUT` (metrics.json + model/), or its `OUT/model`.
        repo_id: `OWNER/NAME` on the Hub.
        private: create the repo private (an existing repo keeps its visibility).
        dry_run: write the card and print the files that would be uploaded; upload nothing.
        license: the card's license id, one of the Hub's (train.hub_licenses; the data's and the base
            model's terms decide which).
        api / retries / sleep: as `curate.publish.publish`.

    Returns `{"repo_id", "files", "bytes", "card", "dry_run", "commit_url"}`.

    Raises:
        ValueError: a malformed repo id, a license the Hub does not list, a folder that is not a
            finished run, no token.
    """
    if not _REPO_ID.fullmatch(repo_id):
        raise ValueError(f"--repo-id must look like OWNER/NAME, got {repo_id!r}")
    check_hub_license(license)  # before the card is written: the Hub would not recognise another id
    metrics, model_dir = read_run(Path(run_dir))
    generation = json.loads((model_dir / "generation_config.json").read_text(encoding="utf-8"))
    write_text_atomic(model_dir / "README.md", model_card(metrics, generation, repo_id, license))
    files = upload_plan(model_dir)
    result = push_folder(
        model_dir, files, repo_id, "model", private=private, dry_run=dry_run, api=api, retries=retries, sleep=sleep,
        message=f"Upload {metrics.get('method')} model with clsforge",
        scanned=[name for name in files if not name.endswith(".safetensors")],
    )
    return {**result, "card": str(model_dir / "README.md")}
