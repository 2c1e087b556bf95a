"""The page's API (FastAPI test client): what the page gets names no system; refusals carry their status."""

from __future__ import annotations

import socket
import warnings
from pathlib import Path

import pytest

from train.humaneval.plan import prepare_plan
from train.humaneval.server import create_app, serve_plan

with warnings.catch_warnings():  # starlette's TestClient moving from httpx to httpx2: not ours to fix
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture
def client(runs: list[Path], tmp_path: Path) -> TestClient:
    prepare_plan(runs, tmp_path / "plan", articles=2, tuple_size=3, include_reference=True)
    return TestClient(create_app(tmp_path / "plan"))


def test_the_api_serves_anonymous_tuples_and_stores_answers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert not any(ref in page.text for ref in ("<script src", "<link", "@import", "url(", "http:", "https:"))  # no CDN, no network
    assert client.post("/api/annotators", json={"name": "  Lan "}).json() == {"name": "Lan", "answered": 0, "total": 8}
    shown = client.get("/api/next", params={"annotator": "Lan"})
    for name in ("TFLCLS", "mBART", "reference", "run-"):
        assert name not in shown.text
    body = shown.json()
    labels = [c["label"] for c in body["tuple"]["candidates"]]
    assert (body["done"], body["answered"], len(labels)) == (False, 0, 3)
    answer = {"annotator": "Lan", "tuple_id": body["tuple"]["id"],
              "answers": {c: {"best": labels[0], "worst": labels[1]} for c in ("IF", "CC", "FL")}}
    assert client.post("/api/answers", json=answer).json() == {"stored": True, "duplicate": False, "answered": 1, "total": 8}
    assert client.post("/api/answers", json=answer).json() == {"stored": False, "duplicate": True, "answered": 1, "total": 8}
    changed = answer | {"answers": {c: {"best": labels[1], "worst": labels[0]} for c in ("IF", "CC", "FL")}}
    refused = client.post("/api/answers", json=changed)
    assert (refused.status_code, refused.json()) == (409, {"detail": f"tuple {answer['tuple_id']} is already answered by Lan; answers are final"})
    same = answer | {"annotator": "Minh", "answers": {c: {"best": labels[0], "worst": labels[0]} for c in ("IF", "CC", "FL")}}
    assert client.post("/api/answers", json=same).status_code == 422
    assert client.post("/api/annotators", json={"name": ""}).status_code == 400
    assert client.get("/api/next", params={"annotator": "Lan"}).json()["answered"] == 1


def test_a_taken_port_is_a_one_line_error(client: TestClient, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port} .*; choose another --port"):
            serve_plan(tmp_path / "plan", "127.0.0.1", port)
