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

    Prediction i is scored against reference i. `labels`, the tokenized labels of the evaluated
    dataset in its order, make that pairing checked: the label ids the Trainer hands back with the
    predictions must be those labels in the same order, or the call raises `ValueError` (an
    evaluation sampler that reorders the dataset would otherwise score every prediction against
    another example's reference).
    """

    def __init__(self, references: list[str], lang: str, tokenizer: Any, labels: list[list[int]] | None = None):
        self.references = list(references)
        self.lang = lang
        self.tokenizer = tokenizer
        self.labels = None if labels is None else [list(ids) for ids in labels]
        self.predictions: list[str] = []

    def check_order(self, label_ids: Any) -> None:
        """Raise unless the returned label ids are the dataset's labels, in order.

        Padding is dropped first: -100 (the collator's, and the Trainer's between batches) and the pad
        id (Seq2SeqTrainer pads labels to the generation length with it); labels never hold either.
        """
        if self.labels is None or label_ids is None:
            return
        pads = (-100, self.tokenizer.pad_token_id)
        returned = [row[~np.isin(row, pads)].tolist() for row in np.asarray(label_ids)]
        if len(returned) != len(self.labels):
            raise ValueError(f"{len(returned)} evaluated examples for {len(self.labels)} dataset rows")
        for i, (got, expected) in enumerate(zip(returned, self.labels)):
            if got != expected:
                raise ValueError(f"evaluation output {i} is not dataset row {i}: the evaluation order differs "
                                 "from the dataset's, so predictions would meet other examples' references")

    def __call__(self, eval_prediction: Any) -> dict[str, float]:
        """`{"rouge1", "rouge2", "rougeL"}`, each the mean per-summary F x 100."""
        self.check_order(eval_prediction.label_ids)
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
