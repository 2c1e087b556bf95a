"""Table 4 as a Prefect artifact: `table4_artifact` inside a flow stores the score markdown under its key."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pandas as pd

from tests.train.humaneval.conftest import ARTICLES, write_run


def test_table4_artifact_in_a_flow(prefect_api: str, tmp_path: Path) -> None:
    from prefect import flow

    from flows.artifacts import table4_artifact
    from train.humaneval.plan import load_plan, prepare_plan
    from train.humaneval.score import write_scores
    from train.humaneval.store import AnswerStore

    (tmp_path / "dataset" / "data").mkdir(parents=True)
    pd.DataFrame({"id": list(ARTICLES), "source_text": [s for s, _ in ARTICLES.values()]}).to_parquet(
        tmp_path / "dataset" / "data" / "test.parquet"
    )
    runs = [write_run(tmp_path / name, method, tmp_path / "dataset") for name, method in (("t", "tflcls"), ("m", "mbart-cls"))]
    prepare_plan(runs, tmp_path / "plan", articles=1, tuple_size=2)
    plan, key = load_plan(tmp_path / "plan")
    store = AnswerStore(tmp_path / "plan" / "answers.sqlite", plan)
    (tuple_,) = plan["tuples"]
    labels = {system: label for label, system in key["articles"][tuple_["article"]].items()}
    store.save("Lan", tuple_["id"], {c: {"best": labels["TFLCLS"], "worst": labels["mBART-CLS (w/o TraMul)"]} for c in ("IF", "CC", "FL")})

    @flow
    def human_evaluation(directory: str) -> str:
        markdown = Path(write_scores(Path(directory))["markdown"]).read_text(encoding="utf-8")
        table4_artifact("DemoVi2Zh", markdown)
        return markdown

    markdown = human_evaluation(str(tmp_path / "plan"))
    request = urllib.request.Request(f"{prefect_api}/artifacts/filter", b"{}", {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        artifacts = {a["key"]: a for a in json.load(response)}
    assert artifacts["demovi2zh-table-4"]["data"] == markdown
    assert "| TFLCLS | 1.000 (n=1) | 1.000 (n=1) | 1.000 (n=1) |" in markdown
