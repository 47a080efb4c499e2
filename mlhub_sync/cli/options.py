"""Options shared by every command that talks to an API, defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..http.session import Session

F = TypeVar("F", bound=Callable[..., Any])


def api_options(command: F) -> F:
    """``--api-url`` and ``--profile``; the key itself only ever comes from env or profile."""
    command = click.option(
        "--profile",
        metavar="NAME",
        help="Read the API key from this profile in ~/.mlhub/profiles "
        "(default: $MLHUB_PROFILE, then [default]).",
    )(command)
    command = click.option(
        "--api-url",
        metavar="URL",
        help="API root (default: $MLHUB_ROOT_URL, then https://api.radiant.earth/mlhub/v1/).",
    )(command)
    return command


def mirror_option(command: F) -> F:
    """``--mirror FROM=TO`` (repeatable): fetch what the lock names under FROM from TO."""
    return click.option(
        "--mirror",
        "mirrors",
        multiple=True,
        metavar="FROM=TO",
        help="Fetch locations under FROM (az://ACCOUNT/CONTAINER, s3://BUCKET) from TO, an "
        "http(s) URL speaking the same protocol (or s3+URL / az+URL); repeatable. Also "
        "$MLHUB_SYNC_MIRRORS. The lock still records FROM.",
    )(command)


def json_option(command: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        command
    )


def manifest_option(command: F) -> F:
    return click.option(
        "-f",
        "--file",
        "manifest_path",
        type=click.Path(path_type=Path),
        default="mlhub.yaml",
        show_default=True,
        help="The manifest; mlhub.lock is written next to it.",
    )(command)


def session_from_options(api_url: str | None, profile: str | None) -> Session:
    from ..http.session import get_session

    return get_session(profile=profile, root_url=api_url)
