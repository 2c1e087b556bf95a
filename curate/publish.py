"""Publishing a dataset directory to the Hugging Face Hub as a dataset repo, in one commit.

The directory is validated first (curate.dataset.validate_dataset: splits present, schema, no
overlap) and must carry its card. The token comes from `HF_TOKEN` or the login cache through
huggingface_hub and is never printed, logged or written anywhere; publishing refuses a directory
whose files contain it.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from curate.dataset import validate_dataset

_REPO_ID = re.compile(r"[\w.\-]+/[\w.\-]+")
RETRIES = 5
T = TypeVar("T")


def upload_plan(directory: Path) -> list[str]:
    """Files that publishing uploads: every file under `directory` except hidden ones, as sorted POSIX paths."""
    directory = Path(directory)
    return sorted(
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


# What a dataset directory publishes: the splits, the card and what it shows or cites (stats, plots,
# the leakage audit). Anything else there (CSVs `clsforge export` wrote into it, notes) stays local.
DATASET_FILES = ("data/*.parquet", "README.md", "stats.json", "leakage.json", "*.png")


def dataset_upload_plan(directory: Path) -> tuple[list[str], list[str]]:
    """(the files publishing uploads, the other visible files left out), sorted POSIX paths."""
    every = upload_plan(directory)
    chosen = sorted({p.relative_to(directory).as_posix() for g in DATASET_FILES for p in Path(directory).glob(g) if p.is_file()})
    return chosen, [name for name in every if name not in chosen]


def publish(
    directory: Path,
    repo_id: str,
    private: bool = False,
    dry_run: bool = False,
    api: Any = None,
    retries: int = RETRIES,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Validate `directory`, then create the dataset repo `repo_id` if needed and upload it in one commit.

    Args:
        directory: a dataset directory (splits, stats.json, README.md).
        repo_id: `OWNER/NAME` on the Hub.
        private: create the repo private (an existing repo keeps its visibility).
        dry_run: print the files that would be uploaded (path and size) and upload nothing.
        api: an `huggingface_hub.HfApi` (default: a new one, reading the token itself).
        retries: attempts per Hub call on HTTP 429 (rate limit), with exponential back-off.
        sleep: the wait function (tests pass a fake).

    Returns `{"repo_id", "files", "bytes", "splits", "dry_run", "commit_url"}`.
    """
    directory = Path(directory)
    if not _REPO_ID.fullmatch(repo_id):
        raise ValueError(f"--repo-id must look like OWNER/NAME, got {repo_id!r}")
    counts = validate_dataset(directory)
    if not (directory / "README.md").is_file():
        raise ValueError(f"{directory} has no dataset card (README.md); build it with the dataset before publishing")
    # A dry run refuses too: it must show what the real run would do, and that run would refuse.
    if not private and _is_ncls(directory):
        raise ValueError(
            f"{directory} is sampled from NCLS, whose terms forbid redistribution: publish it with --private, if at all"
        )
    files, left_out = dataset_upload_plan(directory)
    if left_out:
        print(f"not uploaded (not part of the dataset layout): {', '.join(left_out)}", file=sys.stderr)
    # The card's usage snippet names the repo the card was built for; the one pushed names this repo.
    contents = {name: str(directory / name) for name in files} | {"README.md": card_for_repo(directory, repo_id)}
    result = push_folder(
        directory, files, repo_id, "dataset", private=private, dry_run=dry_run, api=api, retries=retries,
        sleep=sleep, contents=contents, message=f"Upload {directory.name} with clsforge",
    )
    return {**result, "splits": counts, "left_out": left_out}


def push_folder(
    directory: Path,
    files: list[str],
    repo_id: str,
    repo_type: str,
    *,
    private: bool,
    dry_run: bool,
    api: Any,
    retries: int,
    sleep: Callable[[float], None],
    message: str,
    contents: dict[str, Any] | None = None,
    scanned: list[str] | None = None,
) -> dict[str, Any]:
    """Create `repo_id` (a `repo_type` repo: dataset or model) if needed and upload `files` of `directory`
    in one commit; with `dry_run`, print them (path and size) and upload nothing.

    `contents` replaces a file's bytes (a card rewritten for this repo); `scanned` are the files checked
    for the token (default all; weights are binary). Returns `{"repo_id", "files", "bytes", "dry_run",
    "commit_url"}`. Raises ValueError without a token, or when a file holds the token.
    """
    size = sum((directory / name).stat().st_size for name in files)
    result = {"repo_id": repo_id, "files": files, "bytes": size, "dry_run": dry_run, "commit_url": None}
    if dry_run:
        print(f"dry run: would upload {len(files)} files ({size} bytes) to {repo_type} repo {repo_id} in one commit:")
        for name in files:
            print(f"  {name}\t{(directory / name).stat().st_size}")
        return result
    from huggingface_hub import CommitOperationAdd, HfApi, get_token

    if api is None:
        if not get_token():
            raise ValueError("no Hugging Face token: set HF_TOKEN or run `hf auth login`")
        api = HfApi()
    _refuse_token_in_files(directory, files if scanned is None else scanned, get_token())
    _retry(lambda: api.create_repo(repo_id, repo_type=repo_type, private=private, exist_ok=True), retries, sleep)
    contents = contents or {}
    commit = _retry(
        lambda: api.create_commit(
            repo_id=repo_id,
            repo_type=repo_type,
            operations=[
                CommitOperationAdd(path_in_repo=name, path_or_fileobj=contents.get(name, str(directory / name)))
                for name in files
            ],
            commit_message=message,
        ),
        retries,
        sleep,
    )
    result["commit_url"] = getattr(commit, "commit_url", None)
    return result


def card_for_repo(directory: Path, repo_id: str) -> bytes:
    """The dataset card's bytes with its usage snippet's `load_dataset("...")` naming `repo_id`."""
    text = (Path(directory) / "README.md").read_text(encoding="utf-8")
    return re.sub(r'load_dataset\("[^"\n]*"', f'load_dataset("{repo_id}"', text).encode("utf-8")


def _is_ncls(directory: Path) -> bool:
    """True when the card marks the data as NCLS-derived (curate.ncls writes `license_name: ncls-research-only`)."""
    parts = (directory / "README.md").read_text(encoding="utf-8").split("---\n", 2)
    header = yaml.safe_load(parts[1]) if len(parts) == 3 and not parts[0].strip() else None
    return isinstance(header, dict) and header.get("license_name") == "ncls-research-only"


def _refuse_token_in_files(directory: Path, files: list[str], token: str | None) -> None:
    if not token:
        return
    for name in files:
        if not name.endswith(".parquet") and token.encode() in (directory / name).read_bytes():
            raise ValueError(f"{directory / name} contains the Hugging Face token; refusing to publish it")


def _retry(call: Callable[[], T], retries: int, sleep: Callable[[float], None]) -> T:
    """Run `call`, retrying on HTTP 429 with exponential back-off (or the server's Retry-After)."""
    from huggingface_hub.errors import HfHubHTTPError

    attempt = 1
    while True:
        try:
            return call()
        except HfHubHTTPError as exc:
            response = getattr(exc, "response", None)
            if getattr(response, "status_code", None) != 429 or attempt >= retries:
                raise
            retry_after = response.headers.get("Retry-After", "")
            sleep(float(retry_after) if retry_after.isdigit() else 2.0**attempt)
            attempt += 1
