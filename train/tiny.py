"""A tiny mBART-shaped model with a real SentencePiece tokenizer, built from a few texts.

Tests and the offline demo use it instead of `facebook/mbart-large-cc25` (no download here): the
tokenizer is the same class and layout as mBART's (SentencePiece pieces + fairseq special ids + the
25 mBART language codes + `<mask>`), the model is `MBartForConditionalGeneration` with random
weights and a few hidden units.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from curate.io import write_text_atomic

TOKENIZER_MODEL = "sentencepiece.bpe.model"  # the file name MBartTokenizer looks for


def train_sentencepiece(texts: list[str], vocab_size: int) -> bytes:
    """A unigram SentencePiece model (bytes) covering every character of `texts`."""
    import sentencepiece as spm

    if not any(text.strip() for text in texts):
        raise ValueError("build_tiny_mbart needs at least one non-empty text to train its tokenizer")
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,  # every Vietnamese / Chinese character of the texts gets a piece: no <unk>
        hard_vocab_limit=False,
        # MBartTokenizer (transformers 5) applies no normalizer: pieces must match the raw text, so
        # SentencePiece must not NFKC-normalise it either ("，" would become "," and decode as <unk>).
        normalization_rule_name="identity",  # a small corpus may not support `vocab_size` pieces: take what it has
        minloglevel=2,
    )
    return buffer.getvalue()


def build_tiny_mbart(
    out_dir: Path,
    texts: list[str],
    vocab_size: int = 2000,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn_dim: int = 64,
    max_positions: int = 1024,
    seed: int = 0,
    init_std: float = 0.02,
) -> Path:
    """Write a tokenizer trained on `texts` and a random tiny MBartForConditionalGeneration to `out_dir`.

    The tokenizer is saved as `sentencepiece.bpe.model` + `tokenizer_config.json` naming
    `MBartTokenizer` (handing a fresh SentencePiece file to `MBartTokenizer(vocab_file=...)` builds a
    useless 31-token vocabulary in transformers 5), then reloaded through `AutoTokenizer`, which
    adds the mBART language codes, and saved again in the standard layout. Afterwards
    `AutoTokenizer.from_pretrained(out_dir, src_lang=..., tgt_lang=...)` and
    `AutoModelForSeq2SeqLM.from_pretrained(out_dir)` both work. Returns `out_dir`.

    `init_std` is the standard deviation of the random weights (mBART's 0.02 by default); about 1.0
    gives a model whose greedy outputs differ from one input to the next, which tests of pairing need.
    """
    import torch
    from transformers import AutoTokenizer, MBartConfig, MBartForConditionalGeneration

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / TOKENIZER_MODEL).write_bytes(train_sentencepiece(texts, vocab_size))
    write_text_atomic(out_dir / "tokenizer_config.json", json.dumps({"tokenizer_class": "MBartTokenizer"}))
    tokenizer = AutoTokenizer.from_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)

    config = MBartConfig(
        vocab_size=len(tokenizer),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn_dim,
        decoder_ffn_dim=ffn_dim,
        max_position_embeddings=max_positions,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,  # mbart-large-cc25's value; training sets the target code
        scale_embedding=True,
        dropout=0.0,
        init_std=init_std,
    )
    torch.manual_seed(seed)
    MBartForConditionalGeneration(config).save_pretrained(out_dir)
    return out_dir
