"""The `clsforge` console script itself: every DESIGN.md command listed, usage errors in one line."""

import re

import pytest

from tests.cli import clsforge

DESIGN_COMMANDS = ["crawl", "warc", "translate", "rouge", "build", "ncls", "stats", "publish", "train", "summarize", "demo", "ui", "humaneval"]


def test_help_lists_every_command_of_the_design():
    result = clsforge("--help")
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^│ (\w[\w-]*) ", result.stdout, flags=re.MULTILINE))
    assert listed == {*DESIGN_COMMANDS, "export", "report", "publish-model", "ablate-filter"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rouge", "--lang", "vi"], "clsforge: error: Missing option '--hyp'. (see clsforge rouge --help)"),
        (["nosuch"], "clsforge: error: No such command 'nosuch'. (see clsforge --help)"),
        (
            ["stats", "d", "--no-such-flag"],
            "clsforge: error: No such option: --no-such-flag (see clsforge stats --help)",
        ),
    ],
)
def test_a_usage_error_is_one_line_with_exit_status_2(args, message):
    result = clsforge(*args)
    assert (result.returncode, result.stderr, result.stdout) == (2, message + "\n", "")


def test_clsforge_alone_prints_the_help():
    result = clsforge()
    assert result.returncode == 2
    assert "Usage: clsforge [OPTIONS] COMMAND [ARGS]..." in result.stdout + result.stderr


@pytest.mark.parametrize("command", [*DESIGN_COMMANDS, "export", "report"])
def test_help_shows_no_python_types(command):
    result = clsforge(command, "--help")
    assert result.returncode == 0, result.stderr
    for python in ("<bool>", "<list[", "<list"):
        assert python not in result.stdout, (command, python)
    assert re.search(r"--help +Show this message", result.stdout)  # the flag itself shows no type either


def test_usage_lines_name_arguments_in_capitals():
    result = clsforge("stats", "--help")
    assert "Usage: clsforge stats [OPTIONS] DIRECTORY" in result.stdout
    assert "{directory}" not in result.stdout
