"""The ``mlhub-sync`` command line: thin click commands over the library.

Every command parses options, calls one library function and renders the result. Errors the
library raises on purpose (``MLHubException``) end the command with one line on stderr and the
exception's exit code; ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import importlib
import signal
import sys
from typing import Any

import click

from .. import __version__, exitcodes
from ..exceptions import Interrupted, MLHubException, Terminated

# Commands are imported when they run (or when --help lists them): an in-sync `apply` must
# not pay for importing the HTTP stack that `datasets` needs, nor the server.
_COMMANDS = {
    "lock": ("sync", "lock"),
    "apply": ("sync", "apply"),
    "status": ("check", "status_command"),
    "verify": ("check", "verify_command"),
    "datasets": ("browse", "datasets"),
    "info": ("browse", "info"),
    "configure": ("browse", "configure"),
    "serve": ("serve", "serve"),
    "mirror": ("serve", "mirror_group"),
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
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug logging.")
def main(verbose: bool) -> None:
    """Reproducible Radiant MLHub training data: client, lockfile sync and mirror server."""
