"""Stage-2 loss schemes: eq. 3.5 and HU / RHU / sum by hand, and c receives a gradient."""

from __future__ import annotations

import math

import pytest
import torch

from train.losses import hu_loss, make_loss_weighting, rhu_loss, tflcls_loss


def test_eq_3_5_by_hand():
    l_mls, l_cls, c, r = torch.tensor(3.0), torch.tensor(2.0), torch.tensor(1.5), 2.0
    # 3 / (2 * 3^2) + ln(1 + 9) + 2 / (2 * 2.25) + ln(1 + 2.25)
    expected = 3 / 18 + math.log(10) + 2 / 4.5 + math.log(3.25)
    assert tflcls_loss(l_mls, l_cls, c, r).item() == pytest.approx(expected, rel=1e-6)


def test_eq_3_5_at_start_weights_mls_a_quarter_of_cls():
    weighting = make_loss_weighting("tflcls", r=2.0)
    low = weighting(torch.tensor(1.0), torch.tensor(0.0)).item()
    high = weighting(torch.tensor(1.0), torch.tensor(4.0)).item()
    assert high - low == pytest.approx(4.0 / 8)  # d L / d L_mls = 1 / (2 (r c)^2) = 1/8 at c = 1


def test_hu_rhu_sum_by_hand():
    losses = [torch.tensor(2.0), torch.tensor(3.0)]
    log_s = torch.tensor([math.log(2.0), 0.0])
    assert hu_loss(losses, log_s).item() == pytest.approx(2 / 8 + math.log(2) + 3 / 2 + 0.0)
    s = torch.tensor([2.0, 1.0])
    assert rhu_loss(losses, s).item() == pytest.approx(2 / 8 + math.log(5) + 3 / 2 + math.log(2))
    assert make_loss_weighting("sum")(*losses).item() == 5.0
    assert make_loss_weighting("hu")(*losses).item() == pytest.approx(2.5)  # s = 1 at the start
    assert make_loss_weighting("rhu")(*losses).item() == pytest.approx(2.5 + 2 * math.log(2))


def test_c_receives_the_analytic_gradient():
    weighting = make_loss_weighting("tflcls", r=2.0)
    loss = weighting(torch.tensor(2.0), torch.tensor(3.0))
    loss.backward()
    c, r, l_cls, l_mls = 1.0, 2.0, 2.0, 3.0
    expected = -l_mls / (r**2 * c**3) + 2 * r**2 * c / (1 + (r * c) ** 2) - l_cls / c**3 + 2 * c / (1 + c**2)
    assert weighting.c.grad.item() == pytest.approx(expected)
    assert weighting.weights() == {"c": 1.0}


def test_unknown_scheme_is_a_value_error():
    with pytest.raises(ValueError, match="^unknown loss 'avg'; choose one of tflcls, sum, hu, rhu$"):
        make_loss_weighting("avg")
