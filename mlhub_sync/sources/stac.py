"""Static STAC catalogs: ``stac+https://…/catalog.json`` (or ``collection.json``) walked to its
items; the files are the STAC documents themselves and every asset they point to.

Paths are relative to the catalog's folder, so the tree on disk is the published one (loaders
read the STAC JSON beside the assets). ``file:size`` and ``file:checksum`` (multihash: MD5 or
SHA-256) are honoured; an asset without a size costs one HEAD. Each level of the tree is
fetched 16 documents at a time; a cycle of links is walked once; an asset outside the catalog's
folder is skipped with a warning (it has no place in the tree).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import xxhash

from ..exceptions import APIError, ConfigError
from ..http.api import ApiClient
from ..http.errors import object_store_error
from ..http.pool import finish
from ..urls import redact_url
from .base import RemoteFile, is_safe_path
from .https_list import ListedUrl, describe

log = logging.getLogger(__name__)

SCHEME = "stac+"
DOCUMENT_LIMIT = 16 << 20
MAX_DOCUMENTS = 1_000_000
IN_FLIGHT = 16
WALKED = ("child", "item", "items")
# multihash prefixes (code, length) → algorithm: sha2-256 and md5
MULTIHASH = {"1220": ("sha256", 64), "d50110": ("md5", 32)}

Document = tuple[str, bytes, dict[str, Any], str | None, str | None]


def root_of(url: str, where: str) -> str:
    """The catalog document's URL from ``stac+https://…/catalog.json``."""
    inner = url[len(SCHEME) :] if url.startswith(SCHEME) else ""
    parts = urlsplit(inner)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not parts.path.endswith(".json")
    ):
        raise ConfigError(
            f"{where}: {url!r}: expected stac+https://HOST/PATH/catalog.json (or collection.json)"
        )
    return inner


def walk(client: ApiClient, url: str, what: str) -> Iterator[RemoteFile]:
    """Every document and asset of the catalog at ``url`` (an https URL), level by level."""
    base = url.rsplit("/", 1)[0] + "/"
    seen, frontier, count = {url}, [url], 0
    sizeless: list[ListedUrl] = []
    assets: set[str] = set()
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        while frontier:
            count += len(frontier)
            if count > MAX_DOCUMENTS:
                raise APIError(f"{what}: more than {MAX_DOCUMENTS:,} STAC documents")
            following: list[str] = []
            for address, body, document, etag, modified in pool.map(
                lambda u: _document(client, u, what), frontier
            ):
                path = _inside(address, base)
                if path is not None:
                    digest = {"xxh3_128": xxhash.xxh3_128_hexdigest(body)}
                    yield RemoteFile(path, address, len(body), etag, modified, digest)
                for link in _links(document, address):
                    if link not in seen:
                        seen.add(link)
                        following.append(link)
                for listed in _assets(document, address, base, what):
                    if listed.url in assets:
                        continue
                    assets.add(listed.url)
                    if listed.size is None:
                        sizeless.append(listed)
                    else:
                        yield RemoteFile(
                            listed.path, listed.url, listed.size, digests=listed.digests
                        )
            frontier = following
    yield from describe(client, sizeless, what)


def _document(client: ApiClient, url: str, what: str) -> Document:
    response, answered = client.request(
        "GET", url, what, {"Accept": "application/json"}, object_store_error
    )
    try:
        body = response.read(DOCUMENT_LIMIT + 1)
    finally:
        finish(response)
    where = f"{what}: {redact_url(answered)}"
    if len(body) > DOCUMENT_LIMIT:
        raise APIError(f"{where} is over {DOCUMENT_LIMIT:,} bytes; not a STAC document")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise APIError(f"{where} is not JSON; is the URL a STAC catalog?") from None
    if not isinstance(document, dict):
        raise APIError(f"{where} is not a STAC object")
    return url, body, document, response.headers.get("ETag"), response.headers.get("Last-Modified")


def _links(document: dict[str, Any], address: str) -> Iterator[str]:
    for link in document.get("links") or []:
        if (
            isinstance(link, dict)
            and link.get("rel") in WALKED
            and isinstance(link.get("href"), str)
        ):
            target = urldefrag(urljoin(address, link["href"]))[0]
            if urlsplit(target).scheme in ("http", "https"):
                yield target


def _assets(document: dict[str, Any], address: str, base: str, what: str) -> Iterator[ListedUrl]:
    assets = document.get("assets")
    for asset in (assets or {}).values() if isinstance(assets, dict) else ():
        if not isinstance(asset, dict) or not isinstance(asset.get("href"), str):
            continue
        target = urldefrag(urljoin(address, asset["href"]))[0]
        path = _inside(target, base)
        if path is None:
            log.warning(
                "%s: skipping asset %s: outside the catalog's folder", what, redact_url(target)
            )
            continue
        size = asset.get("file:size")
        digests = _multihash(asset.get("file:checksum"))
        yield ListedUrl(
            target, path, size if isinstance(size, int) and size >= 0 else None, digests
        )


def _inside(url: str, base: str) -> str | None:
    if not url.startswith(base) or urlsplit(url).query:
        return None
    path = unquote(url[len(base) :])
    return path if is_safe_path(path) else None


def _multihash(value: object) -> dict[str, str]:
    if not isinstance(value, str):
        return {}
    value = value.lower()
    for prefix, (name, length) in MULTIHASH.items():
        rest = value[len(prefix) :]
        if (
            value.startswith(prefix)
            and len(rest) == length
            and all(c in "0123456789abcdef" for c in rest)
        ):
            return {name: rest}
    return {}
