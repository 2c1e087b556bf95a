"""From the Prefect UI: `clsforge ui` starts a server and serves the deployments; headless Chromium
finds the build-dataset deployment, starts a run with its default (demo) parameters, and waits until
the run is Completed. Ctrl-C then stops the server that `clsforge ui` started."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_post(url: str, body: dict) -> list[dict]:
    """POST a JSON body to the Prefect API; return the decoded answer."""
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def wait_for(condition, timeout_s: float, what: str, process: subprocess.Popen, log: Path) -> None:
    """Poll `condition()` until true; fail (with the ui log) on timeout or when `process` dies."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        assert process.poll() is None, f"clsforge ui exited: {log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {log.read_text()[-3000:]}"
        time.sleep(0.5)


def test_start_build_dataset_from_the_ui(demo_site: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    runs = tmp_path / "runs"
    log = tmp_path / "ui.log"
    env = os.environ | {"PREFECT_HOME": str(tmp_path / "prefect-home")}
    command = [str(Path(sys.executable).parent / "clsforge"), "ui", "--port", str(port), "--workdir", str(runs)]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path, start_new_session=True)
    try:
        wait_for(lambda: len(api_post(f"{api}/deployments/filter", {})) == 4, 180, "the four deployments", process, log)
        assert f"Prefect UI: http://127.0.0.1:{port}" in log.read_text()

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/deployments")
            page.locator("tr", has_text="build-dataset").get_by_role("link", name="local").click()
            page.get_by_role("button", name="Run", exact=True).click()
            page.get_by_text("Quick run").click()  # the deployment's defaults: the demo recipe
            toast = page.get_by_text("scheduled to start now").first.inner_text()
            run_name = toast.split(" scheduled")[0].strip()
            (started,) = api_post(f"{api}/flow_runs/filter", {"flow_runs": {"name": {"any_": [run_name]}}})
            page.goto(f"http://127.0.0.1:{port}/runs/flow-run/{started['id']}")
            page.get_by_text("Completed", exact=True).first.wait_for(timeout=240_000)
            page.screenshot(path=str(tmp_path / "build-dataset-run.png"), full_page=True)
            browser.close()

        (run,) = api_post(f"{api}/flow_runs/filter", {"flow_runs": {"parent_task_run_id": {"is_null_": True}}})
        assert run["state"]["type"] == "COMPLETED"
        assert run["parameters"]["recipe_path"].endswith("datasets/demo.yaml")
        dataset = runs / "build" / "dataset"
        assert (dataset / "README.md").exists() and (dataset / "data" / "train_24.parquet").exists()
        assert (tmp_path / "build-dataset-run.png").stat().st_size > 10_000
        artifacts = {a["key"]: a for a in api_post(f"{api}/artifacts/filter", {})}
        assert set(artifacts) == {"demovi2zh-crawl", "demovi2zh-translate-progress", "demovi2zh-filter-counts",
                                  "demovi2zh-filter", "demovi2zh-stats", "demovi2zh-card"}
        crawl_rows = json.loads(artifacts["demovi2zh-crawl"]["data"])
        assert sorted((row["site"], row["articles"]) for row in crawl_rows) == [("dantri", 14), ("tuoitre", 12), ("vnexpress", 14)]
        assert artifacts["demovi2zh-translate-progress"]["data"] == 100.0
        assert {"stage": "selected", "records": 32} in json.loads(artifacts["demovi2zh-filter-counts"]["data"])
        assert "data:image/png;base64," in artifacts["demovi2zh-filter"]["data"]
        assert artifacts["demovi2zh-card"]["data"].startswith("```yaml\npretty_name: DemoVi2Zh\n")
    finally:
        os.kill(process.pid, signal.SIGINT)  # Ctrl-C
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{api}/health", timeout=2)
