"""The ``mlhub-sync`` command line: thin click commands over the library.

Every command parses options, calls one library function and renders the result. Errors the
library raises on purpose (``MLHubException``) end the command with one line on stderr and the
exception's exit code; ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import traceback
from typing import Any

import click

from .. import __version__
from ..exceptions import MLHubException


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MLHubException as exc:
            if ctx.find_root().params.get("verbose"):
                traceback.print_exc()
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mlhub-sync")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug logging.")
def main(verbose: bool) -> None:
    """Reproducible Radiant MLHub training data: client, lockfile sync and mirror server."""


def _register() -> None:
    from .serve import mirror_group, serve

    main.add_command(serve)
    main.add_command(mirror_group)


_register()
