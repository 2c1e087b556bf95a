"""The Prefect side of one `clsforge build` / `clsforge demo`: a server, and a clean stop on Ctrl-C.

Prefect's ephemeral server is a child in the terminal's process group: a Ctrl-C killed it first, and
the flow then retried it for minutes, printed pages of connection errors, and left its runs "Running"
in the UI forever. Here the command starts its own local server (out of the terminal's Ctrl-C, with
a generous start-up time and a line saying so) unless PREFECT_API_URL names one. Every flow run of
the command carries one tag; on Ctrl-C (or SIGTERM) the command gives the flow `GRACE_S` seconds to
stop, then marks the tagged runs (and their task runs) that are not finished Cancelled, stops the
server and exits with status 130. A second Ctrl-C exits at once. Outputs are written atomically
(temp file + rename), so an interrupted run leaves nothing a rerun would trust; the rerun resumes
from the cache.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from flows import server

# Seconds the flow has after Ctrl-C to stop on its own before the command marks its runs and exits.
GRACE_S = 3.0
# A cancelled run's state message in the UI.
INTERRUPTED = "Interrupted (Ctrl-C or SIGTERM) in the terminal that ran it"


def free_port() -> int:
    """A TCP port of the local address that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((server.HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def flow_session() -> Iterator[str]:
    """Run the body against a Prefect server (PREFECT_API_URL's, or a local one started here) with its
    flow runs tagged; on Ctrl-C or SIGTERM, stop as described in the module docstring (never returns then)."""
    from prefect import tags
    from prefect.settings import PREFECT_API_URL, temporary_settings

    given = os.environ.get("PREFECT_API_URL")
    place = nullcontext(given) if given else server.local_server(free_port(), ui=False, progress=True)
    tag = f"clsforge-run-{uuid.uuid4().hex[:12]}"
    with place as url:
        stopper = _Stopper(tag, url)
        previous = {number: signal.signal(number, stopper.on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
        os.environ["PREFECT_API_URL"] = url  # for processes the flow starts (Dask workers)
        try:
            with temporary_settings(updates={PREFECT_API_URL: url}), tags(tag):
                yield url
        except BaseException:
            if stopper.interrupted.is_set():
                stopper.finish()  # exits
            raise
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            _send_pending(url)  # before the server stops, or they go nowhere with "Error logging to API"
            if given is None:
                os.environ.pop("PREFECT_API_URL", None)


class _Stopper:
    """The signal handler of a flow session and the stop it leads to."""

    def __init__(self, tag: str, url: str) -> None:
        self.tag, self.url = tag, url
        self.interrupted = threading.Event()
        self.finishing = threading.Lock()

    def on_signal(self, number: int, frame) -> None:
        if self.interrupted.is_set():  # a second Ctrl-C: no more waiting
            _exit_now("clsforge: interrupted again; stopped without marking the run", 130)
        self.interrupted.set()
        # Not print(): inside a flow with log_prints, print() becomes a log call.
        sys.stderr.write("clsforge: interrupted; stopping (Ctrl-C again to stop at once)\n")
        sys.stderr.flush()
        threading.Timer(GRACE_S, self.finish).start()  # if the flow does not come back in time
        raise KeyboardInterrupt

    def finish(self) -> None:
        """Mark the unfinished runs, stop the server, exit with status 130 (once, from any thread)."""
        if not self.finishing.acquire(blocking=False):
            return
        try:
            ended = mark_cancelled(self.tag, self.url)
            runs = ", ".join(f"flow run {name!r} {state}" for name, state in ended)
            line = f"clsforge: interrupted; {runs or 'no flow run'}"
        except Exception as exc:  # noqa: BLE001 - the server may be gone: still stop, and say so
            line = f"clsforge: interrupted; could not mark the run ({type(exc).__name__}: {exc})"
        _exit_now(line, 130)


def _send_pending(url: str, timeout_s: float = 10) -> None:
    """Send the log records and events Prefect still holds to the server at `url` (at most `timeout_s` each)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: url}):
        for worker in (APILogWorker, EventsWorker):
            try:
                worker.drain_all(timeout=timeout_s)
            except Exception:  # noqa: BLE001 - best effort: the run's result is already known
                pass


def mark_cancelled(tag: str, url: str) -> list[tuple[str, str]]:
    """Set every unfinished flow run tagged `tag` on the server at `url`, and its unfinished task runs, to
    Cancelled; return (name, final state name) of every flow run tagged `tag`, in start order (the runs
    Prefect itself marked on the interrupt are Crashed)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags, TaskRunFilter, TaskRunFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Cancelled

    # The URL given again: a timer thread does not see the session's settings (a context variable), and a
    # client without them would start an ephemeral server of its own.
    with temporary_settings(updates={PREFECT_API_URL: url}), get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])))
        open_runs = [run for run in runs if not (run.state and run.state.is_final())]
        if open_runs:
            task_runs = client.read_task_runs(
                task_run_filter=TaskRunFilter(flow_run_id=TaskRunFilterFlowRunId(any_=[run.id for run in open_runs]))
            )
            for task_run in task_runs:
                if not (task_run.state and task_run.state.is_final()):
                    client.set_task_run_state(task_run.id, Cancelled(message=INTERRUPTED), force=True)
        for run in open_runs:
            client.set_flow_run_state(run.id, Cancelled(message=INTERRUPTED), force=True)
    runs.sort(key=lambda run: run.created or 0)
    marked = {run.id for run in open_runs}
    return [(run.name, "Cancelled" if run.id in marked else run.state.name) for run in runs]


def _exit_now(line: str, status: int) -> None:
    """Stop the servers this process started, print `line` on stderr and end the process at once
    (worker threads may still be blocked on the network: they are not waited for)."""
    for process in list(server.STARTED):
        server.stop_server(process, timeout_s=5)
    print(line, file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(status)
