"""Low-level API functions, named as in ``radiant_mlhub.client``.

Each returns plain Python data (``dict``/``list``) as the API sent it. Every function accepts
the session keyword arguments ``api_key=``, ``profile=`` and ``root_url=`` (or a ready
``session=``); see ``mlhub_sync.config`` for how the key is found.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..exceptions import APIError, ConfigError
from ..http.session import Session, session_from
from ..ids import check_id
from ..progress import ProgressReporter, as_reporter
from .download import download
from .policy import check_if_exists

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_MAX_PAGES = 1000  # a server that links "next" forever must not loop us forever


def _expect(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise APIError(f"{what}: expected a JSON {kind.__name__}, got {type(value).__name__}")
    return value


def list_datasets(
    *,
    tags: str | list[str] | None = None,
    text: str | list[str] | None = None,
    **session_kwargs: Any,
) -> list[dict[str, Any]]:
    """Every dataset (``GET /datasets``), optionally filtered by tags and free text."""
    session = session_from(session_kwargs)
    params = {"tags": tags, "text": text}
    datasets = session.get_json(
        "datasets", "Dataset list", params={k: v for k, v in params.items() if v}
    )
    return [_expect(d, dict, "Dataset list entry") for d in _expect(datasets, list, "Dataset list")]


def _get_object(path: str, what: str, session_kwargs: dict[str, Any]) -> dict[str, Any]:
    """GET one JSON object from an API path; ``what`` names it in errors."""
    value = session_from(session_kwargs).get_json(path, what)
    return _expect(value, dict, what)  # type: ignore[no-any-return]


def get_dataset_by_id(dataset_id: str, **session_kwargs: Any) -> dict[str, Any]:
    check_id(dataset_id, "dataset id")
    return _get_object(f"datasets/{dataset_id}", f"Dataset {dataset_id!r}", session_kwargs)


def get_dataset_by_doi(dataset_doi: str, **session_kwargs: Any) -> dict[str, Any]:
    if not _DOI.fullmatch(dataset_doi) or ".." in dataset_doi.split("/"):
        raise ConfigError(f"{dataset_doi!r} is not a DOI (expected 10.<registrant>/<suffix>)")
    path = f"datasets/doi/{quote(dataset_doi, safe='/')}"
    return _get_object(path, f"Dataset with DOI {dataset_doi!r}", session_kwargs)


def get_dataset(dataset_id_or_doi: str, **session_kwargs: Any) -> dict[str, Any]:
    """A dataset by id, or by DOI when the argument contains ``/`` (ids never do)."""
    if "/" in dataset_id_or_doi:
        return get_dataset_by_doi(dataset_id_or_doi, **session_kwargs)
    return get_dataset_by_id(dataset_id_or_doi, **session_kwargs)


def list_collections(**session_kwargs: Any) -> list[dict[str, Any]]:
    """Every collection (``GET /collections``), following ``rel=next`` links if paginated."""
    session = session_from(session_kwargs)
    collections: list[dict[str, Any]] = []
    url: str | None = "collections"
    for _ in range(_MAX_PAGES):
        if url is None:
            break
        page = _expect(session.get_json(url, "Collection list"), dict, "Collection list")
        collections.extend(_expect(page.get("collections", []), list, "Collection list"))
        url = next(
            (link.get("href") for link in page.get("links", []) if link.get("rel") == "next"),
            None,
        )
    return collections


def get_collection(collection_id: str, **session_kwargs: Any) -> dict[str, Any]:
    check_id(collection_id, "collection id")
    return _get_object(
        f"collections/{collection_id}", f"Collection {collection_id!r}", session_kwargs
    )


def get_archive_info(archive_id: str, **session_kwargs: Any) -> dict[str, Any]:
    """``{"collection", "dataset", "size", "types"}`` for an archive (id = collection id)."""
    check_id(archive_id, "archive id")
    return _get_object(f"archive/{archive_id}/info", f"Archive {archive_id!r}", session_kwargs)


def download_archive(
    archive_id: str,
    output_dir: str | os.PathLike[str] | None = None,
    *,
    if_exists: str = "resume",
    progress: bool | ProgressReporter | None = None,
    **session_kwargs: Any,
) -> Path:
    """Download ``<archive_id>.tar.gz`` into ``output_dir`` (default: the working directory).

    ``if_exists``: ``"resume"`` (default) continues a partial download and keeps a complete
    one; ``"skip"`` keeps any existing file without a request; ``"overwrite"`` downloads again.
    ``progress``: a bar on stderr when it is a terminal (None), always (True), never (False).
    """
    check_if_exists(if_exists)
    session: Session = session_from(session_kwargs)
    result = download(
        session,
        archive_id,
        output_dir if output_dir is not None else Path.cwd(),
        if_exists=if_exists,
        progress=as_reporter(progress),
    )
    return result.path


# The original client's names, so ``from radiant_mlhub.client import …`` ports by import.
get_collection_archive_info = get_archive_info
download_collection_archive = download_archive
