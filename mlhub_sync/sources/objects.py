"""Object stores as one source: list a location's files wherever it is served from today.

The location (``az://…``, ``s3://…``) is canonical; ``mirrors`` (``--mirror FROM=TO``) and a
catalogue entry's alternates only change where the requests go, so what comes back — paths,
sizes, content digests — is the same from every byte-identical copy. Validators (ETags) and
URLs belong to the host that answered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping

from ..exceptions import APIError
from ..http.api import ApiClient
from ..http.pool import TransferPool
from . import azure_blob, s3
from .base import RemoteFile
from .locations import Endpoint, Location, endpoint_of, endpoint_via

log = logging.getLogger(__name__)

LISTERS = {"az": azure_blob.list_files, "s3": s3.list_files}


def list_location(
    location: Location,
    mirrors: Mapping[str, str] = {},
    alternates: Iterable[str] = (),
    pool: TransferPool | None = None,
) -> Iterator[RemoteFile]:
    """Every file under ``location`` in key order (``RemoteFile.name``: its path there).

    When the first host does not answer (refused, 5xx, 403, 404) before its first entry, each
    alternate is tried in turn; a listing that fails halfway is an error, never spliced from
    two hosts."""
    candidates = [endpoint_of(location, mirrors)]
    candidates += [endpoint_via(location, target) for target in alternates]
    what = f"Listing {location}"
    for number, endpoint in enumerate(candidates, 1):
        started = False
        try:
            for file in _list(endpoint, what, pool):
                started = True
                yield file
            return
        except APIError as exc:
            if started or number == len(candidates):
                raise
            log.warning("%s; trying %s", exc, candidates[number].container_url)


def _list(endpoint: Endpoint, what: str, pool: TransferPool | None) -> Iterator[RemoteFile]:
    client = ApiClient(endpoint.container_url + "/", None, pool)
    return LISTERS[endpoint.protocol](client, endpoint, what)
