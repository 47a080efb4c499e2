"""HTTPS file lists: files named one by one, with the digests their publisher states.

For data published as plain HTTPS downloads with a checksum beside each (Zenodo states an MD5
per file; the old per-collection MLHub archives have known MD5s). A manifest gives
``files: [{url, md5 | sha256, size?, path?}]``; a file's path under the dataset's folder is
``path``, else the last segment of its URL. A file without a size costs one HEAD. Plain
``http://`` is accepted too (a lab's own server): the stated digest, not the channel, is what
makes the bytes trustworthy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ..digests import Digests
from ..exceptions import APIError, ConfigError
from ..http.api import ApiClient
from ..http.errors import object_store_error
from ..urls import redact_url
from .base import RemoteFile, is_safe_path, md5_from_base64, stated_size

HEX = {"md5": re.compile(r"[0-9a-f]{32}"), "sha256": re.compile(r"[0-9a-f]{64}")}
HEADS_IN_FLIGHT = 16


@dataclass(frozen=True, slots=True)
class ListedUrl:
    url: str
    path: str
    size: int | None = None
    digests: Digests = field(default_factory=dict)


def parse_files(entries: Iterable[Mapping[str, Any]], where: str) -> list[ListedUrl]:
    """The manifest's ``files:`` checked: https URLs, hex digests, safe and distinct paths."""
    found: list[ListedUrl] = []
    paths: dict[str, int] = {}
    for index, entry in enumerate(entries):
        at = f"{where}: files[{index}]"
        url = str(entry.get("url", ""))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
            raise ConfigError(f"{at}: url {redact_url(url)!r} must be https://HOST/PATH")
        digests = {}
        for name, pattern in HEX.items():
            if name in entry:
                value = str(entry[name]).lower()
                if not pattern.fullmatch(value):
                    raise ConfigError(f"{at}: {name} {value[:80]!r} is not a hex {name} digest")
                digests[name] = value
        path = str(entry.get("path") or unquote(parts.path.rstrip("/").rpartition("/")[2]))
        check_path(path, f"{at}: path")
        if path in paths:
            raise ConfigError(
                f"{at}: path {path!r} is also files[{paths[path]}]'s; give one of them `path:`"
            )
        paths[path] = index
        size = entry.get("size")
        if size is not None and (not isinstance(size, int) or size < 0):
            raise ConfigError(f"{at}: size must be a number of bytes")
        found.append(ListedUrl(url, path, size, digests))
    return found


def check_path(path: str, what: str) -> str:
    if not is_safe_path(path):
        raise ConfigError(f"{what} {path[:200]!r} is not a relative path inside the dataset")
    return path


def describe(client: ApiClient, files: list[ListedUrl], what: str) -> Iterator[RemoteFile]:
    """Each file as the engine needs it, in the order given: HEADs only where no size is known,
    ``HEADS_IN_FLIGHT`` at a time."""

    def one(listed: ListedUrl) -> RemoteFile:
        if listed.size is not None:
            return RemoteFile(listed.path, listed.url, listed.size, digests=dict(listed.digests))
        label = f"{what}: {listed.path}"
        response, answered = client.request("HEAD", listed.url, label, None, object_store_error)
        size = stated_size(response.headers)
        if size is None:
            raise APIError(f"{label}: {redact_url(answered)} states no Content-Length")
        md5 = md5_from_base64(response.headers.get("Content-MD5") or "")
        stated = {"md5": md5} if md5 else {}  # an ETag here is a validator, never a digest
        return RemoteFile(
            listed.path,
            listed.url,
            size,
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
            {**stated, **listed.digests},
        )

    with ThreadPoolExecutor(HEADS_IN_FLIGHT) as pool:
        yield from pool.map(one, files)
