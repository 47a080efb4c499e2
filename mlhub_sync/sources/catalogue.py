"""The built-in catalogue: where each ex-MLHub dataset lives today (data in catalogue.json).

A manifest entry that is just an id, with no ``api_url`` anywhere, resolves here — instead of
the retired ``api.radiant.earth``. Each entry has one canonical location (what a lock records)
and alternates serving the same bytes (Source Cooperative's S3 dialect), written as mirror
targets (``s3+https://data.source.coop/ACCOUNT/PRODUCT/``) and tried when the location does
not answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..exceptions import ConfigError
from .locations import Location, parse


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    location: Location
    alternates: tuple[str, ...]
    doi: str | None = None
    citation: str | None = None


@cache
def entries() -> dict[str, Entry]:
    """Every catalogue entry by id (read once; the file ships in the package)."""
    text = resources.files(__package__).joinpath("catalogue.json").read_text(encoding="utf-8")
    found = {}
    for item in json.loads(text)["datasets"]:
        where = f"catalogue entry {item['id']}"
        found[item["id"]] = Entry(
            item["id"],
            item["title"],
            parse(item["location"], where=where),
            tuple(item["alternates"]),
            item.get("doi"),
            item.get("citation"),
        )
    return found


def lookup(dataset_id: str, where: str) -> Entry:
    """The entry for ``dataset_id``, or an error saying how to name a source instead."""
    found = entries().get(dataset_id)
    if found is None:
        raise ConfigError(
            f"{where}: {dataset_id!r} is not in the built-in catalogue (`mlhub-sync datasets "
            "--catalogue` lists it); give it a `source:` or set `api_url`"
        )
    return found
