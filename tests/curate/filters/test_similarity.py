"""crosslingual_similarity with a tiny random BERT + mean-pooling model built and saved by the test
(nothing can be downloaded here), and the one-line error for a model that is not available."""

from __future__ import annotations

import math

import pytest

from curate.filters.base import FilterContext
from curate.filters.registry import build_steps
from curate.filters.steps.similarity import length_penalty, load_model
from curate.filters.tiny import build_tiny_sentence_model
from tests.curate.filters.helpers import pool

CONTEXT = FilterContext("vi", "zh", "summary_zh")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A 2-layer, 32-dimensional random BERT with a character vocabulary, saved as a sentence-transformers folder."""
    texts = [record[field] for record in pool(10) for field in ("summary", "summary_zh")]
    return build_tiny_sentence_model(tmp_path_factory.mktemp("tiny-st"), texts)


def test_lase_is_similarity_times_language_confidence_times_length_penalty(tiny_model):
    records = pool(4)
    records[1]["summary_zh"] = records[1]["summary"]  # "translated" into Vietnamese: the same text
    records[2]["summary_zh"] = records[2]["summary_zh"] * 4  # a runaway translation
    (step,) = build_steps([{"step": "crosslingual_similarity", "model": str(tiny_model), "min_score": 0.5}], CONTEXT)
    scores = step.scores(iter(records))
    reasons = step.drops([r["id"] for r in records], scores)
    assert scores[1] == {"xl_similarity": 1.0, "xl_lase": 0.0}  # identical embeddings, but not Chinese (LC ~0)
    tokenizer = load_model(str(tiny_model)).tokenizer

    def count(text):
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    for i in (0, 2, 3):  # Chinese: LC = 1
        penalty = length_penalty(count(records[i]["summary"]), count(records[i]["summary_zh"]))
        assert -1.0 <= scores[i]["xl_similarity"] <= 1.0
        assert scores[i]["xl_lase"] == pytest.approx(scores[i]["xl_similarity"] * penalty, abs=2e-4)
    assert length_penalty(count(records[2]["summary"]), count(records[2]["summary_zh"])) < 0.1  # the runaway one
    assert reasons == ["low_crosslingual_similarity" if s["xl_lase"] < 0.5 else None for s in scores]
    assert reasons[1] == "low_crosslingual_similarity"


def test_length_penalty_follows_lase():
    assert length_penalty(10, 16) == 1.0
    assert length_penalty(10, 32) == pytest.approx(math.exp(1 - 32 / 16))


def test_a_missing_model_is_one_line_naming_what_to_download():
    (step,) = build_steps([{"step": "crosslingual_similarity", "model": "no-such-org/no-such-model"}], CONTEXT)
    with pytest.raises(ValueError) as error:
        step.scores(iter(pool(1)))
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("crosslingual_similarity: cannot load the sentence-transformers model 'no-such-org/no-such-model'")
    assert "`hf download no-such-org/no-such-model`" in message
