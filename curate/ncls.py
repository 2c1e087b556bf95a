"""En2ZhLow and Zh2EnLow: seeded low-resource samples of the NCLS release in the dataset layout.

Validation and test are NCLS's own valid and test sets; the train subsets are a uniform random
sample of NCLS train drawn in one streaming pass (reservoir sampling by random keys), nested:
train_1000 is the first 1,000 of the sample, train_3000 the first 3,000, and so on. Zh2En records
without their Weibo source text get it from LCSTS (`lcsts`), joined by doc id.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from curate.dataset import overlap_keys, write_dataset
from curate.describe import build_info, describe_dataset
from curate.drops import Drops, plain
from curate.ncls_format import RawDoc, iter_docs
from curate.splits import DEFAULT_TRAIN_SIZES, PoolTooSmallError


@dataclass(frozen=True)
class Direction:
    """One NCLS direction: its release folder / file prefix and its languages."""

    name: str
    folder: str
    source_lang: str
    target_lang: str
    pretty_name: str


DIRECTIONS = {
    "en2zh": Direction("en2zh", "EN2ZHSUM", "en", "zh", "En2ZhLow"),
    "zh2en": Direction("zh2en", "ZH2ENSUM", "zh", "en", "Zh2EnLow"),
}
RELEASE_SPLITS = {"validation": "valid", "test": "test", "train": "train"}


def get_direction(name: str) -> Direction:
    """The NCLS direction called `name` (en2zh or zh2en)."""
    try:
        return DIRECTIONS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown NCLS direction {name!r}; use one of: {', '.join(DIRECTIONS)}") from None


def release_file(input: Path, direction: Direction, split: str) -> Path:
    """The release file of one split, in the release folder, its direction folder, or below them."""
    name = f"{direction.folder}_{RELEASE_SPLITS[split]}.txt"
    input = Path(input)
    for candidate in (input / name, input / direction.folder / name):
        if candidate.is_file():
            return candidate
    found = sorted(input.rglob(name)) if input.is_dir() else []
    if not found:
        raise FileNotFoundError(f"no {name} in {input} (expected the NCLS release folder or its {direction.folder}/)")
    return found[0]


@dataclass(frozen=True)
class NclsResult:
    """What the NCLS sampler did: split sizes, skipped records by split and reason, the release files'
    format problems, the usable NCLS train records sampled from, LCSTS texts filled in, and the stats
    (`stats.json`'s content once the dataset is described; None before).

    For validation and test, the records of the release file == kept + `skipped[split].total`.
    """

    direction: str
    splits: dict[str, int]
    skipped: dict[str, Drops]
    format_problems: dict[str, dict[str, int]]
    train_candidates: int
    lcsts_resolved: int
    stats: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """`{"direction", "splits", "skipped": {split: {reason: n}}, "format_problems", "train_candidates",
        "lcsts_resolved", "stats"}` (JSON-able)."""
        return plain(self)


def build_ncls_low(
    input: Path,
    direction: str,
    out: Path,
    train_sizes: Sequence[int] = DEFAULT_TRAIN_SIZES,
    seed: int = 0,
    lcsts: Path | None = None,
) -> NclsResult:
    """Write an NCLS low-resource dataset (splits, stats.json, README.md) into `out`.

    `sample_ncls_low` (its arguments) writes the splits, then curate.describe writes stats.json and
    the card, as for a crawled dataset. Returns the NclsResult with its `stats`.
    """
    sampled = sample_ncls_low(input, direction, out, train_sizes, seed, lcsts)
    stats, _ = describe_dataset(out, ncls_build_info(sampled, seed))
    return replace(sampled, stats=stats)


def sample_ncls_low(
    input: Path,
    direction: str,
    out: Path,
    train_sizes: Sequence[int] = DEFAULT_TRAIN_SIZES,
    seed: int = 0,
    lcsts: Path | None = None,
) -> NclsResult:
    """Write the splits of an NCLS low-resource dataset into `out/data` (no stats, no card).

    Args:
        input: the unpacked release folder (holding EN2ZHSUM/ and ZH2ENSUM/) or one direction's folder.
        direction: `en2zh` or `zh2en`.
        out: the dataset directory.
        train_sizes: nested train subset sizes, sampled from NCLS train.
        seed: sampling seed; the same seed and release give byte-identical files.
        lcsts: LCSTS file (PART_I.txt) or folder of PART_*.txt, for Zh2En source texts.

    Skip reasons: `missing_id`, `no_<lang>_summary`, `no_source_text`, `duplicate`,
    `overlaps_validation_or_test`. Raises ValueError for an eval split with no usable record and
    PoolTooSmallError when train has fewer usable sampled records than the largest train size.
    """
    spec = get_direction(direction)
    sizes = sorted(set(train_sizes))
    if not sizes or sizes[0] < 1:
        raise ValueError(f"train sizes must be positive, got {list(train_sizes)}")
    paths = {split: release_file(input, spec, split) for split in RELEASE_SPLITS}
    # Checked before the long pass over NCLS train, so a wrong --lcsts fails at once.
    lcsts_parts = lcsts_files(lcsts) if lcsts is not None else []
    report = _Report()
    evals = {split: list(report.records(spec, split, paths[split])) for split in ("validation", "test")}
    eval_keys = {key for records in evals.values() for record in records for key in overlap_keys(record)}
    reservoir = _sample(report.records(spec, "train", paths["train"], eval_keys), sizes[-1], seed, report)
    resolved = _add_lcsts_texts([r for rs in evals.values() for r in rs] + reservoir, lcsts_parts)
    splits = {split: report.unique(split, records, set()) for split, records in evals.items()}
    splits["test"] = report.unique("test", splits["test"], {k for r in splits["validation"] for k in overlap_keys(r)})
    eval_keys = {key for records in splits.values() for record in records for key in overlap_keys(record)}
    train = report.unique("train", reservoir, eval_keys, limit=sizes[-1])
    hint = " (Zh2En source texts come from LCSTS: pass --lcsts)" if lcsts is None and spec.name == "zh2en" else ""
    for split, records in splits.items():
        if not records:
            skipped = report.skipped[split].as_dict()
            raise ValueError(f"NCLS {paths[split].name} gave no usable record (skipped: {skipped}){hint}")
    if len(train) < sizes[-1]:
        raise PoolTooSmallError(
            f"NCLS {spec.folder} train gave {len(train)} usable sampled records, fewer than the largest train size "
            f"{sizes[-1]} (skipped: {report.skipped['train'].as_dict()}){hint}"
        )
    counts = write_dataset(out, splits, train, sizes, columns=[])
    return NclsResult(
        direction=spec.name,
        splits=counts,
        skipped={split: drops for split, drops in report.skipped.items() if drops},
        format_problems={name: dict(c) for name, c in report.problems.items() if c},
        train_candidates=report.train_candidates,
        lcsts_resolved=resolved,
    )


def ncls_build_info(result: NclsResult, seed: int) -> dict[str, Any]:
    """What the card of a sampled NCLS dataset says about how it was made (curate.describe.build_info):
    the NCLS source and terms, the seed and the skipped records."""
    spec = get_direction(result.direction)
    return build_info(
        spec.pretty_name,
        f"NCLS {spec.folder} (valid/test in full; train: seeded uniform sample of "
        f"{result.train_candidates} usable records, reservoir sampling)",
        seed,
        {split: drops.as_dict() for split, drops in result.skipped.items()},
        ncls_terms=True,
    )


class _Report:
    """Turns parsed docs into dataset records and counts every skipped record by split and reason."""

    def __init__(self) -> None:
        self.skipped: dict[str, Drops] = {split: Drops() for split in RELEASE_SPLITS}
        self.problems: dict[str, Counter[str]] = {}
        self.train_candidates = 0

    def records(
        self, spec: Direction, split: str, path: Path, exclude: Collection[str] = ()
    ) -> Iterable[dict[str, Any]]:
        """Dataset records of one release file; records sharing a key with `exclude` are skipped."""
        problems = self.problems.setdefault(path.name, Counter())
        docs = iter_docs(path, problems)
        if split == "train":
            docs = tqdm(docs, desc=f"NCLS {spec.folder} train", unit="doc", disable=None)
        for doc in docs:
            record, reason = _record(doc, spec, split)
            if not reason and exclude and any(key in exclude for key in overlap_keys(record)):
                reason = "overlaps_validation_or_test"
            if reason:
                self.skipped[split].add(reason)
                continue
            if split == "train":
                self.train_candidates += 1
            yield record

    def unique(
        self, split: str, records: list[dict[str, Any]], exclude: set[str], limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The first `limit` of `records` that have a source text, repeat no earlier one and are not in `exclude`."""
        seen: set[str] = set()
        kept: list[dict[str, Any]] = []
        for record in records:
            if limit is not None and len(kept) >= limit:
                break
            keys = overlap_keys(record)
            if not record["source_text"]:
                reason = "no_source_text"
            elif any(key in exclude for key in keys):
                reason = "overlaps_validation_or_test"
            elif any(key in seen for key in keys):
                reason = "duplicate"
            else:
                seen.update(keys)
                kept.append(record)
                continue
            self.skipped[split].add(reason)
        return kept


def _record(doc: RawDoc, spec: Direction, split: str) -> tuple[dict[str, Any], str]:
    record = {
        "id": f"{spec.name}-{split}-{doc.id}",
        "source_lang": spec.source_lang,
        "target_lang": spec.target_lang,
        "source_text": doc.source_text(),
        "source_summary": doc.summary(spec.source_lang),
        "target_summary": doc.summary(spec.target_lang),
        "_doc_id": doc.id,
    }
    if doc.id is None:
        return record, "missing_id"
    if not record["source_summary"]:
        return record, f"no_{spec.source_lang}_summary"
    if not record["target_summary"]:
        return record, f"no_{spec.target_lang}_summary"
    return record, ""


def _sample(records: Iterable[dict[str, Any]], size: int, seed: int, report: _Report) -> list[dict[str, Any]]:
    """A uniform random sample, in random order, of `size` records plus a margin for later skips.

    Each record gets a seeded random key and the records with the smallest keys are kept (a
    reservoir of bounded size), so one pass over the stream suffices and any prefix of the
    result is itself a uniform sample; that is what makes the train subsets nested.
    """
    keep = size + max(100, size // 10)
    rng = random.Random(seed)
    heap: list[tuple[float, int, dict[str, Any]]] = []
    for position, record in enumerate(records):
        key = rng.random()
        if len(heap) < keep:
            heapq.heappush(heap, (-key, position, record))
        elif key < -heap[0][0]:
            heapq.heapreplace(heap, (-key, position, record))
    return [record for _, _, record in sorted(heap, key=lambda item: (-item[0], item[1]))]


def lcsts_files(lcsts: Path) -> list[Path]:
    """The LCSTS files to read: `lcsts` itself, or the `PART_*.txt` files of a folder; FileNotFoundError if none."""
    lcsts = Path(lcsts)
    files = sorted(lcsts.glob("PART_*.txt")) if lcsts.is_dir() else [lcsts]
    if not files or not files[0].is_file():
        raise FileNotFoundError(f"no LCSTS data at {lcsts} (a PART_I.txt file or a folder of PART_*.txt)")
    return files


def _add_lcsts_texts(records: list[dict[str, Any]], files: list[Path]) -> int:
    """Fill missing source texts from the LCSTS `files` by doc id (first match wins); return how many were filled."""
    missing = {record["_doc_id"]: [] for record in records if not record["source_text"]}
    for record in records:
        if not record["source_text"]:
            missing[record["_doc_id"]].append(record)
    resolved = 0
    if missing:
        for path in files:
            for doc in iter_docs(path, Counter()):
                if doc.id in missing and (text := doc.source_text()):
                    for record in missing.pop(doc.id):
                        record["source_text"] = text
                        resolved += 1
    for record in records:
        record.pop("_doc_id", None)
    return resolved
