"""What identifies a training run beyond its options: the backbone's weights, the dataset's content, the libraries.

`clsforge report` averages only runs that agree in all of it except the seed, so these must be
facts about content, not paths: the same weights or dataset reached by two paths is the same, and
a rebuilt dataset in the same folder is not.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from curate.fingerprint import file_stamp, files_fingerprint
from train.data import split_paths

WEIGHT_PATTERNS = ("*.safetensors", "*.bin")  # safetensors first; a .bin only when there is no safetensors file
LIBRARIES = ("clsforge", "torch", "transformers", "accelerate", "datasets", "tokenizers", "sentencepiece")


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


def weight_files(model: str) -> list[Path]:
    """The weight files of a model's local copy: `*.safetensors`, else `*.bin`, sorted ([] when there is none)."""
    folder = model_folder(model)
    for pattern in WEIGHT_PATTERNS:
        weights = sorted(folder.glob(pattern)) if folder else []
        if weights:
            return weights
    return []


def backbone_record(model: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    """`backbone_identity` plus `files`: [name, size, mtime_ns, ctime_ns, inode] of each weight file.

    `known`: a record written earlier (OUT/backbone.json). When its `name` and `files` equal the
    current ones, its fingerprint is reused without reading the weights again (a resumed run of a
    multi-GB model starts at once); any rewrite of a weight file changes its stamp and it is hashed.
    """
    weights = weight_files(model)
    files = [[path.name, *file_stamp(path)] for path in weights]
    if known and known.get("name") == model and known.get("files") == files and known.get("fingerprint"):
        return {"name": model, "fingerprint": known["fingerprint"], "files": files}
    return {"name": model, "fingerprint": files_fingerprint(weights) if weights else None, "files": files}


def backbone_identity(model: str) -> dict[str, Any]:
    """`name` (as given) and `fingerprint`: SHA-256 of the weight files (None when no local copy is found).

    The weights are read once per process while they are unchanged (curate.fingerprint).
    """
    record = backbone_record(model)
    return {"name": record["name"], "fingerprint": record["fingerprint"]}


def library_versions() -> dict[str, str | None]:
    """Python's and the training libraries' versions (None for one that is not installed)."""

    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    return {"python": sys.version.split()[0], **{name: version(name) for name in LIBRARIES}}
