"""One registry of methods and loss schemes: a name registered once is accepted by `clsforge train` and by recipes,
and `clsforge report` and the model card show it with its registered label and description."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from pydantic import ValidationError

from flows.recipe import TrainingSpec, first_error
from tests.train.test_train_publish_model import METRICS
from tests.train.test_train_report import make_run, table
from train.config import TrainConfig
from train.losses import LossWeighting, make_loss_weighting
from train.publish_model import model_card
from train.registry import LOSSES, METHODS, register_loss, register_method, table_order
from train.report import write_report


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
    assert {name: method.phases for name, method in METHODS.items()} == {
        "tflcls": ("stage1", "stage2"), "mbart-cls": ("cls",), "no-stage1": ("stage2",), "no-mono": ("stage1", "cls")}
    assert list(LOSSES) == ["tflcls", "sum", "hu", "rhu"]
    assert [(m.name, m.label) for m in table_order()] == [  # the paper's Table 2, top to bottom
        ("mbart-cls", "mBART-CLS (w/o TraMul)"), ("no-stage1", "TFLCLS w/o Tra"), ("no-mono", "TFLCLS w/o Mul"),
        ("tflcls", "TFLCLS")]


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
    assert register_method("dual-only", ("stage2",)).label == "dual-only"
    assert run_config(method="dual-only").phases == ("stage2",)
    assert TrainingSpec(methods=["dual-only"]).methods == ["dual-only"]
    with pytest.raises(ValueError, match="^method 'bad': phases must be a non-empty list of stage1, stage2, cls$"):
        register_method("bad", ("stage3",))
    assert "bad" not in METHODS


def test_a_registered_method_and_loss_reach_the_report_and_the_model_card(restore_registries, tmp_path):
    register_method("dual-only", ("stage2",), label="Dual decoders only", row=0, reference="Our note, section 2",
                    description="both decoders from mBART, no Stage 1")
    register_loss("half", lambda r: HalfWeighting(), description="(L_cls + L_mls) / 2")
    register_method("late", ("cls",))  # no row: after the paper's rows; no label: its name
    runs = [make_run(tmp_path, "a", "tflcls", 1000, (30.0, 9.0, 25.0)), make_run(tmp_path, "b", "late", 1000, (1.0, 1.0, 1.0)),
            make_run(tmp_path, "c", "dual-only", 1000, (31.0, 10.0, 26.0), loss="half")]
    assert table(write_report(runs, tmp_path / "report"))[4:] == [
        "| Dual decoders only (loss half) | **31.000** | **10.000** | **26.000** | 1 |",
        "| TFLCLS | 30.000 | 9.000 | 25.000 | 1 |",
        "| late | 1.000 | 1.000 | 1.000 | 1 |",
    ]
    metrics = {**METRICS, "method": "dual-only", "loss": "half", "steps": {"stage2": 2}}
    card = model_card(metrics, {"num_beams": 4}, "me/dual", "mit")
    assert "(`clsforge train --method\ndual-only`): both decoders from mBART, no Stage 1.\n" in card
    assert "| method | Dual decoders only (`dual-only`) (Stage-2 loss `half`: (L_cls + L_mls) / 2; r = 2.0) |\n" \
           "| reference | Our note, section 2 |\n| base model |" in card
    late = model_card({**METRICS, "method": "late", "loss": None}, {}, "me/late", "mit")
    assert "`): see clsforge's docs/train.md.\n" in late and "| method | late (`late`) |\n| base model |" in late


def test_no_mono_settings_apply_to_every_method_whose_cls_phase_follows_stage1(restore_registries):
    register_method("translate-then-cls", ("stage1", "cls"))
    register_method("cls-then-translate", ("cls", "stage1"))
    assert [m.name for m in METHODS.values() if m.takes_no_mono_settings] == ["no-mono", "translate-then-cls"]
    assert run_config(method="translate-then-cls").phase_settings("cls").lr == 2.5e-5  # stage2 settings, the default
    assert run_config(method="translate-then-cls", no_mono_settings="stage1").phase_settings("cls").lr == 5e-5
    assert run_config(method="cls-then-translate").phase_settings("cls").lr == 5e-5
