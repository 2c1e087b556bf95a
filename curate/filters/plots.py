"""Score histograms of filter steps, as PNG (the card and the Prefect artifacts show them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from curate.io import atomic_path


def histogram(
    values: Sequence[float], cutoff: float | None, label: str, bounds: tuple[float, float], path: Path,
    minimum: float | None = None,
) -> None:
    """Histogram of `values` (the step's input records) over `bounds`, the cut-off (and a minimum) marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    axes.hist(list(values), bins=50, range=bounds, color="#4c72b0")
    if cutoff is not None:
        axes.axvline(cutoff, color="#c44e52", linestyle="--", label=f"cut-off {cutoff:g}")
    if minimum is not None:
        axes.axvline(minimum, color="#8172b2", linestyle=":", label=f"minimum {minimum:g}")
    if cutoff is not None or minimum is not None:
        axes.legend()
    axes.set_xlabel(label)
    axes.set_ylabel("records")
    axes.set_title(f"{label} ({len(values)} records)")
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(figure)
