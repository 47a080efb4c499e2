"""The ``mlhub-sync`` command line: thin click commands over the library.

Every command parses options, calls one library function and renders the result. Errors the
library raises on purpose (``MLHubException``) end the command with one line on stderr and the
exception's exit code; ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__, exitcodes
from ..exceptions import Interrupted, MLHubException, Terminated

# Commands are imported when they run (or when --help lists them): an in-sync `apply` must
# not pay for importing the HTTP stack that `datasets` needs, nor the server.
_COMMANDS = {
    "init": ("start", "init"),
    "add": ("start", "add"),
    "merge-lock": ("start", "merge_lock"),
    "lock": ("sync", "lock"),
    "apply": ("sync", "apply"),
    "status": ("check", "status_command"),
    "verify": ("check", "verify_command"),
    "cite": ("cite", "cite"),
    "datasets": ("browse", "datasets"),
    "info": ("browse", "info"),
    "configure": ("browse", "configure"),
    "serve": ("serve", "serve"),
    "export": ("export", "export"),
    "mirror": ("mirror", "mirror_group"),
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, attribute = _COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(f".{module}", __name__), attribute)
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run, rendering click's usage errors as two lines instead of a usage dump."""
        if os.name != "posix":  # flock, O_NOFOLLOW and POSIX renames throughout (README)
            message = "error: mlhub-sync runs on Linux and macOS, not yet on Windows; use WSL"
            click.echo(message, err=True)
            sys.exit(exitcodes.BAD_INPUT)
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "mlhub-sync"
            click.echo(f"error: {exc.format_message()}", err=True)
            click.echo(f"Run '{command} --help' for usage.", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().invoke(ctx)
        except Interrupted as exc:
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except MLHubException as exc:
            if ctx.find_root().params.get("verbose"):
                import traceback

                traceback.print_exc()
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(exitcodes.INTERRUPTED)
        except Terminated:
            click.echo("terminated", err=True)
            ctx.exit(exitcodes.TERMINATED)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds the main thread like Ctrl-C does, so partial files stay consistent."""
    raise Terminated


MAIN_EPILOG = """\b
A project's workflow:
  mlhub-sync init       # mlhub.yaml skeleton; the data folder git-ignored
  mlhub-sync add ID     # add a dataset to mlhub.yaml and lock it
  mlhub-sync lock       # mlhub.yaml -> mlhub.lock (commit both)
  mlhub-sync apply      # make ./data match mlhub.lock, verified
  mlhub-sync status     # offline: in sync?
\b
Browsing an API, hosting a mirror:
  mlhub-sync datasets --api-url http://127.0.0.1:8000/mlhub/v1/
  mlhub-sync serve /data/mlhub
"""


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=MAIN_EPILOG
)
@click.version_option(__version__, prog_name="mlhub-sync")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Debug logging (each request, retry, plan) and tracebacks.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (the exit code tells).")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write debug logging, with times, to this file.",
)
def main(verbose: bool, quiet: bool, log_file: Path | None) -> None:
    """Reproducible Radiant MLHub training data: client, lockfile sync and mirror server."""
    if verbose and quiet:
        raise click.UsageError("-v and -q exclude each other")
    _logging(logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING, log_file)
    if quiet:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the process


class _Lowercase(logging.Formatter):
    """``warning: …`` lines; a traceback, when a record has one, below its line."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        return f"{line}\n{record.exc_text}" if record.exc_text else line


def _logging(level: int, log_file: Path | None) -> None:
    """The package's loggers to stderr as ``warning: …`` lines (``-v``: debug too), and all
    of it to ``--log-file`` with times. Libraries below stay at their own level."""
    package = logging.getLogger("mlhub_sync")
    package.setLevel(logging.DEBUG if log_file else level)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(level)
    console.setFormatter(_Lowercase())
    package.addHandler(console)
    if log_file is not None:
        try:
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            message = f"{log_file}: {exc.strerror}"
            raise click.BadParameter(message, param_hint="--log-file") from None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        package.addHandler(handler)
