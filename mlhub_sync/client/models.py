"""``Dataset`` and ``Collection``: the original client's classes, over ``mlhub_sync.client``.

An object keeps the session it was fetched with, so everything it fetches later (collections,
archive sizes, downloads) uses the same key, root URL and connection pool.
"""

from __future__ import annotations

import builtins
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any

from ..exceptions import EntityDoesNotExist
from ..http.session import Session, session_from
from ..progress import ProgressReporter, as_reporter
from . import api as client
from .download import download
from .policy import check_if_exists

SOURCE_IMAGERY = "source_imagery"
LABELS = "labels"
_FETCH_THREADS = 8


class Collection:
    """A STAC Collection as the API serves it; ``stac`` holds the raw dictionary."""

    def __init__(
        self, stac: dict[str, Any], *, session: Session, types: list[str] | None = None
    ) -> None:
        self.stac = stac
        self.session = session
        self.types: list[str] = list(types or [])

    def __repr__(self) -> str:
        return f"<Collection id={self.id}>"

    @property
    def id(self) -> str:
        return str(self.stac["id"])

    @property
    def title(self) -> str | None:
        return self.stac.get("title")

    @property
    def description(self) -> str | None:
        return self.stac.get("description")

    @property
    def license(self) -> str | None:
        return self.stac.get("license")

    def to_dict(self) -> dict[str, Any]:
        return dict(self.stac)

    @classmethod
    def fetch(cls, collection_id: str, **session_kwargs: Any) -> Collection:
        """The collection, with its types: a STAC collection record does not carry them, its
        archive's ``info`` does (the types a dataset's listing would have given it)."""
        session = session_from(session_kwargs)
        found = cls(client.get_collection(collection_id, session=session), session=session)
        try:
            info = client.get_archive_info(collection_id, session=session)
        except EntityDoesNotExist:
            return found  # no archive: no types stated anywhere
        types = info.get("types")
        if isinstance(types, list):
            found.types = [str(t) for t in types]
        if isinstance(info.get("size"), int):
            found.__dict__["archive_size"] = info["size"]  # the same answer: no second request
        return found

    @classmethod
    def list(cls, **session_kwargs: Any) -> list[Collection]:
        session = session_from(session_kwargs)
        return [cls(c, session=session) for c in client.list_collections(session=session)]

    @cached_property
    def archive_size(self) -> int | None:
        """Size of the collection's archive in bytes, or ``None`` if there is no archive."""
        try:
            return int(client.get_archive_info(self.id, session=self.session)["size"])
        except EntityDoesNotExist:
            return None

    def download(
        self,
        output_dir: str | os.PathLike[str],
        *,
        if_exists: str = "resume",
        progress: bool | ProgressReporter | None = None,
    ) -> Path:
        """Download this collection's archive as ``output_dir/<id>.tar.gz``."""
        return _download(self.session, self.id, output_dir, if_exists, progress)


def _download(
    session: Session,
    collection_id: str,
    output_dir: str | os.PathLike[str],
    if_exists: str,
    progress: bool | ProgressReporter | None,
) -> Path:
    reporter = as_reporter(progress)
    return download(session, collection_id, output_dir, if_exists=if_exists, progress=reporter).path


class CollectionList(list[Collection]):
    """The collections of a dataset, plus ``source_imagery`` and ``labels`` views.

    A collection typed both appears once here and in both typed lists (as SpaceNet's did).
    """

    @property
    def source_imagery(self) -> list[Collection]:
        return [c for c in self if SOURCE_IMAGERY in c.types]

    @property
    def labels(self) -> list[Collection]:
        return [c for c in self if LABELS in c.types]


class Dataset:
    """A dataset: a group of collections (not a STAC object); ``data`` is the raw object."""

    def __init__(self, data: dict[str, Any], *, session: Session) -> None:
        self.data = data
        self.session = session

    def __repr__(self) -> str:
        return f"<Dataset id={self.id}>"

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def title(self) -> str | None:
        return self.data.get("title")

    @property
    def doi(self) -> str | None:
        return self.data.get("doi")

    @property
    def citation(self) -> str | None:
        return self.data.get("citation")

    @property
    def registry_url(self) -> str | None:
        return self.data.get("registry")

    @property
    def collection_descriptions(self) -> list[dict[str, Any]]:
        return list(self.data.get("collections") or [])

    @classmethod
    def list(
        cls,
        *,
        tags: str | list[str] | None = None,
        text: str | list[str] | None = None,
        **session_kwargs: Any,
    ) -> list[Dataset]:
        session = session_from(session_kwargs)
        datasets = client.list_datasets(tags=tags, text=text, session=session)
        return [cls(d, session=session) for d in datasets]

    @classmethod
    def fetch(cls, dataset_id_or_doi: str, **session_kwargs: Any) -> Dataset:
        """By id, or by DOI when the argument contains ``/``."""
        session = session_from(session_kwargs)
        return cls(client.get_dataset(dataset_id_or_doi, session=session), session=session)

    @classmethod
    def fetch_by_id(cls, dataset_id: str, **session_kwargs: Any) -> Dataset:
        session = session_from(session_kwargs)
        return cls(client.get_dataset_by_id(dataset_id, session=session), session=session)

    @classmethod
    def fetch_by_doi(cls, dataset_doi: str, **session_kwargs: Any) -> Dataset:
        session = session_from(session_kwargs)
        return cls(client.get_dataset_by_doi(dataset_doi, session=session), session=session)

    @cached_property
    def collections(self) -> CollectionList:
        """The dataset's collections, fetched concurrently, in the dataset's order."""
        descriptions = self.collection_descriptions

        def fetch(description: dict[str, Any]) -> Collection:
            stac = client.get_collection(description["id"], session=self.session)
            return Collection(stac, session=self.session, types=description.get("types"))

        with ThreadPoolExecutor(max_workers=_FETCH_THREADS) as pool:
            return CollectionList(pool.map(fetch, descriptions))

    @cached_property
    def total_archive_size(self) -> int:
        """Bytes of every collection's archive together (missing archives count 0)."""
        with ThreadPoolExecutor(max_workers=_FETCH_THREADS) as pool:
            sizes = pool.map(lambda c: c.archive_size or 0, self.collections)
            return sum(sizes)

    def download(
        self,
        output_dir: str | os.PathLike[str],
        *,
        if_exists: str = "resume",
        progress: bool | ProgressReporter | None = None,
    ) -> builtins.list[Path]:
        """Download every collection's archive into ``output_dir``; returns their paths."""
        check_if_exists(if_exists)
        return [
            _download(self.session, c["id"], output_dir, if_exists, progress)
            for c in self.collection_descriptions
        ]
