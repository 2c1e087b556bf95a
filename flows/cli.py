"""The `clsforge` console script: one Typer app that gathers each package's commands.

Each package owns its commands in its own `cli.py` (crawl/cli.py, curate/cli.py, ...); this module
only registers them and turns errors into one line on stderr. Command modules import heavy
libraries inside the command bodies, so `clsforge rouge` and `clsforge --help` start fast.
"""

from __future__ import annotations

import os
import re
import sys

import typer
from typer.core import TyperArgument, TyperOption

from crawl import cli as crawl_cli
from crawl.warc import cli as warc_cli
from curate import cli as curate_cli
from curate.translate import cli as translate_cli
from flows import ablation_cli
from flows import commands as flow_cli
from train import cli as train_cli
from train import model_cli
from train.humaneval import cli as humaneval_cli

app = typer.Typer(
    name="clsforge",
    help="Build low-resource cross-lingual summarization datasets and fine-tune mBART on them (TFLCLS).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for command in (
    crawl_cli.crawl,
    warc_cli.warc,
    translate_cli.translate,
    curate_cli.rouge,
    flow_cli.build,
    curate_cli.ncls,
    curate_cli.stats,
    curate_cli.publish,
    curate_cli.export,
    train_cli.train,
    train_cli.report,
    model_cli.summarize,
    model_cli.publish_model,
    flow_cli.demo,
    ablation_cli.ablate_filter,
    flow_cli.ui,
):
    app.command(name=command.__name__.replace("_", "-"))(command)
app.add_typer(humaneval_cli.app, name="humaneval")

# Click's exceptions, from the module Typer uses (Typer >= 0.26 vendors Click as typer._click; older
# Typers use click itself): BadParameter is public in both, and its module holds the others.
CLICK_EXCEPTIONS = sys.modules[typer.BadParameter.__module__]

# Exceptions that mean "the input or the environment is wrong": one line, exit status 2.
# Library code raises ValueError (or a subclass) for bad input and OSError for missing files.
USER_ERRORS = (ValueError, OSError)


def main() -> None:
    """Run the CLI; bad input becomes `clsforge: error: ...` and exit status 2, never a traceback."""
    try:
        # Not standalone: Click then raises usage errors instead of printing its multi-line box,
        # and returns the exit status of `--help` and `typer.Exit` instead of exiting.
        status = app(standalone_mode=False, prog_name="clsforge")
    except getattr(CLICK_EXCEPTIONS, "NoArgsIsHelpError", ()) as exc:
        exc.show()  # `clsforge` or a group alone: the help text, as Click prints it
        sys.exit(exc.exit_code)
    except CLICK_EXCEPTIONS.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "clsforge"
        print(f"clsforge: error: {one_line(exc.format_message())} (see {command} --help)", file=sys.stderr)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        print("clsforge: interrupted", file=sys.stderr)
        sys.exit(130)
    except USER_ERRORS as exc:
        if os.environ.get("CLSFORGE_DEBUG"):
            raise
        print(f"clsforge: error: {one_line(exc)}", file=sys.stderr)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the last resort: still one line, with a way to see more
        if os.environ.get("CLSFORGE_DEBUG"):
            raise
        print(
            f"clsforge: error: {type(exc).__name__}: {one_line(exc)} (set CLSFORGE_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)


def _plain_types(display_type_rich):
    """Typer 0.29 prints `<bool>` beside every on/off flag (`--help`, `--dry-run`) and `<list[str]>` beside
    a repeatable option, which read as Python, not as a command line: a flag gets no type (it takes no
    value) and a list `<str> ...`. Typer has no setting for either, hence this wrapper of its method."""

    def display(self, ctx):
        if getattr(self, "is_flag", False):
            return None
        shown = display_type_rich(self, ctx)
        inner = re.fullmatch(r"<list\[(.+)\]>", shown or "")
        return f"<{inner.group(1).lower()}> ..." if inner else shown

    return display


for _kind in (TyperOption, TyperArgument):
    _kind.display_type_rich = _plain_types(_kind.display_type_rich)


def _usage_name(self) -> str:
    """Typer 0.29 writes a required argument as `{directory}` in the usage line, which reads as a
    placeholder left unfilled; the usage line names it the POSIX way: `DIRECTORY`, `[OUTPUT]`, `FILES...`."""
    name = self.display_name_raw.upper() + ("..." if self.nargs != 1 else "")
    return name if self.required else f"[{name}]"


TyperArgument._usage_display_name = _usage_name


def one_line(exc: BaseException | str) -> str:
    """The exception's message (or a text) on one line (file errors keep their file name)."""
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        text = f"{exc.strerror}: {exc.filename}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())
