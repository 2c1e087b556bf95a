"""`near_duplicates`: one record per cluster of near-duplicate source texts, and exact duplicate summaries.

Every record's source text gets a MinHash signature (curate/filters/minhash.py: token n-grams,
default 5, 128 permutations); records are then visited in id order and a record is dropped when
  - its normalised source summary equals a kept record's (`duplicate_summary`), or
  - its estimated Jaccard similarity to a kept record, among the LSH candidates, is at least
    `threshold` (`near_duplicate_text`; default 0.8).
So each cluster keeps its lowest id, whatever the pool's order. The score column `dup_jaccard` is
the highest estimated Jaccard similarity to an earlier-kept record (0 when LSH finds none).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from pydantic import Field, model_validator

from curate.dataset import normalized_text
from curate.filters import minhash
from curate.filters.base import FilterStep, StepParams
from curate.filters.parallel import map_batches


class NearDuplicateParams(StepParams):
    threshold: float = Field(default=0.8, gt=0.0, le=1.0, description="Estimated Jaccard similarity of source texts at which a record is a near-duplicate.")
    ngram: int = Field(default=5, ge=1, description="Shingle length in tokens (words; characters for Chinese).")
    num_perm: int = Field(default=128, ge=16, le=1024, description="MinHash permutations.")
    summaries: bool = Field(default=True, description="Also drop records whose normalised source summary repeats a kept one.")
    workers: int | None = Field(default=None, ge=1, description="Processes for the signatures (default: every core).")

    @model_validator(mode="after")
    def _lsh_can_band(self) -> NearDuplicateParams:
        minhash.check_lsh_threshold(self.threshold, self.num_perm)  # at load, not after the crawl
        return self


class NearDuplicates(FilterStep):
    name = "near_duplicates"
    Params = NearDuplicateParams
    description = "MinHash LSH near-duplicate source texts (datasketch) and exact duplicate summaries; keeps the lowest id."
    columns = ("dup_jaccard",)
    plot_column = "dup_jaccard"

    def scores(self, records: Iterable[dict[str, Any]]) -> list[dict[str, float]]:
        p, ctx = self.params, self.context
        ids: list[str] = []
        digests: list[bytes | None] = []

        def texts():
            for record in records:
                ids.append(str(record.get("id", "")))
                summary = normalized_text(_str(record.get(ctx.summary_field)))
                digests.append(hashlib.blake2b(summary.encode(), digest_size=16).digest() if summary else None)
                yield _str(record.get(ctx.text_field))

        batch = partial(minhash.signature_batch, lang=ctx.source_lang, ngram=p.ngram, num_perm=p.num_perm)
        signatures = list(map_batches(batch, texts(), p.workers, batch_size=500))
        index = minhash.new_index(p.threshold, p.num_perm)
        seen_summaries: set[bytes] = set()
        self._reasons: list[str | None] = [None] * len(ids)
        similarity = [0.0] * len(ids)
        for i in sorted(range(len(ids)), key=lambda i: (ids[i], i)):
            values = signatures[i]
            if values is not None:
                similarity[i] = minhash.best_match(index, values, signatures)[0]
            if p.summaries and digests[i] is not None and digests[i] in seen_summaries:
                self._reasons[i] = "duplicate_summary"
            elif similarity[i] >= p.threshold:
                self._reasons[i] = "near_duplicate_text"
            else:
                if values is not None:
                    index.insert(i, minhash.lean(values))
                if digests[i] is not None:
                    seen_summaries.add(digests[i])
        self._cutoff = p.threshold
        return [{"dup_jaccard": round(value, 4)} for value in similarity]

    def drops(self, ids: Sequence[str], scores: Sequence[dict[str, float]]) -> list[str | None]:
        if len(ids) != len(self._reasons):
            raise RuntimeError("near_duplicates: drops() must follow scores() over the same records")
        return list(self._reasons)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
