"""TflclsTrainer: Adam, c in its own group at --c-lr, lr x 0.95 per epoch; quiet about tied weights on reload."""

from __future__ import annotations

import pytest
import torch
from torch.nn.modules.module import _IncompatibleKeys

from train.config import TrainConfig
from train.data import load_splits, tokenize_split
from train.dual_decoder import build_stage2_model
from train.metrics import RougeMetric
from train.phase import load_tokenizer, make_trainer


def stage2_trainer(dataset, model_dir, out, **options):
    """A Stage-2 model on the tiny dataset (train size 4) and its TflclsTrainer."""
    config = TrainConfig(method="tflcls", data=dataset, train_size=4, out=out, model=str(model_dir), device="cpu", **options)
    splits = load_splits(dataset, 4)
    tokenizer = load_tokenizer(model_dir, splits)
    model = build_stage2_model(model_dir, model_dir, "tflcls", 2.0)
    train_ds = tokenize_split(splits.train, tokenizer, "dual", 768, 128)
    eval_ds = tokenize_split(splits.validation, tokenizer, "cls", 768, 128)
    metric = RougeMetric(splits.validation["target_summary"], "zh", tokenizer)
    return model, make_trainer(config, "stage2", model, tokenizer, train_ds, eval_ds, metric, out / "stage2")


def test_c_has_its_own_lr_and_the_lr_decays_per_epoch(tiny_dataset, tiny_model, tmp_path):
    model, trainer = stage2_trainer(tiny_dataset, tiny_model, tmp_path, batch_size=2, grad_accum=1, lr=1e-3, c_lr=0.1)
    optimizer = trainer.create_optimizer()
    assert isinstance(optimizer, torch.optim.Adam)
    main, weighting = optimizer.param_groups
    assert weighting["params"] == [model.loss_weighting.c] and weighting["lr"] == 0.1
    assert main["lr"] == 1e-3 and len(main["params"]) == len(list(model.parameters())) - 1
    scheduler = trainer.create_scheduler(10, optimizer)
    # 4 examples / batch 2 = 2 optimiser steps per epoch: steps 0-1 at the full lr, 2-3 at x0.95, 4 at x0.95^2
    assert [scheduler.lr_lambdas[0](step) for step in range(5)] == pytest.approx([1, 1, 0.95, 0.95, 0.95**2])


def test_reloading_a_checkpoint_warns_only_about_keys_that_are_not_tied(tiny_dataset, tiny_model, tmp_path, caplog):
    _, trainer = stage2_trainer(tiny_dataset, tiny_model, tmp_path)
    tied = ["model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"]
    caplog.clear()  # building the model reports the ml_decoder's keys, by design
    trainer._issue_warnings_after_load(_IncompatibleKeys(tied + ["ml_decoder.embed_tokens.weight"], []))
    assert caplog.messages == []
    trainer._issue_warnings_after_load(_IncompatibleKeys([*tied, "model.decoder.layers.0.fc1.weight"], []))
    assert caplog.messages == ["There were missing keys in the checkpoint model loaded: ['model.decoder.layers.0.fc1.weight']."]
