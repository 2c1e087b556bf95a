"""What identifies a training run beyond its options: the backbone's weights, the dataset's content, the libraries.

`clsforge report` averages only runs that agree in all of it except the seed, so these must be
facts about content, not paths: the same weights or dataset reached by two paths is the same, and
a rebuilt dataset in the same folder is not.
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from train.data import split_paths

WEIGHT_PATTERNS = ("*.safetensors", "*.bin")  # safetensors first; a .bin only when there is no safetensors file
LIBRARIES = ("clsforge", "torch", "transformers", "accelerate", "datasets", "tokenizers", "sentencepiece")


def files_fingerprint(paths: list[Path]) -> str:
    """SHA-256 (hex) of the files' bytes, in the given order (names and places do not count)."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def dataset_identity(data_dir: Path, train_size: int) -> dict[str, Any]:
    """`fingerprint` of the validation + test files (the same for every train size of one dataset),
    `train_fingerprint` of the train subset's file, and the folder the run read them from."""
    paths = split_paths(Path(data_dir), train_size)
    return {
        "fingerprint": files_fingerprint([paths["validation"], paths["test"]]),
        "train_fingerprint": files_fingerprint([paths["train"]]),
        "path": str(Path(data_dir).resolve()),
    }


def model_folder(model: str) -> Path | None:
    """The local folder of a model: the path itself, or a Hub model's cached snapshot (None if neither)."""
    if Path(model).expanduser().is_dir():
        return Path(model).expanduser()
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model, local_files_only=True, allow_patterns=list(WEIGHT_PATTERNS)))
    except Exception:  # not cached, or not a Hub id: the name alone will identify it
        return None


def backbone_identity(model: str) -> dict[str, Any]:
    """`name` (as given) and `fingerprint`: SHA-256 of the weight files (None when no local copy is found)."""
    folder = model_folder(model)
    weights: list[Path] = []
    for pattern in WEIGHT_PATTERNS:
        weights = sorted(folder.glob(pattern)) if folder else []
        if weights:
            break
    return {"name": model, "fingerprint": files_fingerprint(weights) if weights else None}


def library_versions() -> dict[str, str | None]:
    """Python's and the training libraries' versions (None for one that is not installed)."""

    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    return {"python": sys.version.split()[0], **{name: version(name) for name in LIBRARIES}}
