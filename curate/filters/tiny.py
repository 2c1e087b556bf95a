"""A tiny random sentence-transformers model (2-layer BERT, 32 dimensions, mean pooling) built from
the characters of some texts: for tests, the benchmark and the demo ablation, where nothing can be
downloaded. Its similarities are meaningless; the code path is the one LaBSE takes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def build_tiny_sentence_model(folder: Path, texts: Iterable[str], seed: int = 0) -> Path:
    """Save the model under `folder/model` (its vocabulary: [PAD] [UNK] [CLS] [SEP] [MASK] and every
    character of `texts`, lower-cased); return that path."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chars = sorted({ch for text in texts for ch in text.lower()} - {" ", "\n", "\t"})
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), strip_accents=False).save_pretrained(folder / "bert")
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=5 + len(chars), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
    BertModel(config).save_pretrained(folder / "bert")
    encoder = Transformer(str(folder / "bert"), max_seq_length=128)
    SentenceTransformer(modules=[encoder, Pooling(32, pooling_mode="mean")]).save(str(folder / "model"))
    return folder / "model"
