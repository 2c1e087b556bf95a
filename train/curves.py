"""Training curves (loss, L_cls / L_mls, the loss weights, validation ROUGE-2) of a run as one PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curate.io import atomic_path

PANELS = (
    ("training loss", ("loss",)),
    ("Stage-2 losses", ("l_cls", "l_mls")),
    ("loss weights", ("c", "s_cls", "s_mls")),
    ("validation ROUGE-2", ("eval_rouge2",)),
)


def plot_curves(histories: dict[str, list[dict[str, Any]]], path: Path) -> Path:
    """Plot each phase's logged values against its step; panels without data are left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    entries = [entry for history in histories.values() for entry in history]
    panels = [(title, keys) for title, keys in PANELS if any(key in e for e in entries for key in keys)]
    fig, axes = plt.subplots(1, max(1, len(panels)), figsize=(4.5 * max(1, len(panels)), 3.5), squeeze=False)
    for axis, (title, keys) in zip(axes[0], panels):
        for phase, history in histories.items():
            for key in keys:
                points = [(e["step"], e[key]) for e in history if key in e]
                if points:
                    steps, values = zip(*points)
                    axis.plot(steps, values, marker="." if len(points) < 30 else None, label=f"{phase} {key}")
        axis.set_title(title)
        axis.set_xlabel("optimizer step")
        axis.legend(fontsize=7)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)
    return Path(path)
