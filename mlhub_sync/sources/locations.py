"""Where a dataset lives, canonically, and where to ask for it today (mirrors).

A *location* is what a manifest names and a lock records — ``az://ACCOUNT/CONTAINER/PREFIX/``
or ``s3://BUCKET/PREFIX/`` (with an optional S3 ``endpoint``) — and never changes with the
host it is fetched from. An *endpoint* is what the HTTP clients need: the protocol, the URL of
the container or bucket, and the key prefix inside it. ``--mirror FROM=TO`` (as cargo's source
replacement) maps every location under FROM to the same keys under TO, so a lock made through
a mirror is byte-identical to one made directly.

A location is always a folder: ``kenya-crop-challenge/`` never picks up
``kenya-crop-challenge-v2/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ..exceptions import ConfigError
from ..urls import url_problem

AZURE_HOST = ".blob.core.windows.net"
AWS_S3_HOST = "s3.amazonaws.com"
PROTOCOLS = ("az", "s3")
_ACCOUNT = re.compile(r"[a-z0-9]{3,24}")
_CONTAINER = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?|\$root")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-_]{1,253}[a-z0-9]")
_SEGMENT_LIMIT = 1024


@dataclass(frozen=True, slots=True)
class Location:
    """A canonical location: ``url`` is what the lock records (with ``endpoint`` for S3 outside
    AWS); ``root`` names the container or bucket (``az://radiantearth/mlhub``)."""

    protocol: str  # "az" | "s3"
    root: str
    prefix: str  # "" or ends with "/"
    endpoint: str | None = None

    @property
    def url(self) -> str:
        return self.root + "/" + self.prefix

    def __str__(self) -> str:
        return self.url if self.endpoint is None else f"{self.url} (endpoint {self.endpoint})"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """What a listing request needs: ``container_url`` + ``?prefix=key_prefix``."""

    protocol: str
    container_url: str  # no trailing slash
    key_prefix: str
    aws: bool = False  # AWS S3 itself: a 32-hex single-part ETag is the object's MD5

    def file_url(self, key: str) -> str:
        return f"{self.container_url}/{quote(key, safe='/~')}"


def parse(url: str, endpoint: str | None = None, where: str = "source") -> Location:
    """A ``az://`` or ``s3://`` URL as a canonical location, or a ``ConfigError`` saying what
    is wrong with it and what a good one looks like."""
    if not isinstance(url, str) or "\x00" in url or len(url) > 4096:
        raise ConfigError(f"{where}: not a usable location URL")
    scheme, _, rest = url.partition("://")
    if scheme not in PROTOCOLS or not rest:
        raise ConfigError(
            f"{where}: {url!r} is not a location; use az://ACCOUNT/CONTAINER/PREFIX/ or "
            "s3://BUCKET/PREFIX/ (https file lists go under `files:`)"
        )
    parts = rest.split("/")
    if scheme == "az":
        if len(parts) < 2 or not _ACCOUNT.fullmatch(parts[0]) or not _CONTAINER.fullmatch(parts[1]):
            raise ConfigError(
                f"{where}: {url!r}: expected az://ACCOUNT/CONTAINER[/PREFIX] (account: 3-24 "
                "lowercase letters and digits; container: lowercase letters, digits and '-')"
            )
        if endpoint is not None:
            raise ConfigError(f"{where}: `endpoint` is for s3:// locations only")
        root, keys = f"az://{parts[0]}/{parts[1]}", parts[2:]
    else:
        if not _BUCKET.fullmatch(parts[0]):
            raise ConfigError(f"{where}: {url!r}: expected s3://BUCKET[/PREFIX]")
        root, keys = f"s3://{parts[0]}", parts[1:]
        endpoint = _check_http(endpoint, where, "endpoint") if endpoint is not None else None
    return Location(scheme, root, _folder(keys, url, where), endpoint)


def endpoint_of(location: Location, mirrors: Mapping[str, str] = {}) -> Endpoint:
    """Where to send a listing for ``location``: the first mirror whose FROM covers it (the
    longest FROM wins), else the location's own host."""
    for source in sorted(mirrors, key=len, reverse=True):
        if _covers(source, location):
            rest = location.url[len(source.rstrip("/")) :].lstrip("/")
            return _mirror_endpoint(location.protocol, mirrors[source], rest)
    bucket = location.root.split("/")[2]
    if location.protocol == "az":
        account, container = location.root[len("az://") :].split("/")
        return Endpoint("az", f"https://{account}{AZURE_HOST}/{container}", location.prefix)
    if location.endpoint is not None:
        return Endpoint("s3", f"{location.endpoint.rstrip('/')}/{bucket}", location.prefix)
    host = f"{bucket}.{AWS_S3_HOST}" if "." not in bucket else AWS_S3_HOST
    path = "" if "." not in bucket else f"/{bucket}"
    return Endpoint("s3", f"https://{host}{path}", location.prefix, aws=True)


def endpoint_via(location: Location, target: str) -> Endpoint:
    """The endpoint of ``location`` served at ``target`` (a mirror TO, or an alternate)."""
    return _mirror_endpoint(location.protocol, target, "")


def parse_mirrors(pairs: Iterable[str], where: str) -> dict[str, str]:
    """``FROM=TO`` pairs (``--mirror``, ``MLHUB_SYNC_MIRRORS``, the config file) as a mapping,
    each checked: FROM a location prefix, TO an http(s) URL, optionally ``s3+``/``az+``."""
    found: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source or not target:
            raise ConfigError(
                f"{where}: {pair!r} is not FROM=TO (e.g. "
                "az://radiantearth/mlhub=http://127.0.0.1:10000/devstoreaccount1/mlhub)"
            )
        scheme = source.partition("://")[0]
        if scheme not in PROTOCOLS or "://" not in source:
            raise ConfigError(f"{where}: mirror FROM {source!r} must start with az:// or s3://")
        protocol, _, url = target.rpartition("+")
        if protocol and protocol not in PROTOCOLS:
            raise ConfigError(f"{where}: mirror TO {target!r}: only s3+ or az+ may prefix it")
        _check_http(url, where, "mirror TO")
        found[source.rstrip("/")] = target
    return found


def _covers(source: str, location: Location) -> bool:
    if location.protocol != source.partition("://")[0]:
        return False
    if location.endpoint is not None:
        return False  # a custom endpoint is already someone's mirror; name it directly
    return location.url.startswith(source + "/")


def _mirror_endpoint(protocol: str, target: str, rest: str) -> Endpoint:
    """Endpoint for keys ``rest`` under mirror URL ``target``: its path gives the account (Azure
    emulators, path style) and container, or the bucket; what is left joins the prefix."""
    named, _, url = target.rpartition("+")
    protocol = named or protocol
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s] + [s for s in rest.split("/") if s]
    depth = 1 if protocol == "s3" or (parts.hostname or "").endswith(AZURE_HOST) else 2
    if len(segments) < depth:
        raise ConfigError(f"mirror {target!r}: its URL names no container or bucket")
    container = "/".join(segments[:depth])
    keys = "/".join(segments[depth:])
    prefix = keys + "/" if keys else ""  # a location is a folder: its URL ends with "/"
    return Endpoint(protocol, f"{parts.scheme}://{parts.netloc}/{container}", prefix)


def _folder(keys: list[str], url: str, where: str) -> str:
    segments = [k for k in keys if k]
    for segment in segments:
        if segment in (".", "..") or len(segment) > _SEGMENT_LIMIT:
            raise ConfigError(f"{where}: {url!r}: '.', '..' and overlong path segments are refused")
    return "".join(s + "/" for s in segments)


def _check_http(url: str | None, where: str, what: str) -> str:
    parts = urlsplit(url or "")
    if url_problem(url or ""):
        raise ConfigError(f"{where}: {what} {url!r} must be an http(s) URL such as https://host")
    if parts.query or parts.fragment or parts.username:
        raise ConfigError(f"{where}: {what} {url!r}: no query, fragment or credentials here")
    return url or ""
