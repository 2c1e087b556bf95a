"""The Stage-2 model: mBART's encoder and cross-lingual decoder plus a monolingual decoder.

`MBartWithMonolingualDecoder` is `MBartForConditionalGeneration` (encoder + cl_decoder, used for
generation and saved as the final model) with a second `MBartDecoder`, the ml_decoder, trained to
write the source-language summary. Per batch the encoder runs once and feeds both decoders. The
ml_decoder reads the shared token embeddings and writes through the same tied output projection
as the cl_decoder (`lm_head`, whose weight IS the shared embedding matrix); the reference code's
separate, random, untied 256M-parameter head is a flaw we do not copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import CrossEntropyLoss
from transformers import MBartForConditionalGeneration
from transformers.modeling_outputs import Seq2SeqLMOutput
from transformers.models.mbart.modeling_mbart import MBartDecoder, MBartModel, MBartPreTrainedModel, shift_tokens_right

from train.losses import LossWeighting, SumWeighting, make_loss_weighting

TRAINING_ONLY_PREFIXES = ("ml_decoder.", "loss_weighting.")


@dataclass
class DualDecoderOutput(Seq2SeqLMOutput):
    """Seq2SeqLMOutput plus the two per-decoder losses of a Stage-2 training step."""

    l_cls: torch.Tensor | None = None
    l_mls: torch.Tensor | None = None


class MBartWithMonolingualDecoder(MBartForConditionalGeneration):
    """mBART with a training-only monolingual decoder; forward without `mls_labels` is plain mBART."""

    _tied_weights_keys = {
        "lm_head.weight": "model.shared.weight",
        "ml_decoder.embed_tokens.weight": "model.shared.weight",
    }

    def __init__(self, config):
        # MBartForConditionalGeneration.__init__'s body, with the ml_decoder added before post_init()
        # ties the weights (post_init looks every `_tied_weights_keys` module up, ml_decoder included).
        MBartPreTrainedModel.__init__(self, config)
        self.model = MBartModel(config)
        self.final_logits_bias = nn.Buffer(torch.zeros((1, self.model.shared.num_embeddings)))
        self.lm_head = nn.Linear(config.d_model, self.model.shared.num_embeddings, bias=False)
        self.ml_decoder = MBartDecoder(config)
        self.ml_decoder.embed_tokens = self.model.shared
        self.loss_weighting: LossWeighting = SumWeighting()
        self.post_init()

    def forward(
        self,
        input_ids: torch.LongTensor | None = None,
        attention_mask: torch.Tensor | None = None,
        labels: torch.LongTensor | None = None,
        mls_labels: torch.LongTensor | None = None,
        **kwargs,
    ) -> Seq2SeqLMOutput:
        """With `mls_labels`: the weighted Stage-2 loss (encoder once, both decoders); else mBART's forward."""
        if mls_labels is None:
            return super().forward(input_ids=input_ids, attention_mask=attention_mask, labels=labels, **kwargs)
        encoder_outputs = self.model.encoder(input_ids=input_ids, attention_mask=attention_mask)
        cls = super().forward(attention_mask=attention_mask, encoder_outputs=encoder_outputs, labels=labels)
        ml_hidden = self.ml_decoder(
            input_ids=shift_tokens_right(mls_labels, self.config.pad_token_id),
            encoder_hidden_states=encoder_outputs.last_hidden_state,
            encoder_attention_mask=attention_mask,
        ).last_hidden_state
        ml_logits = self.lm_head(ml_hidden) + self.final_logits_bias
        l_mls = CrossEntropyLoss()(ml_logits.view(-1, self.config.vocab_size), mls_labels.view(-1))
        loss = self.loss_weighting(cls.loss, l_mls)
        return DualDecoderOutput(loss=loss, logits=cls.logits, l_cls=cls.loss.detach(), l_mls=l_mls.detach())


def build_stage2_model(
    cl_source: str | Path, ml_source: str | Path, scheme: str, r: float, **load_kwargs
) -> MBartWithMonolingualDecoder:
    """Encoder, embeddings and cl_decoder from `cl_source`; the ml_decoder from `ml_source`'s decoder.

    For TFLCLS `cl_source` is the best Stage-1 checkpoint and `ml_source` the original pretrained
    mBART; for the w/o-Tra ablation both are the pretrained model. The ml_decoder keeps the shared
    (cl_source) token embeddings, as in the reference code.
    """
    model = MBartWithMonolingualDecoder.from_pretrained(cl_source, **load_kwargs)
    original = MBartForConditionalGeneration.from_pretrained(ml_source, **load_kwargs)
    decoder_state = {
        key: value for key, value in original.model.decoder.state_dict().items() if not key.startswith("embed_tokens.")
    }
    model.ml_decoder.load_state_dict(decoder_state, strict=False)
    model.loss_weighting = make_loss_weighting(scheme, r).to(model.device)
    return model


def export_cls_model(model: MBartWithMonolingualDecoder) -> MBartForConditionalGeneration:
    """A standard MBartForConditionalGeneration holding the encoder + cl_decoder (no training-only parts)."""
    plain = MBartForConditionalGeneration(model.config)
    state = {k: v for k, v in model.state_dict().items() if not k.startswith(TRAINING_ONLY_PREFIXES)}
    plain.load_state_dict(state)
    plain.generation_config = model.generation_config
    plain.config.architectures = ["MBartForConditionalGeneration"]
    return plain.to(model.dtype)
