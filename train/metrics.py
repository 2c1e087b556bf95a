"""Validation/test ROUGE of generated summaries, with our language-aware ROUGE (curate.rouge)."""

from __future__ import annotations

from typing import Any

import numpy as np

from curate.rouge import RougeScores, mean_scores, score_pairs

ROUGE_KEYS = RougeScores._fields  # ("rouge1", "rouge2", "rougeL"): the keys of metrics.json and the Trainer logs


class RougeMetric:
    """`compute_metrics` for Seq2SeqTrainer: decodes generated ids, scores them against raw references.

    References are the dataset's own strings (not decoded labels, which are truncated and
    tokenizer-dependent). The last decoded predictions stay in `predictions` for predictions.jsonl.
    """

    def __init__(self, references: list[str], lang: str, tokenizer: Any):
        self.references = references
        self.lang = lang
        self.tokenizer = tokenizer
        self.predictions: list[str] = []

    def __call__(self, eval_prediction: Any) -> dict[str, float]:
        """`{"rouge1", "rouge2", "rougeL"}`, each the mean per-summary F x 100."""
        ids = eval_prediction.predictions
        ids = np.where(ids < 0, self.tokenizer.pad_token_id, ids)
        self.predictions = [
            text.strip()
            for text in self.tokenizer.batch_decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)
        ]
        if len(self.predictions) != len(self.references):
            raise ValueError(f"{len(self.predictions)} predictions for {len(self.references)} references")
        scores = mean_scores(score_pairs(self.predictions, self.references, self.lang))
        return {key: scores[key] for key in ROUGE_KEYS}
