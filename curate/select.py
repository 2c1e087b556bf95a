"""Top-K selection of round-trip-scored records: dedup, thresholds, ranking, plot.

Two streaming passes over the scored JSONL: the first keeps, per record, only its score, id and
duplicate keys (hashes), which is all the ranking needs; the second copies the chosen records.
Every dropped record is counted under a reason (`duplicate_summary`, `duplicate_text`,
`unscored`, `below_min_<score>`, `below_top_k`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from curate.dataset import SCORE_COLUMNS, normalized_text
from curate.drops import Drops
from curate.io import atomic_path, read_jsonl

KEYS = ("mean", *SCORE_COLUMNS)
DEDUP_FIELDS = ("summary", "text")


def score_name(key: str) -> str:
    """Canonical score name: `mean`, or an `rt_` column (`rouge2` and `rt_rouge2` both mean `rt_rouge2`)."""
    name = key if key == "mean" or key.startswith("rt_") else f"rt_{key}"
    if name not in KEYS:
        raise ValueError(f"unknown score key {key!r}; use one of: mean, rouge1, rouge2, rougeL")
    return name


def score_of(record: dict[str, Any], key: str) -> float | None:
    """The record's score under `key` (`mean` = mean of the three F-measures); None when unscored."""
    if key == "mean":
        values = [record.get(name) for name in SCORE_COLUMNS]
        return None if any(v is None for v in values) else sum(values) / len(values)
    return record.get(key)


def select_top_k(
    input: Path,
    output: Path,
    k: int,
    key: str = "mean",
    min_scores: dict[str, float] | None = None,
    plot: Path | None = None,
    dedup_fields: Sequence[str] = DEDUP_FIELDS,
) -> dict[str, Any]:
    """Keep the K best-scoring unique records of `input` (JSONL) in `output` (JSONL, input order).

    Args:
        input: records with `rt_rouge1/2/L` (from curate.roundtrip.score_roundtrip).
        output: the kept records, written atomically, in their input order.
        k: how many to keep (fewer when fewer pass; `short` in the result says by how many).
        key: ranking score: `mean` (of the three F-measures) or `rouge1`/`rouge2`/`rougeL`.
        min_scores: minimum per score (`{"rouge2": 20}`): records below any are dropped first.
        plot: PNG of the score distribution with the cut-off marked.
        dedup_fields: of records that share the normalized value (crawl.normalize.dedup_key) of any
            of these fields (exact or near-exact duplicates), only the best-scoring one stays; an
            unscored one only if none is scored.

    Duplicates and ranking ties are resolved by score, then id, then the normalized fields' hashes,
    so the result does not depend on the input order (records equal in all of these are the same
    article with the same score; input position decides between them).
    Returns `{"input", "kept", "short", "key", "cutoff", "dropped": {reason: count}}`.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    key = score_name(key)
    minimums = {score_name(name): value for name, value in (min_scores or {}).items()}
    dropped = Drops()
    seen: dict[str, set[bytes]] = {field: set() for field in dedup_fields}
    # First pass: per record only its rank, its duplicate keys and its score verdict. Duplicates are
    # resolved afterwards in rank order, so which member of a duplicate group survives (the best
    # score, then the smallest id) does not depend on the input's line order.
    entries: list[tuple[tuple, int, dict[str, bytes], str, float | None]] = []
    for index, record in enumerate(read_jsonl(input)):
        score = score_of(record, key)
        digests = _digests(record, dedup_fields)
        hashes = tuple(digests.get(field, b"") for field in dedup_fields)
        rank = (score is None, -score if score is not None else 0.0, str(record.get("id", "")), hashes)
        entries.append((rank, index, digests, _score_reason(record, key, minimums), score))
    total = len(entries)
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    candidates: list[tuple[float, int]] = []  # in rank order: the best first
    unique_scores: list[float] = []
    for rank, index, digests, score_reason, score in entries:
        reason = _duplicate_reason(digests, seen) or score_reason
        if score is not None and not reason.startswith("duplicate"):
            unique_scores.append(score)
        if reason:
            dropped.add(reason)
        else:
            candidates.append((score, index))
    kept = {index for _, index in candidates[:k]}
    if len(candidates) > k:
        dropped.add("below_top_k", len(candidates) - k)
    cutoff = candidates[len(kept) - 1][0] if kept else None
    _copy_records(input, output, kept)
    if plot is not None:
        plot_scores(unique_scores, cutoff, key, minimums.get(key), plot)
    return {
        "input": total,
        "kept": len(kept),
        "short": max(0, k - len(kept)),
        "key": key,
        "cutoff": cutoff,
        "dropped": dropped.as_dict(),
    }


def _digests(record: dict[str, Any], fields: Sequence[str]) -> dict[str, bytes]:
    """16-byte hashes of the record's normalized dedup fields (absent or empty fields have none)."""
    digests = {}
    for field in fields:
        text = record.get(field)
        if isinstance(text, str) and (normalized := normalized_text(text)):
            digests[field] = hashlib.blake2b(normalized.encode(), digest_size=16).digest()
    return digests


def _duplicate_reason(digests: dict[str, bytes], seen: dict[str, set[bytes]]) -> str:
    for field, digest in digests.items():
        if digest in seen[field]:
            return f"duplicate_{field}"
    for field, digest in digests.items():
        seen[field].add(digest)
    return ""


def _score_reason(record: dict[str, Any], key: str, minimums: dict[str, float]) -> str:
    if score_of(record, key) is None or any(score_of(record, name) is None for name in minimums):
        return "unscored"
    for name, minimum in minimums.items():
        if score_of(record, name) < minimum:
            return f"below_min_{name}"
    return ""


def _copy_records(input: Path, output: Path, kept: set[int]) -> None:
    """Copy the kept records' lines verbatim (numbered as read_jsonl numbers them: blank lines skipped)."""
    with open(input, encoding="utf-8") as source, atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as out:
        for index, line in enumerate(line for line in source if line.strip()):
            if index in kept:
                out.write(line if line.endswith("\n") else line + "\n")


def plot_scores(scores: list[float], cutoff: float | None, key: str, minimum: float | None, path: Path) -> None:
    """Histogram of the unique records' scores with the top-K cut-off (and a minimum) marked, as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    axes.hist(scores, bins=50, range=(0, 100), color="#4c72b0")
    if cutoff is not None:
        axes.axvline(cutoff, color="#c44e52", linestyle="--", label=f"top-K cut-off {cutoff:.2f}")
    if minimum is not None:
        axes.axvline(minimum, color="#8172b2", linestyle=":", label=f"minimum {minimum:g}")
    axes.set_xlabel(f"round-trip ROUGE ({key}, F x 100)")
    axes.set_ylabel("records")
    axes.set_title(f"Round-trip score distribution ({len(scores)} unique records)")
    if cutoff is not None or minimum is not None:
        axes.legend()
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(figure)
