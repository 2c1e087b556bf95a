"""Leakage audit after splitting: no near-duplicate (MinHash) of a test or validation record in train,
and optionally none of an external dataset's test split (a benchmark the models will be scored on).

Source texts are compared with the same signatures as the `near_duplicates` step (token n-grams,
datasketch MinHash LSH); a pair at or above `threshold` estimated Jaccard similarity is a leak. The
result goes into the dataset card; the build does not fail on it (the card says what leaked).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from curate.dataset import find_splits, read_split, train_sizes_of
from curate.filters import minhash

MAX_EXAMPLES = 10


@dataclass
class LeakageResult:
    """Per compared split: records checked and records with a near-duplicate in train; a few examples."""

    train_split: str
    threshold: float
    checked: dict[str, int]
    leaks: dict[str, int]
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not any(self.leaks.values())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"clean": self.clean}


def audit_leakage(
    directory: Path,
    lang: str,
    threshold: float = 0.8,
    ngram: int = 5,
    num_perm: int = 128,
    external: str | None = None,
    external_field: str = "source_text",
) -> LeakageResult:
    """Compare validation, test (and `external`'s test split) against the largest train split.

    `external`: a dataset directory in clsforge's layout (its `data/test.parquet`) or any folder /
    Hub id `datasets.load_dataset` reads with a `test` split; `external_field` names its source
    text column. Raises FileNotFoundError when the directory has no train split, ValueError when the
    external dataset cannot be read.
    """
    directory = Path(directory)
    sizes = train_sizes_of(directory)
    if not sizes:
        raise FileNotFoundError(f"no data/train_<N>.parquet in {directory}: write the splits first")
    train_name = f"train_{max(sizes)}"
    splits = find_splits(directory)
    train = read_split(splits[train_name], ["id", "source_text"])
    signatures = [minhash.signature(r["source_text"] or "", lang, ngram, num_perm) for r in train]
    index = minhash.new_index(threshold, num_perm)
    for key, values in enumerate(signatures):
        if values is not None:
            index.insert(key, minhash.lean(values))
    compared: dict[str, list[tuple[str, str]]] = {
        name: [(r["id"], r["source_text"] or "") for r in read_split(splits[name], ["id", "source_text"])]
        for name in ("validation", "test")
        if name in splits
    }
    if external:
        compared["external_test"] = _external_texts(external, external_field)
    result = LeakageResult(train_name, threshold, {}, {})
    for name, rows in compared.items():
        result.checked[name] = len(rows)
        result.leaks[name] = 0
        for record_id, text in rows:
            values = minhash.signature(text, lang, ngram, num_perm)
            if values is None:
                continue
            similarity, key = minhash.best_match(index, values, signatures)
            if key is not None and similarity >= threshold:
                result.leaks[name] += 1
                if len(result.examples) < MAX_EXAMPLES:
                    result.examples.append(
                        {"split": name, "id": record_id, "train_id": train[key]["id"], "jaccard": round(similarity, 4)}
                    )
    return result


def _external_texts(external: str, text_field: str) -> list[tuple[str, str]]:
    path = Path(external)
    if (path / "data" / "test.parquet").is_file():
        rows = read_split(path / "data" / "test.parquet")
    else:
        try:
            import datasets

            rows = datasets.load_dataset(external, split="test").to_list()
        except Exception as exc:  # noqa: BLE001 - a missing folder, no Hub access, no test split
            raise ValueError(f"leakage audit: cannot read the test split of {external!r} ({type(exc).__name__}: {exc})") from None
    if rows and text_field not in rows[0]:
        raise ValueError(f"leakage audit: {external!r} has no column {text_field!r} (columns: {', '.join(rows[0])})")
    return [(str(row.get("id", i)), row.get(text_field) or "") for i, row in enumerate(rows)]


def leakage_markdown(result: dict[str, Any]) -> str:
    """The card's lines for a leakage audit result (`LeakageResult.as_dict()`)."""
    checks = ", ".join(f"{name} {result['leaks'][name]} of {n}" for name, n in result["checked"].items())
    verdict = "none found" if result["clean"] else "FOUND"
    lines = [
        f"- Leakage audit (MinHash, Jaccard >= {result['threshold']} on source texts against {result['train_split']}): "
        f"{verdict}; records with a near-duplicate in train: {checks}"
    ]
    lines += [f"  - {e['split']} {e['id']} ~ train {e['train_id']} (Jaccard {e['jaccard']})" for e in result.get("examples", [])]
    return "\n".join(lines)
