"""`TflclsTrainer`: Seq2SeqTrainer with the paper's optimiser, schedule and Stage-2 logging.

What it changes in Seq2SeqTrainer, and why:
- optimiser: Adam (betas 0.9/0.999, eps 1e-8, no weight decay), as the reference code; the loss
  weighting's parameters (c, or HU/RHU's s_i) form their own group with their own learning rate;
- schedule: lr x `decay` (0.95) at the start of every epoch (StepLR per epoch, no warm-up);
- logging: in Stage 2, the mean L_cls and L_mls since the last log and the current c (or s_i) are
  added to each training log entry;
- evaluation order: the eval/test dataloaders visit the dataset in order (transformers 5 gives them
  the training's length-grouped, shuffled sampler when `train_sampling_strategy="group_by_length"`,
  and ROUGE / predictions.jsonl pair prediction i with dataset row i); training stays length-grouped;
- evaluation gathers with `gather_for_metrics`: under several processes (torchrun), Seq2SeqTrainer's
  plain `gather` keeps the duplicates that pad the last batch (1 validation example on 2 processes
  came back as 8 predictions);
- the loss is a per-batch token mean (mBART's CrossEntropyLoss ignores `num_items_in_batch`), so the
  Trainer must divide it by the accumulation steps (`loss_is_scaled_for_ga = False`) and must not
  multiply it by the number of processes (`model_accepts_loss_kwargs = False`): the Trainer does that
  for a model that normalises by the global token count, and under torchrun that made every loss,
  logged and back-propagated, N times too large on N processes;
- several processes (torchrun): L_cls / L_mls are logged as the mean over all processes.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from transformers import Seq2SeqTrainer

LOSS_WEIGHTING_PREFIX = "loss_weighting."


class TflclsTrainer(Seq2SeqTrainer):
    """Seq2SeqTrainer with Adam + per-epoch lr decay and per-decoder loss logging."""

    loss_is_scaled_for_ga = False

    def __init__(self, *args: Any, lr_decay: float = 0.95, loss_weight_lr: float | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.model_accepts_loss_kwargs = False  # see the module docstring: no `num_items_in_batch` scaling
        self.lr_decay = lr_decay
        self.loss_weight_lr = loss_weight_lr
        self._component_sums: dict[str, float] = {}
        self._component_count = 0

    def create_optimizer(self, model: Any = None) -> torch.optim.Optimizer:
        """Adam over the model's parameters, the loss weighting's at `loss_weight_lr` (default: the same lr)."""
        if self.optimizer is None:
            model = self.model if model is None else model
            named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
            groups = [{"params": [p for n, p in named if not n.startswith(LOSS_WEIGHTING_PREFIX)]}]
            weighting = [p for n, p in named if n.startswith(LOSS_WEIGHTING_PREFIX)]
            if weighting:
                groups.append({"params": weighting, "lr": self.loss_weight_lr or self.args.learning_rate})
            self.optimizer = torch.optim.Adam(
                groups,
                lr=self.args.learning_rate,
                betas=(self.args.adam_beta1, self.args.adam_beta2),
                eps=self.args.adam_epsilon,
            )
        return self.optimizer

    def _issue_warnings_after_load(self, load_result: Any) -> None:
        """The Trainer's check after reloading the best checkpoint, quiet about the tied weights.

        safetensors stores a shared tensor once, so the token embeddings and the output projection
        (all `model.shared`) are "missing" from every checkpoint and the Trainer warns that they are,
        although loading `model.shared` restores them. Only keys that are not tied are reported.
        """
        shared = self.model.get_input_embeddings().weight
        params = dict(self.model.named_parameters(remove_duplicate=False))
        untied = [key for key in load_result.missing_keys if params.get(key) is not shared]
        super()._issue_warnings_after_load(load_result._replace(missing_keys=untied))

    def _get_eval_sampler(self, eval_dataset: Any) -> torch.utils.data.Sampler | None:
        """Dataset order, whatever the training sampler: one process reads in order, several get
        contiguous shards from accelerate (sampler None), which `gather_for_metrics` puts back in order."""
        if eval_dataset is None:
            return None
        return torch.utils.data.SequentialSampler(eval_dataset) if self.args.world_size <= 1 else None

    def create_scheduler(self, num_training_steps: int, optimizer: torch.optim.Optimizer | None = None) -> Any:
        """lr x `lr_decay` once per epoch of optimiser steps."""
        if self.lr_scheduler is None:
            batches = len(self.get_train_dataloader())
            steps_per_epoch = max(1, math.ceil(batches / self.args.gradient_accumulation_steps))
            decay = self.lr_decay
            self.lr_scheduler = torch.optim.lr_scheduler.LambdaLR(
                optimizer or self.optimizer, lambda step: decay ** (step // steps_per_epoch)
            )
        return self.lr_scheduler

    def compute_loss(self, model: Any, inputs: dict, return_outputs: bool = False, num_items_in_batch: Any = None):
        """The model's loss; in Stage-2 training, also accumulates L_cls and L_mls for the next log."""
        loss, outputs = super().compute_loss(model, inputs, return_outputs=True, num_items_in_batch=num_items_in_batch)
        if model.training and getattr(outputs, "l_cls", None) is not None:
            for key in ("l_cls", "l_mls"):
                self._component_sums[key] = self._component_sums.get(key, 0.0) + getattr(outputs, key).item()
            self._component_count += 1
        return (loss, outputs) if return_outputs else loss

    def evaluation_loop(self, *args: Any, **kwargs: Any) -> Any:
        """The Trainer's evaluation loop, gathering across processes without the padding duplicates.

        Seq2SeqTrainer.evaluate/predict set `gather_function = accelerator.gather` ("we don't want to
        drop samples"). Under several processes the last batch of each process is filled up with
        examples from the start of the split (accelerate's `even_batches`), and `gather` keeps those
        copies, so there are more predictions than examples. `gather_for_metrics` drops exactly them:
        the gathered order is the sampler's order followed by the copies.
        """
        self.gather_function = self.accelerator.gather_for_metrics
        return super().evaluation_loop(*args, **kwargs)

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        """Add mean L_cls / L_mls and the loss weights to training log entries (weights also to the final one)."""
        if "loss" in logs and self._component_count:  # every process logs (the Trainer gathers "loss" too)
            keys = sorted(self._component_sums)
            totals = torch.tensor(
                [self._component_sums[k] for k in keys] + [self._component_count],
                dtype=torch.float64, device=self.accelerator.device,
            )
            totals = self.accelerator.reduce(totals, reduction="sum").tolist()  # over all processes
            logs.update({k: total / totals[-1] for k, total in zip(keys, totals)})
            self._component_sums, self._component_count = {}, 0
        weighting = getattr(self.accelerator.unwrap_model(self.model), "loss_weighting", None)
        if ("loss" in logs or "train_loss" in logs) and weighting is not None:  # train_loss: the end-of-run entry
            logs.update(weighting.weights())
        super().log(logs, start_time)
