"""A local transformers translation model: the free route for users without a Google account.

Any seq2seq model name or path works (default NLLB-200 distilled 600M). Multilingual models that name
languages by special tokens get them from our codes: the NLLB code (nllb_codes.py) or the mBART code
(curate.languages), whichever the tokenizer knows; bilingual models (Marian) need none.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from curate.fingerprint import folder_fingerprint
from curate.languages import get_language

from .base import Backend, BatchLimits
from .nllb_codes import nllb_code

DEFAULT_MODEL = "facebook/nllb-200-distilled-600M"


def model_identity(model: str) -> str:
    """The translation cache's name for a model: `sha256:<hex>` of a local folder's files
    (curate.fingerprint.folder_fingerprint: weights, config, tokenizer), so that another model saved
    under the same path is not answered from the old one's translations, and a moved folder still
    is; a Hub id as given (a Hub revision is the Hub's business). Unchanged files are read once a process.
    """
    folder = Path(model).expanduser()
    return f"sha256:{folder_fingerprint(folder)}" if folder.is_dir() else model


class HFBackend(Backend):
    """Batched generation with `AutoModelForSeq2SeqLM` on the GPU when there is one."""

    name = "hf"

    def __init__(
        self, model: str | None = None, device: str | None = None, batch_size: int = 16, max_new_tokens: int = 256, num_beams: int = 4
    ) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.model = model or DEFAULT_MODEL
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.model)
            self.network = AutoModelForSeq2SeqLM.from_pretrained(self.model)
        except (OSError, ValueError) as exc:  # not found / not a model folder (ValueError: no usable tokenizer)
            raise ValueError(f"cannot load the translation model {self.model!r} (a local folder or a Hub name): {exc}") from None
        self.identity = model_identity(self.model)  # after loading: a folder that is not a model failed above
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.network.to(self.device).eval()
        # One sentence piece is at most ~1,000 characters so it fits the model's input length.
        self.limits = BatchLimits(max_segments=batch_size, max_chars=None, max_piece_chars=1000)
        # Never generate past the model's position table (small models would crash on an index error).
        positions = getattr(self.network.config, "max_position_embeddings", None) or max_new_tokens
        self.generate_options: dict[str, Any] = {"max_new_tokens": min(max_new_tokens, positions - 2), "num_beams": num_beams}
        self._lock = threading.Lock()  # one batch on the model at a time, whatever --concurrency says

    def model_identity(self) -> str:
        """The cache key's model: a local folder's content fingerprint, a Hub id as given (`model_identity`)."""
        return self.identity

    def language_token(self, code: str) -> str | None:
        """The tokenizer's token for language `code` (NLLB, then mBART spelling), or None if it has none."""
        vocabulary = self.tokenizer.get_vocab()
        candidates = (nllb_code(code), get_language(code).mbart)
        return next((token for token in candidates if token and token in vocabulary), None)

    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """Generate the translations of one batch."""
        import torch

        source_token, target_token = self.language_token(src), self.language_token(tgt)
        options = dict(self.generate_options)
        if target_token:
            options["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(target_token)
        with self._lock, torch.inference_mode():
            if source_token:
                self.tokenizer.src_lang = source_token
            inputs = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True).to(self.device)
            output = self.network.generate(**inputs, **options)
            return self.tokenizer.batch_decode(output, skip_special_tokens=True)
