"""Each training option is declared once (TrainConfig); the CLI and the Trainer arguments come from it."""

from __future__ import annotations

import inspect
from dataclasses import fields

import pytest

from train import cli
from train.config import PhaseSettings, TrainConfig
from train.phase import training_arguments


def test_every_option_is_a_cli_flag_with_its_default_and_help():
    parameters = inspect.signature(cli.train).parameters
    assert list(parameters) == [f.name for f in fields(TrainConfig)]
    for option in fields(TrainConfig):
        info = parameters[option.name].default
        assert info.param_decls == (f"--{option.name.replace('_', '-')}",)
        assert info.help == option.metadata["help"] and info.help
        assert info.default == (... if option.name in ("method", "data", "train_size", "out") else option.default)


def test_trainer_arguments_come_from_the_declared_options(tmp_path):
    config = TrainConfig(method="mbart-cls", data=tmp_path, train_size=4, out=tmp_path, epochs=3, max_grad_norm=0.5,
                         seed=7, num_beams=2, generation_max_length=20, eval_batch_size=3, logging_steps=5,
                         save_total_limit=1, gradient_checkpointing=True, device="cpu")
    args = training_arguments(config, "cls", tmp_path / "cls", 16)
    assert (args.num_train_epochs, args.max_grad_norm, args.seed, args.data_seed) == (3, 0.5, 7, 7)
    assert (args.generation_num_beams, args.generation_max_length, args.per_device_eval_batch_size) == (2, 20, 3)
    assert (args.logging_steps, args.save_total_limit, args.activation_checkpointing) == (5, 1, True)
    assert (args.per_device_train_batch_size, args.gradient_accumulation_steps, args.learning_rate) == (4, 4, 5e-5)


@pytest.mark.parametrize(("method", "settings", "phase", "expected"), [
    ("no-mono", "stage2", "cls", PhaseSettings(2, 8, 2.5e-5)),  # the paper's reading (default)
    ("no-mono", "stage1", "cls", PhaseSettings(4, 4, 5e-5)),  # the authors' code
    ("no-mono", "stage2", "stage1", PhaseSettings(4, 4, 5e-5)),
    ("mbart-cls", "stage2", "cls", PhaseSettings(4, 4, 5e-5)),  # the baseline is not the ablation
    ("tflcls", "stage1", "stage2", PhaseSettings(2, 8, 2.5e-5)),
])
def test_the_w_o_mul_ablation_offers_both_readings(tmp_path, method, settings, phase, expected):
    config = TrainConfig(method=method, data=tmp_path, train_size=4, out=tmp_path, no_mono_settings=settings)
    assert config.phase_settings(phase) == expected
    args = training_arguments(config, phase, tmp_path / phase, 16)
    assert (args.per_device_train_batch_size, args.gradient_accumulation_steps, args.learning_rate) == (
        expected.batch_size, expected.grad_accum, expected.lr)


def test_an_unknown_reading_is_refused(tmp_path):
    with pytest.raises(ValueError, match="^unknown no-mono-settings 'paper'; choose stage2 or stage1$"):
        TrainConfig(method="no-mono", data=tmp_path, train_size=4, out=tmp_path, no_mono_settings="paper")
