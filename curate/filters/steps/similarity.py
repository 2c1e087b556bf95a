"""`crosslingual_similarity`: a LaSE-style score between the source summary and the target summary.

LaSE (Bhattacharjee et al., "CrossSum: Beyond English-Centric Cross-Lingual Summarization for
1,500+ Language Pairs", ACL 2023, section 4) scores a summary S against a reference R as

    LaSE(R, S) = MS(R, S) x LC(S) x LP(R, S)
    MS = cosine similarity of the LaBSE embeddings of R and S
    LC = 1 if S's identified language is the expected one, else the identifier's probability of it
    LP = 1 if |S| <= |R| + c, else exp(1 - |S| / (|R| + c)),  c = 6 tokens

Here R is the source summary, S the target summary (the translation), the identifier is py3langid
(the `language_id` step's) and lengths are counted in the embedding model's own tokens, which are
the same unit for both languages. Columns: `xl_similarity` (MS) and `xl_lase` (the product); a
record with `xl_lase` under `min_score` is dropped as `low_crosslingual_similarity`.
Embeddings are computed in batches on the GPU when there is one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import Field

from curate.filters.base import FilterStep, StepParams
from curate.filters.steps.language import identifier_code, members, probability

DEFAULT_MODEL = "sentence-transformers/LaBSE"
LENGTH_SLACK = 6  # LaSE's c


class SimilarityParams(StepParams):
    model: str = Field(default=DEFAULT_MODEL, description="sentence-transformers model id (in the local HF cache) or folder.")
    min_score: float = Field(default=0.5, ge=-1.0, le=1.0, description="Drop a record whose LaSE score is under this.")
    batch_size: int = Field(default=64, ge=1, description="Texts embedded at once.")
    device: str | None = Field(default=None, description="torch device (default: cuda when there is one, else cpu).")
    allow_download: bool = Field(default=False, description="Fetch the model from the Hub when it is not in the local cache.")


def load_model(name: str, device: str | None = None, allow_download: bool = False):
    """A SentenceTransformer from a folder or the local Hugging Face cache; ValueError (one line,
    naming what to download) when it is not there."""
    from pathlib import Path

    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(name, device=device, local_files_only=not (allow_download or Path(name).is_dir()))
    except Exception as exc:  # noqa: BLE001 - OSError, HF hub errors, a folder that is not a model
        raise ValueError(
            f"crosslingual_similarity: cannot load the sentence-transformers model {name!r} "
            f"({type(exc).__name__}); download it where there is network (`hf download {name}`) and copy the "
            "HF cache here, set `allow_download: true`, or give `model: PATH` to a saved model folder"
        ) from None


def length_penalty(reference_tokens: int, summary_tokens: int, slack: int = LENGTH_SLACK) -> float:
    """LaSE's LP: 1 when the summary is at most `slack` tokens longer than the reference, else decaying."""
    if summary_tokens <= reference_tokens + slack:
        return 1.0
    return math.exp(1 - summary_tokens / (reference_tokens + slack))


class CrosslingualSimilarity(FilterStep):
    name = "crosslingual_similarity"
    Params = SimilarityParams
    description = "LaSE-style cross-lingual score (sentence-transformers, default LaBSE) of source vs target summary."
    columns = ("xl_similarity", "xl_lase")
    plot_column = "xl_lase"
    plot_range = (-0.2, 1.0)

    def scores(self, records: Iterable[dict[str, Any]]) -> list[dict[str, float]]:
        ctx, p = self.context, self.params
        model = load_model(p.model, p.device, p.allow_download)
        target_code = identifier_code(ctx.target_lang)
        out: list[dict[str, float]] = []
        batch: list[tuple[str, str]] = []
        for record in records:
            batch.append((_str(record.get(ctx.summary_field)), _str(record.get(ctx.target_field))))
            if len(batch) >= p.batch_size * 16:
                out += self._score(model, batch, target_code)
                batch = []
        if batch:
            out += self._score(model, batch, target_code)
        return out

    def _score(self, model, pairs: list[tuple[str, str]], target_code: str) -> list[dict[str, float]]:
        sources, targets = [s for s, _ in pairs], [t for _, t in pairs]
        kwargs = {"batch_size": self.params.batch_size, "normalize_embeddings": True, "show_progress_bar": False}
        a, b = model.encode(sources, **kwargs), model.encode(targets, **kwargs)
        similarity = (a * b).sum(axis=1)
        tokenizer = model.tokenizer
        out = []
        for (source, target), ms in zip(pairs, similarity.tolist()):
            if not source.strip() or not target.strip():
                out.append({"xl_similarity": 0.0, "xl_lase": 0.0})
                continue
            ranked = _language_confidence(target, target_code)
            lp = length_penalty(_tokens(tokenizer, source), _tokens(tokenizer, target))
            out.append({"xl_similarity": round(ms, 4), "xl_lase": round(ms * ranked * lp, 4)})
        return out

    def drops(self, ids: Sequence[str], scores: Sequence[dict[str, float]]) -> list[str | None]:
        self._cutoff = self.params.min_score
        return ["low_crosslingual_similarity" if s["xl_lase"] < self.params.min_score else None for s in scores]


def _language_confidence(text: str, code: str) -> float:
    """LaSE's LC: 1 when `code` is the identifier's top language for `text`, else its probability."""
    from curate.filters.steps.language import _identifier

    ranked = _identifier().rank(text)
    return 1.0 if ranked and ranked[0][0] in members(code) else probability(text, code)


def _tokens(tokenizer, text: str) -> int:
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
