"""A local Prefect server (SQLite, analytics off) and the clsforge deployments served from it.

`prefect server start --port P` alone leaves the UI calling the API on port 4200, so the port and
host are given through PREFECT_SERVER_API_PORT / PREFECT_SERVER_API_HOST in the server's
environment instead. Flow runs started from the UI run in subprocesses of `serve(...)`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 120
# The name of the served finetune deployment: a recipe's `work_pool: local` hands fine-tuning to it.
DEPLOYMENT_NAME = "local"
# Runs the server command (argv[2:]) so that it gets SIGTERM when the process that started it (argv[1])
# dies, even by SIGKILL (Linux: PR_SET_PDEATHSIG, kept across exec); elsewhere it just runs it. A
# server in its own session (out of the terminal's Ctrl-C) would otherwise outlive a killed clsforge.
DIE_WITH_PARENT = """
import os, signal, sys
try:
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
except (AttributeError, OSError):
    pass
if os.getppid() != int(sys.argv[1]):  # the parent died before the line above
    sys.exit(0)
os.execv(sys.argv[2], sys.argv[2:])
"""
# The servers `local_server` started and has not stopped yet (flows/session.py stops them on a forced exit).
STARTED: set[subprocess.Popen] = set()


def api_url(port: int) -> str:
    """The API address of a local server on `port`."""
    return f"http://{HOST}:{port}/api"


def server_healthy(url: str) -> bool:
    """Whether a Prefect API answers its health check at `url`."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def local_server(port: int, ui: bool = True, progress: bool = False) -> Iterator[str]:
    """Yield the API address of a Prefect server on `port`, starting one (and stopping it after) if none runs.

    `ui=False`: the API only, without the UI and the background services (a server for one command).
    `progress`: say on stderr that a server is starting and when it answers (it takes 5-60 s).
    The server runs in its own session, so a Ctrl-C in the terminal reaches this process, not the
    server: the interrupted runs can still be marked, then the server is stopped here.
    """
    url = api_url(port)
    if server_healthy(url):
        yield url
        return
    env = os.environ | {
        "PREFECT_SERVER_API_HOST": HOST,
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": url,
    }
    if not port_free(port):
        raise OSError(f"port {port} is in use by something that is not a Prefect server; choose another with --port")
    server = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port)]
    command = [sys.executable, "-c", DIE_WITH_PARENT, str(os.getpid()), *server]
    if not ui:
        command += ["--no-ui", "--no-services"]
    if progress:
        print(f"clsforge: starting a local Prefect server on port {port} (up to {STARTUP_TIMEOUT_S} s on a busy machine)...",
              file=sys.stderr, flush=True)
    started = time.monotonic()
    # The server's output goes to a file, not a pipe nobody reads (a full pipe would block the server).
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        STARTED.add(process)
        try:
            _wait_until_healthy(url, process, log)
            from flows.runners import free_stale_slots

            free_stale_slots(url)  # no server was up, so no live run holds a slot: any held one is a dead run's
            if progress:
                print(f"clsforge: Prefect server ready after {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            yield url
        finally:
            stop_server(process)
            STARTED.discard(process)


def stop_server(process: subprocess.Popen, timeout_s: float = 10) -> None:
    """Stop a server started by `local_server`: SIGTERM, then SIGKILL after `timeout_s`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def port_free(port: int) -> bool:
    """Whether a server could listen on `port` of the local address now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closing connection does not count
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _wait_until_healthy(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server_healthy(url):
        if process.poll() is not None:
            log.seek(0)
            raise OSError(f"the Prefect server exited during start-up: {log.read()[-2000:].strip()}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no Prefect server at {url} after {STARTUP_TIMEOUT_S} s")
        time.sleep(0.5)


def deployments(workdir: Path) -> list:
    """The served deployments, with the demo as the default parameters where a flow can take it."""
    from flows.build import build_dataset, build_ncls_low
    from flows.finetune import finetune
    from flows.lifecycle import lifecycle
    from flows.recipe import bundled_recipe

    demo = str(bundled_recipe("demo"))
    return [
        build_dataset.to_deployment(
            "crawl-translate-filter", parameters={"recipe_path": demo, "workdir": str(workdir / "build")},
            description="Build a dataset from a recipe: crawl, translate, back-translate, round-trip filter, splits, "
            f"stats, card. Defaults: the offline demo recipe, written to {workdir / 'build'}.",
        ),
        build_ncls_low.to_deployment(
            "sample-ncls", parameters={"recipe_path": str(bundled_recipe("en2zh_low")), "workdir": str(workdir / "ncls")},
            description="Sample En2ZhLow / Zh2EnLow from the NCLS release (the recipe's `ncls.input` must point at it).",
        ),
        # Named after the work pool the lifecycle hands fine-tuning to (`work_pool: local` -> finetune/local).
        finetune.to_deployment(
            DEPLOYMENT_NAME, parameters={"workdir": str(workdir / "finetune")},
            description="Train a grid of methods x train sizes on a dataset directory, then the Table-2 report. "
            "The lifecycle runs it here when its recipe says `work_pool: local`.",
        ),
        lifecycle.to_deployment(
            "build-and-train", parameters={"recipe_path": demo, "workdir": str(workdir / "lifecycle")},
            description="The whole lifecycle: build the recipe's dataset, publish it if asked, fine-tune, Table 2. "
            "The run's own artifact says where every output is.",
        ),
    ]


def serve_ui(port: int, workdir: Path) -> None:
    """Start (or reuse) the local server, serve the deployments until Ctrl-C, then stop what was started."""
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with local_server(port) as url:
        os.environ["PREFECT_API_URL"] = url  # for the flow-run subprocesses of serve()
        with temporary_settings(updates={PREFECT_API_URL: url}):
            print(f"Prefect UI: http://{HOST}:{port}  (API {url}); runs write under {workdir}", flush=True)
            served = deployments(workdir)
            print("Deployments: " + ", ".join(f"{d.flow_name}/{d.name}" for d in served), flush=True)
            try:
                serve(*served, pause_on_shutdown=False, print_starting_message=False)
            except KeyboardInterrupt:
                print("Stopping.", flush=True)
