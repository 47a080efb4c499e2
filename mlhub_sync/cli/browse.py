"""Read-only commands: ``datasets``, ``info`` and ``configure``."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import click

from ..exceptions import APIError, ConfigError, EntityDoesNotExist
from ..http.config import DEFAULT_PROFILE, KEY_LIMIT, write_profile
from ..ids import collection_entries
from .options import api_options, json_option, session_from_options
from .render import human_bytes, print_json, table


@click.command(
    epilog="\b\nExamples:\n  mlhub-sync datasets\n"
    "  mlhub-sync datasets --catalogue\n"
    "  mlhub-sync datasets --json --api-url http://127.0.0.1:8000/mlhub/v1/"
)
@click.option(
    "--catalogue",
    is_flag=True,
    help="List the built-in catalogue instead: where each ex-MLHub dataset lives today "
    "(no request is made).",
)
@api_options
@json_option
def datasets(api_url: str | None, profile: str | None, as_json: bool, catalogue: bool) -> None:
    """List the datasets the API publishes: id, title, number of collections."""
    if catalogue:
        _catalogue(as_json)
        return
    from .. import client

    found = client.list_datasets(session=session_from_options(api_url, profile))
    if as_json:
        print_json(found)
        return
    rows = [
        (d.get("id", "?"), d.get("title") or "", len(d.get("collections") or [])) for d in found
    ]
    table(("ID", "TITLE", "COLLECTIONS"), rows, right=(2,))


def _catalogue(as_json: bool) -> None:
    from ..sources.catalogue import entries

    found = entries().values()
    if as_json:
        print_json(
            [
                {
                    "id": e.id,
                    "title": e.title,
                    "location": str(e.location),
                    "alternates": list(e.alternates),
                }
                for e in found
            ]
        )
        return
    rows = [
        (e.id, str(e.location), ", ".join(a.removesuffix("/") for a in e.alternates)) for e in found
    ]
    table(("ID", "LOCATION", "ALSO AT"), rows)


@click.command(
    epilog="\b\nExamples:\n  mlhub-sync info bigearthnet_v1\n"
    "  mlhub-sync info 10.34911/rdnt.dw605x --json"
)
@click.argument("dataset")
@api_options
@json_option
def info(dataset: str, api_url: str | None, profile: str | None, as_json: bool) -> None:
    """Show DATASET (an id or a DOI): its collections, their types and archive sizes."""
    from .. import client

    session = session_from_options(api_url, profile)
    found = client.get_dataset(dataset, session=session)

    def size_of(collection: dict[str, Any]) -> int | None:
        try:
            size = client.get_archive_info(collection["id"], session=session).get("size")
        except EntityDoesNotExist:
            return None
        if type(size) is not int or size < 0:
            raise APIError(
                f"{session.root_url}: archive/{collection['id']}/info states size {size!r}, "
                "not a byte count"
            )
        return size

    collections = collection_entries(found, session.root_url)
    with ThreadPoolExecutor(max_workers=8) as pool:
        sizes = list(pool.map(size_of, collections))
    total = sum(size for size in sizes if size is not None)
    if as_json:
        print_json(
            {
                "id": found.get("id"),
                "title": found.get("title"),
                "doi": found.get("doi"),
                "collections": [
                    {"id": c["id"], "types": c.get("types", []), "archive_size": s}
                    for c, s in zip(collections, sizes, strict=True)
                ],
                "total_archive_size": total,
            }
        )
        return
    click.echo(f"{found.get('id')}: {found.get('title') or ''}")
    if found.get("doi"):
        click.echo(f"DOI {found['doi']}")
    click.echo()
    rows = [
        (
            c["id"],
            ", ".join(c.get("types", [])),
            human_bytes(s) if s is not None else "no archive",
            f"{s:,}" if s is not None else "-",
        )
        for c, s in zip(collections, sizes, strict=True)
    ]
    rows.append(("total", "", human_bytes(total), f"{total:,}"))
    table(("COLLECTION", "TYPES", "SIZE", "BYTES"), rows, right=(2, 3))


@click.command(
    epilog="\b\nExamples:\n  mlhub-sync configure\n"
    "  mlhub-sync configure --profile lab\n"
    "  printf '%s' \"$KEY\" | mlhub-sync configure --api-key -"
)
@click.option(
    "--profile",
    default=DEFAULT_PROFILE,
    show_default=True,
    metavar="NAME",
    help="Profile to write.",
)
@click.option(
    "--api-key",
    metavar="KEY",
    help="The key, for scripts ('-' reads it from stdin). Asked for, hidden, if absent.",
)
def configure(profile: str, api_key: str | None) -> None:
    """Store an API key in a profile of ~/.mlhub/profiles (the original client's file).

    The file is created readable by its owner only (mode 0600).
    """
    if api_key == "-":
        raw = sys.stdin.buffer.read(4 * KEY_LIMIT + 2)  # UTF-8: at most 4 bytes a character
        if len(raw) > 4 * KEY_LIMIT + 1:
            raise ConfigError(f"the API key on stdin is over {KEY_LIMIT:,} characters long")
        try:
            api_key = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise ConfigError("the API key on stdin is not UTF-8 text") from None
    if api_key is None:
        api_key = str(click.prompt("API key", hide_input=True))
    path = write_profile(api_key, profile)
    click.echo(f"Saved the key of profile [{profile}] in {path}")
