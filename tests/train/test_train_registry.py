"""One registry of methods and loss schemes: a name registered once is accepted by `clsforge train` and by recipes."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from pydantic import ValidationError

from flows.recipe import TrainingSpec, first_error
from train.config import PHASES, TrainConfig
from train.losses import LossWeighting, make_loss_weighting
from train.registry import LOSSES, METHODS, register_loss, register_method


class HalfWeighting(LossWeighting):
    """A test scheme: the mean of the two losses."""

    def forward(self, l_cls: torch.Tensor, l_mls: torch.Tensor) -> torch.Tensor:
        return (l_cls + l_mls) / 2

    def weights(self) -> dict[str, float]:
        return {}


@pytest.fixture
def restore_registries():
    saved = dict(METHODS), dict(LOSSES)
    yield
    for registry, old in zip((METHODS, LOSSES), saved, strict=True):
        registry.clear()
        registry.update(old)


def run_config(**options) -> TrainConfig:
    """The options as `clsforge train` checks them (train.cli builds this TrainConfig from its flags)."""
    return TrainConfig(data=Path("d"), train_size=1000, out=Path("o"), **options)


def test_builtin_names_are_registered_in_order():
    assert METHODS == {"tflcls": ("stage1", "stage2"), "mbart-cls": ("cls",), "no-stage1": ("stage2",),
                       "no-mono": ("stage1", "cls")}
    assert PHASES is METHODS
    assert list(LOSSES) == ["tflcls", "sum", "hu", "rhu"]


def test_unknown_loss_and_method_are_one_line_listing_the_registry(restore_registries):
    with pytest.raises(ValueError, match="^unknown loss 'half'; choose one of tflcls, sum, hu, rhu$"):
        run_config(method="tflcls", loss="half")
    with pytest.raises(ValidationError) as caught:
        TrainingSpec(losses=["tflcls", "half"])
    assert first_error(caught.value) == "losses.1: Value error, unknown loss 'half'; choose one of tflcls, sum, hu, rhu"
    with pytest.raises(ValidationError) as caught:
        TrainingSpec(methods=["dual-only"])
    assert first_error(caught.value) == (
        "methods.0: Value error, unknown method 'dual-only'; choose one of tflcls, mbart-cls, no-stage1, no-mono")


def test_a_registered_loss_works_from_the_cli_and_in_a_recipe(restore_registries):
    register_loss("half", lambda r: HalfWeighting())
    assert run_config(method="tflcls", loss="half").loss == "half"
    assert TrainingSpec(losses=["tflcls", "half"]).losses == ["tflcls", "half"]
    assert make_loss_weighting("half")(torch.tensor(2.0), torch.tensor(4.0)).item() == 3.0


def test_a_registered_method_works_from_the_cli_and_in_a_recipe(restore_registries):
    register_method("dual-only", ("stage2",))
    assert run_config(method="dual-only").phases == ("stage2",)
    assert TrainingSpec(methods=["dual-only"]).methods == ["dual-only"]
    with pytest.raises(ValueError, match="^method 'bad': phases must be a non-empty list of stage1, stage2, cls$"):
        register_method("bad", ("stage3",))
    assert "bad" not in METHODS
