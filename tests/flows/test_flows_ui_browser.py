"""From the Prefect UI: `clsforge ui` starts a server and serves the deployments; headless Chromium
finds the build-dataset deployment, starts a run with its default (demo) parameters, and waits until
the run is Completed. Then the lifecycle hands `finetune` to the served deployment through
`run_deployment`, and Ctrl-C stops the server that `clsforge ui` started."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.slow


@dataclass
class UiServer:
    """A running `clsforge ui`: its port, API address, default workdir and log."""

    port: int
    api: str
    runs: Path
    log: Path
    process: subprocess.Popen

    def wait_for(self, condition, timeout_s: float, what: str) -> None:
        """Poll `condition()` until true; fail (with the ui log) on timeout or when the ui dies."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if condition():
                    return
            except OSError:
                pass
            assert self.process.poll() is None, f"clsforge ui exited: {self.log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}: {self.log.read_text()[-3000:]}"
            time.sleep(0.5)

    def run_state(self, run_id: str) -> str:
        """The state type of a flow run (COMPLETED, RUNNING, ...)."""
        with urllib.request.urlopen(f"{self.api}/flow_runs/{run_id}", timeout=10) as response:
            return json.load(response)["state"]["type"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_post(url: str, body: dict) -> list[dict] | dict:
    """POST a JSON body to the Prefect API; return the decoded answer."""
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    """`clsforge ui` on a free port with its own PREFECT_HOME; stopped with Ctrl-C (SIGINT) at the end."""
    root = tmp_path_factory.mktemp("ui")
    port = free_port()
    command = [str(Path(sys.executable).parent / "clsforge"), "ui", "--port", str(port), "--workdir", str(root / "runs")]
    env = os.environ | {"PREFECT_HOME": str(root / "prefect-home")}
    with (root / "ui.log").open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root, start_new_session=True)
    server = UiServer(port, f"http://127.0.0.1:{port}/api", root / "runs", root / "ui.log", process)
    try:
        server.wait_for(lambda: len(api_post(f"{server.api}/deployments/filter", {})) == 4, 180, "the four deployments")
        assert f"Prefect UI: http://127.0.0.1:{port}" in server.log.read_text()
        yield server
    finally:
        os.kill(process.pid, signal.SIGINT)  # Ctrl-C
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    with pytest.raises(OSError):  # the server that `clsforge ui` started is gone with it
        urllib.request.urlopen(f"{server.api}/health", timeout=2)


@pytest.mark.browser
def test_start_build_dataset_from_the_ui(ui_server: UiServer, demo_site: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    base, api = f"http://127.0.0.1:{ui_server.port}", ui_server.api
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/deployments")
        page.locator("tr", has_text="build-dataset").get_by_role("link", name="crawl-translate-filter").click()
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("Quick run").click()  # the deployment's defaults: the demo recipe
        toast = page.get_by_text("scheduled to start now").first.inner_text()
        run_name = toast.split(" scheduled")[0].strip()
        (started,) = api_post(f"{api}/flow_runs/filter", {"flow_runs": {"name": {"any_": [run_name]}}})
        page.goto(f"{base}/runs/flow-run/{started['id']}")
        page.get_by_text("Completed", exact=True).first.wait_for(timeout=240_000)
        page.screenshot(path=str(tmp_path / "build-dataset-run.png"), full_page=True)
        browser.close()

    assert ui_server.run_state(started["id"]) == "COMPLETED"
    assert started["parameters"]["recipe_path"].endswith("datasets/demo.yaml")
    dataset = ui_server.runs / "build" / "dataset"
    assert (dataset / "README.md").exists() and (dataset / "data" / "train_24.parquet").exists()
    assert (tmp_path / "build-dataset-run.png").stat().st_size > 10_000
    artifacts = {a["key"]: a for a in api_post(f"{api}/artifacts/filter", {})}
    assert {"demovi2zh-crawl", "demovi2zh-translate-progress", "demovi2zh-filter-counts", "demovi2zh-filter",
            "demovi2zh-stats", "demovi2zh-card"} <= set(artifacts)
    crawl_rows = json.loads(artifacts["demovi2zh-crawl"]["data"])
    assert sorted((row["site"], row["articles"]) for row in crawl_rows) == [("dantri", 14), ("tuoitre", 12), ("vnexpress", 14)]
    assert artifacts["demovi2zh-translate-progress"]["data"] == 100.0
    assert {"stage": "selected", "records": 32} in json.loads(artifacts["demovi2zh-filter-counts"]["data"])
    assert "data:image/png;base64," in artifacts["demovi2zh-filter"]["data"]
    assert artifacts["demovi2zh-card"]["data"].startswith("```yaml\npretty_name: DemoVi2Zh\n")


def test_lifecycle_hands_finetune_to_the_served_deployment(ui_server: UiServer, demo_site: Path) -> None:
    from flows.demo import demo_recipe

    # `work_pool: local` makes the lifecycle call run_deployment("finetune/local"), which `clsforge ui`
    # serves: the same hand-off a GPU pool's worker gets, on this machine.
    recipe = demo_recipe(max_steps=1, methods=["mbart-cls"]).model_dump(mode="json") | {"work_pool": "local"}
    (lifecycle,) = [d for d in api_post(f"{ui_server.api}/deployments/filter", {}) if d["entrypoint"].endswith(":lifecycle")]
    # The build-dataset deployment's workdir: when the UI test ran first, the build is all cache hits.
    parameters = {"recipe": recipe, "recipe_path": None, "workdir": str(ui_server.runs / "build")}
    run = api_post(f"{ui_server.api}/deployments/{lifecycle['id']}/create_flow_run", {"parameters": parameters})
    ui_server.wait_for(lambda: ui_server.run_state(run["id"]) in {"COMPLETED", "FAILED", "CRASHED"}, 400, "the lifecycle run")
    assert ui_server.run_state(run["id"]) == "COMPLETED"

    (finetune,) = [d for d in api_post(f"{ui_server.api}/deployments/filter", {}) if d["entrypoint"].endswith(":finetune")]
    handed = api_post(f"{ui_server.api}/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": [finetune["id"]]}}})
    assert [(r["state"]["type"], r["parameters"]["name"]) for r in handed] == [("COMPLETED", "DemoVi2Zh")]
    metrics = json.loads((ui_server.runs / "build" / "runs" / "mbart-cls-tflcls-n24" / "metrics.json").read_text())
    assert (metrics["method"], metrics["test"]["n"]) == ("mbart-cls", 4)
