"""``mlhub.yaml``: the datasets a project needs, validated against ``schemas/``.

Errors point at the place: ``mlhub.yaml:9:16: datasets[2].if_exists: 'resum' is not one of
'resume', 'skip', 'overwrite'``. Entries come out normalised (defaults applied, short forms
expanded), as the lock records them: "is the lock stale?" is an offline question
(``freshness``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigError
from ..urls import url_problem
from . import documents

if TYPE_CHECKING:
    from .yamlio import Document

DEFAULT_TARGET = "data"
LOCK_NAME = "mlhub.lock"
PATH_LIMIT, NAME_LIMIT = 4096, 255  # Linux's PATH_MAX and NAME_MAX, in bytes
MANIFEST_LIMIT = 4 << 20  # a manifest of 10,000 datasets is ~0.5 MB; beyond 4 MiB, refuse


@dataclass(frozen=True)
class DatasetSpec:
    """One entry of ``datasets:``, defaults applied."""

    id: str
    types: tuple[str, ...] | None
    collections: tuple[str, ...] | None
    if_exists: str
    extract: bool
    where: str  # "mlhub.yaml:7:5", for errors found later (at lock time)
    source: dict[str, Any] | None = None  # {url, endpoint?, include?, exclude?} | {files: …}

    def select(self) -> dict[str, list[str]]:
        """The collection filter as the lock records it (empty: every collection)."""
        if self.types:
            return {"types": list(self.types)}
        if self.collections:
            return {"collections": list(self.collections)}
        return {}


@dataclass(frozen=True)
class Manifest:
    path: Path
    api_url: str | None
    profile: str | None
    target: Path
    datasets: tuple[DatasetSpec, ...]

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(LOCK_NAME)

    def dataset(self, dataset_id: str) -> DatasetSpec:
        for spec in self.datasets:
            if spec.id == dataset_id:
                return spec
        raise ConfigError(f"{self.path}: no dataset {dataset_id!r} in datasets")


def load_manifest(path: Path) -> Manifest:
    """Read and check ``mlhub.yaml``; everything wrong is a one-line ``ConfigError``."""
    data, positions = documents.load(path, "manifest", MANIFEST_LIMIT, _dataset_positions)
    if data is None:
        raise ConfigError(f"{path} is empty; it needs at least 'version: 1' and 'datasets:'")
    defaults = data.get("defaults") or {}
    specs: list[DatasetSpec] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["datasets"]):
        item = {"id": entry} if isinstance(entry, str) else entry
        where = positions[index]
        if item["id"] in seen:
            raise ConfigError(
                f"{where}: datasets[{index}]: dataset {item['id']!r} is already listed as "
                f"datasets[{seen[item['id']]}]; list each dataset once"
            )
        seen[item["id"]] = index
        specs.append(
            DatasetSpec(
                id=item["id"],
                types=tuple(item["types"]) if "types" in item else None,
                collections=tuple(item["collections"]) if "collections" in item else None,
                if_exists=item.get("if_exists", defaults.get("if_exists", "resume")),
                extract=bool(item.get("extract", defaults.get("extract", False))),
                where=where,
                source=_source(item.get("source"), where),
            )
        )
    api_url = data.get("api_url")
    problem = url_problem(api_url) if api_url else None
    if problem:
        raise ConfigError(f"{path}: api_url {api_url[:200]!r}: {problem}")
    return Manifest(
        path=path,
        api_url=api_url,
        profile=data.get("profile"),
        target=target_folder(path, data.get("target", DEFAULT_TARGET)),
        datasets=tuple(specs),
    )


def _source(value: Any, where: str) -> dict[str, Any] | None:
    """``source:`` in one shape (a mapping), its URL and file list checked now, with the place."""
    if value is None:
        return None
    source: dict[str, Any] = {"url": value} if isinstance(value, str) else dict(value)
    if "url" in source:
        from ..sources import locations, stac

        url = source["url"]
        if url.startswith(stac.SCHEME):
            stac.root_of(url, where)
        else:
            locations.parse(url, source.get("endpoint"), where)
    if "files" in source:
        from ..sources.https_list import parse_files

        parse_files(source["files"], where)
    return source


def _dataset_positions(document: Document) -> list[str]:
    """``file:line:column`` of each ``datasets`` entry, for errors found later (at lock time)."""
    count = len(document.data.get("datasets") or []) if isinstance(document.data, dict) else 0
    return [document.where(("datasets", index)) for index in range(count)]


def target_folder(manifest_path: Path, target: str) -> Path:
    """Where data goes: ``target`` relative to the manifest's folder; a leading ``~`` (and only
    that) is the home folder — expanded here, once, for every stage."""
    encoded = target.encode(errors="surrogateescape")
    if (
        not target
        or "\x00" in target
        or len(encoded) > PATH_LIMIT
        or any(len(part) > NAME_LIMIT for part in encoded.split(b"/"))
    ):
        raise ConfigError(
            f"{manifest_path}: target {target[:60]!r}{'…' if len(target) > 60 else ''}: a "
            f"folder path without NUL, at most {PATH_LIMIT} bytes, {NAME_LIMIT} per name"
        )
    try:
        folder = Path(target).expanduser() if target.startswith("~") else Path(target)
    except RuntimeError:  # ~user that does not exist, or no home
        raise ConfigError(f"{manifest_path}: target {target!r}: cannot find that home") from None
    found = manifest_path.parent / folder
    if os.path.exists(found) and not os.path.isdir(found):  # a link to a folder is a folder
        raise ConfigError(
            f"{manifest_path}: target {target[:200]!r}: {found} exists and is not a folder; "
            "point `target:` at a folder"
        )
    return found
