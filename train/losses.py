"""Stage-2 loss schemes: how L_cls (cl_decoder) and L_mls (ml_decoder) become one loss.

`tflcls` is the paper's eq. 3.5 with one trainable scalar c and a fixed ratio r; `sum` is the plain
sum; `hu` is Kendall et al. (2018) homoscedastic uncertainty weighting; `rhu` is its regularised
form (Liebel & Koerner, 2018). Each scheme is a small `nn.Module` whose parameters live inside the
Stage-2 model, so they are optimised, checkpointed and restored with it.
"""

from __future__ import annotations

import math

import torch
from torch import nn



def tflcls_loss(l_mls: torch.Tensor, l_cls: torch.Tensor, c: torch.Tensor, r: float) -> torch.Tensor:
    """Eq. 3.5: L_mls / (2 (r c)^2) + ln(1 + (r c)^2) + L_cls / (2 c^2) + ln(1 + c^2)."""
    rc2 = (r * c) ** 2
    c2 = c**2
    return l_mls / (2 * rc2) + torch.log1p(rc2) + l_cls / (2 * c2) + torch.log1p(c2)


def hu_loss(losses: list[torch.Tensor], log_sigmas: torch.Tensor) -> torch.Tensor:
    """Kendall et al.: sum_i L_i / (2 s_i^2) + ln s_i, with s_i = exp(log_sigma_i).

    Parameterised by ln s_i (as Kendall et al. recommend) so s_i stays positive and ln s_i finite.
    """
    return sum(loss * torch.exp(-2 * ls) / 2 + ls for loss, ls in zip(losses, log_sigmas))


def rhu_loss(losses: list[torch.Tensor], sigmas: torch.Tensor) -> torch.Tensor:
    """Liebel & Koerner: sum_i L_i / (2 s_i^2) + ln(1 + s_i^2)."""
    return sum(loss / (2 * s**2) + torch.log1p(s**2) for loss, s in zip(losses, sigmas))


class LossWeighting(nn.Module):
    """Combines (L_cls, L_mls) into one loss; `weights()` reports its trainable values for logging."""

    def forward(self, l_cls: torch.Tensor, l_mls: torch.Tensor) -> torch.Tensor:  # pragma: no cover - interface
        """The combined loss."""
        raise NotImplementedError

    def weights(self) -> dict[str, float]:
        """The scheme's current trainable values (empty for `sum`)."""
        return {}


class TflclsWeighting(LossWeighting):
    """Eq. 3.5 with trainable c (initialised to 1.0, as in the reference code) and fixed r."""

    def __init__(self, r: float = 2.0):
        super().__init__()
        self.r = r
        self.c = nn.Parameter(torch.ones(()))

    def forward(self, l_cls: torch.Tensor, l_mls: torch.Tensor) -> torch.Tensor:
        """Eq. 3.5 of the current c."""
        return tflcls_loss(l_mls, l_cls, self.c, self.r)

    def weights(self) -> dict[str, float]:
        """`{"c": c}`."""
        return {"c": self.c.item()}


class SumWeighting(LossWeighting):
    """L_cls + L_mls."""

    def forward(self, l_cls: torch.Tensor, l_mls: torch.Tensor) -> torch.Tensor:
        """The plain sum."""
        return l_cls + l_mls


class HuWeighting(LossWeighting):
    """Kendall et al. (2018) with s_cls = s_mls = 1 at the start."""

    def __init__(self):
        super().__init__()
        self.log_sigmas = nn.Parameter(torch.zeros(2))

    def forward(self, l_cls: torch.Tensor, l_mls: torch.Tensor) -> torch.Tensor:
        """HU of (L_cls, L_mls)."""
        return hu_loss([l_cls, l_mls], self.log_sigmas)

    def weights(self) -> dict[str, float]:
        """`{"s_cls", "s_mls"}`."""
        s_cls, s_mls = (math.exp(v) for v in self.log_sigmas.tolist())
        return {"s_cls": s_cls, "s_mls": s_mls}


class RhuWeighting(LossWeighting):
    """Liebel & Koerner (2018) with s_cls = s_mls = 1 at the start."""

    def __init__(self):
        super().__init__()
        self.sigmas = nn.Parameter(torch.ones(2))

    def forward(self, l_cls: torch.Tensor, l_mls: torch.Tensor) -> torch.Tensor:
        """RHU of (L_cls, L_mls)."""
        return rhu_loss([l_cls, l_mls], self.sigmas)

    def weights(self) -> dict[str, float]:
        """`{"s_cls", "s_mls"}`."""
        s_cls, s_mls = self.sigmas.tolist()
        return {"s_cls": s_cls, "s_mls": s_mls}


def make_loss_weighting(scheme: str, r: float = 2.0) -> LossWeighting:
    """The weighting module of a registered scheme name (train.registry.LOSSES).

    Raises ValueError (one line, listing the known names) for an unknown name.
    """
    from train.registry import LOSSES, check_loss

    return LOSSES[check_loss(scheme)].factory(r)
