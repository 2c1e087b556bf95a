"""TflclsTrainer's optimiser and schedule: Adam, c in its own group at --c-lr, lr x 0.95 per epoch."""

from __future__ import annotations

import pytest
import torch

from train.config import TrainConfig
from train.data import load_splits, tokenize_split
from train.dual_decoder import build_stage2_model
from train.metrics import RougeMetric
from train.phase import load_tokenizer, make_trainer


def test_c_has_its_own_lr_and_the_lr_decays_per_epoch(tiny_dataset, tiny_model, tmp_path):
    config = TrainConfig(method="tflcls", data=tiny_dataset, train_size=4, out=tmp_path, model=str(tiny_model),
                         batch_size=2, grad_accum=1, lr=1e-3, c_lr=0.1, device="cpu")
    splits = load_splits(tiny_dataset, 4)
    tokenizer = load_tokenizer(tiny_model, splits)
    model = build_stage2_model(tiny_model, tiny_model, "tflcls", 2.0)
    train_ds = tokenize_split(splits.train, tokenizer, "dual", 768, 128)
    eval_ds = tokenize_split(splits.validation, tokenizer, "cls", 768, 128)
    metric = RougeMetric(splits.validation["target_summary"], "zh", tokenizer)
    trainer = make_trainer(config, "stage2", model, tokenizer, train_ds, eval_ds, metric, tmp_path / "stage2")
    optimizer = trainer.create_optimizer()
    assert isinstance(optimizer, torch.optim.Adam)
    main, weighting = optimizer.param_groups
    assert weighting["params"] == [model.loss_weighting.c] and weighting["lr"] == 0.1
    assert main["lr"] == 1e-3 and len(main["params"]) == len(list(model.parameters())) - 1
    scheduler = trainer.create_scheduler(10, optimizer)
    # 4 examples / batch 2 = 2 optimiser steps per epoch: steps 0-1 at the full lr, 2-3 at x0.95, 4 at x0.95^2
    assert [scheduler.lr_lambdas[0](step) for step in range(5)] == pytest.approx([1, 1, 0.95, 0.95, 0.95**2])
