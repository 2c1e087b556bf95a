"""build-ncls-low on a tiny NCLS release, the fine-tuning grid, and lifecycle's GPU hand-off."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from flows.finetune import grid
from flows.recipe import Recipe, TrainingSpec, bundled_recipe, load_recipe

NCLS_RELEASE = Path(__file__).resolve().parents[1] / "curate" / "fixtures" / "ncls"


def test_grid_varies_losses_only_for_two_decoder_methods() -> None:
    spec = TrainingSpec(methods=["tflcls", "mbart-cls", "no-stage1", "no-mono"], train_sizes=[1000, 5000], losses=["tflcls", "rhu"])
    cells = grid(spec)
    assert len(cells) == 12
    assert [c for c in cells if c[0] == "mbart-cls"] == [("mbart-cls", 1000, "tflcls"), ("mbart-cls", 5000, "tflcls")]
    assert [c for c in cells if c[0] == "no-stage1"] == [
        ("no-stage1", 1000, "tflcls"), ("no-stage1", 1000, "rhu"), ("no-stage1", 5000, "tflcls"), ("no-stage1", 5000, "rhu")
    ]


@pytest.mark.slow
def test_build_ncls_low_from_the_en2zh_recipe(prefect_api: str, tmp_path: Path) -> None:
    from flows.build import build_ncls_low

    base = load_recipe(bundled_recipe("en2zh_low"))
    recipe = Recipe.model_validate(
        base.model_dump() | {"ncls": {"input": str(NCLS_RELEASE), "direction": "en2zh"}, "splits": {"train_sizes": [2, 4]},
                             "training": None}
    )
    result = build_ncls_low(recipe=recipe, workdir=str(tmp_path))
    assert result["splits"]["train_2"] == 2 and result["splits"]["train_4"] == 4
    assert set(result["splits"]) == {"train_2", "train_4", "validation", "test"}
    card = Path(result["card"]).read_text(encoding="utf-8")
    assert "config_name: n4" in card and "NCLS" in card
    assert result["publish"]["dry_run"] is True and result["publish"]["repo_id"] == "YOUR-HF-USER/En2ZhLow"


def lifecycle_recipe(work_pool: str | None) -> Recipe:
    recipe = load_recipe(bundled_recipe("demo"))
    return Recipe.model_validate(recipe.model_dump() | {"work_pool": work_pool})


def test_lifecycle_hands_finetune_to_the_work_pool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import flows.lifecycle as lifecycle_module

    monkeypatch.setattr(lifecycle_module, "summary_artifact", lambda *args: None)  # no server in these tests
    calls = []
    monkeypatch.setattr(lifecycle_module, "build_dataset", lambda **kw: {"dataset": str(tmp_path / "dataset"), "kw": kw})
    monkeypatch.setattr(lifecycle_module, "finetune", lambda **kw: pytest.fail("finetune must not run in-process"))

    def fake_run_deployment(name: str, parameters: dict):
        calls.append((name, parameters))
        state = SimpleNamespace(is_completed=lambda: True, name="Completed")
        return SimpleNamespace(name="gpu-run", id="1234", state=state)

    monkeypatch.setattr(lifecycle_module, "run_deployment", fake_run_deployment)
    recipe = lifecycle_recipe("gpu")
    result = lifecycle_module.lifecycle.fn(recipe=recipe, workdir=str(tmp_path))
    ((name, parameters),) = calls
    assert name == "finetune/gpu"
    assert parameters == {"dataset": str(tmp_path / "dataset"), "training": recipe.training, "workdir": str(tmp_path),
                          "name": "DemoVi2Zh"}
    assert result["finetune"] == {"flow_run": "gpu-run", "id": "1234", "state": "Completed"}


def test_lifecycle_fails_when_the_gpu_run_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import flows.lifecycle as lifecycle_module

    monkeypatch.setattr(lifecycle_module, "summary_artifact", lambda *args: None)  # no server in these tests
    monkeypatch.setattr(lifecycle_module, "build_dataset", lambda **kw: {"dataset": str(tmp_path)})
    failed = SimpleNamespace(name="gpu-run", id="1", state=SimpleNamespace(is_completed=lambda: False, name="Crashed"))
    monkeypatch.setattr(lifecycle_module, "run_deployment", lambda name, parameters: failed)
    with pytest.raises(RuntimeError, match="finetune run gpu-run ended Crashed"):
        lifecycle_module.lifecycle.fn(recipe=lifecycle_recipe("gpu"), workdir=str(tmp_path))


def test_lifecycle_without_a_pool_finetunes_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import flows.lifecycle as lifecycle_module

    monkeypatch.setattr(lifecycle_module, "summary_artifact", lambda *args: None)  # no server in these tests
    monkeypatch.setattr(lifecycle_module, "build_dataset", lambda **kw: {"dataset": "D"})
    monkeypatch.setattr(lifecycle_module, "run_deployment", lambda *a, **kw: pytest.fail("no deployment without a pool"))
    monkeypatch.setattr(lifecycle_module, "finetune", lambda **kw: {"in_process": kw["dataset"]})
    result = lifecycle_module.lifecycle.fn(recipe=lifecycle_recipe(None), workdir=str(tmp_path))
    assert result["finetune"] == {"in_process": "D"}


def test_the_lifecycle_summary_says_where_everything_is(monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.artifacts as artifacts

    made = {}
    monkeypatch.setattr(artifacts, "create_markdown_artifact", lambda **kw: made.update(kw))
    result = {
        "build": {"dataset": "/w/dataset", "card": "/w/dataset/README.md", "counts": [{"stage": "crawled", "records": 40}],
                  "warnings": ["filter.k is 300 but ..."]},
        "finetune": {"runs": ["/w/runs/tflcls-tflcls-n24"], "report": {"markdown": "/w/report/table2.md"},
                     "table": "| method | R2 |\n|---|---|\n| TFLCLS | 1.0 |", "tiny": True},
    }
    markdown = artifacts.summary_artifact("DemoVi2Zh", result, ["demovi2zh-card", "demovi2zh-table-2"])
    assert made["key"] == "demovi2zh-summary" and made["markdown"] == markdown
    assert markdown == """# DemoVi2Zh: lifecycle summary

## Outputs on disk

- dataset: `/w/dataset`
- dataset card: `/w/dataset/README.md`
- training runs: `/w/runs`
- report (markdown): `/w/report/table2.md`

## Records per stage

- crawled: 40
- **Warning:** filter.k is 300 but ...

## Artifacts of the subflows

- [demovi2zh-card](/artifacts/key/demovi2zh-card)
- [demovi2zh-table-2](/artifacts/key/demovi2zh-table-2)

## Table 2

| method | R2 |
|---|---|
| TFLCLS | 1.0 |

(a tiny random model trained for a few steps: the numbers show the plumbing, not the method)
"""


def test_the_card_artifact_shows_the_plot_inline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import flows.artifacts as artifacts

    made = {}
    monkeypatch.setattr(artifacts, "create_markdown_artifact", lambda **kw: made.update(kw))
    (tmp_path / "scores.png").write_bytes(b"\x89PNG")
    (tmp_path / "README.md").write_text("---\nlicense: other\n---\n\n# X\n\n![plot](scores.png)\n![gone](gone.png)\n")
    artifacts.card_artifact("X", tmp_path / "README.md")
    assert made["markdown"] == (
        "```yaml\nlicense: other\n```\n\n\n# X\n\n![plot](data:image/png;base64,iVBORw==)\n![gone](gone.png)\n"
    )
