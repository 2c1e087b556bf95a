"""`clsforge ui --port P` where something that is not a Prefect server already listens on P."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.cli import clsforge


def test_ui_on_a_port_held_by_another_program_fails_in_one_line(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = clsforge("ui", "--port", str(port), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2,
        f"clsforge: error: port {port} is in use by something that is not a Prefect server; choose another with --port\n",
    )
    assert done.stdout == ""


def test_ui_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    done = clsforge("ui", "--port", "70000", cwd=tmp_path)
    assert done.returncode == 2
    assert "Input should be less than or equal to 65535" in done.stderr
