"""What a source tells the transfer engine about one remote file, and how HTTP headers say it.

A source's job ends at ``RemoteFile``: the engine needs nothing else to download, resume,
validate every answer and verify the bytes. A new source (Azure Blob, S3, an HTTPS list) is one
module that produces these.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..digests import XXH3_HEADER, Digests

_MD5_ETAG = re.compile(r'"?([0-9a-f]{32})"?')
_HEX128 = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One file as a server states it. ``url`` may carry a key: show it only via redact_url."""

    name: str  # what messages and progress bars call it (an archive id, a path)
    url: str  # where a GET of its bytes starts (redirects are followed from here)
    size: int
    etag: str | None = None
    last_modified: str | None = None
    digests: Digests = field(default_factory=dict)  # what the server states (md5, xxh3_128)
    headers: tuple[tuple[str, str], ...] = ()  # sent with every GET (Azure's x-ms-version)

    @property
    def strong_etag(self) -> str | None:
        """The ETag when it is strong (``If-Match`` and ``If-Range`` need a strong one)."""
        return self.etag if self.etag and not self.etag.startswith("W/") else None

    @property
    def validator(self) -> str | None:
        """What proves a partial belongs to this version: a strong ETag, else Last-Modified."""
        return self.strong_etag or self.last_modified

    def version(self) -> dict[str, object]:
        """The identity a journal records: a partial is resumed only for the same version."""
        return {"size": self.size, "etag": self.etag, "last_modified": self.last_modified}

    def matches(self, headers: Mapping[str, str]) -> list[str]:
        """How an answer's validators differ from this version (empty: same, or unstated)."""
        found = []
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if self.etag and etag:
            if etag != self.etag:
                found.append(f"ETag {etag} instead of {self.etag}")
        elif self.last_modified and modified and modified != self.last_modified:
            found.append(f"Last-Modified {modified} instead of {self.last_modified}")
        return found


class Source(Protocol):
    """Gives the engine a ``RemoteFile`` for a name: by asking the server, or from a lock."""

    def describe(self, name: str) -> RemoteFile:
        """What the server states about ``name`` now (one HEAD, following redirects)."""
        ...


PATH_LIMIT = 1024  # bytes: S3's own limit on a key


def is_safe_path(path: str) -> bool:
    """A relative path that stays inside the folder it is joined to: no absolute path, no
    empty, ``.`` or ``..`` segment, no backslash or unprintable character (NUL, tab, newline:
    a lock line could not hold it), at most ``PATH_LIMIT`` bytes."""
    return not (
        not path
        or not path.isprintable()
        or "\\" in path
        or len(path.encode("utf-8", "surrogatepass")) > PATH_LIMIT
        or any(s in ("", ".", "..") for s in path.split("/"))
    )


def md5_from_headers(headers: Mapping[str, str]) -> str | None:
    """Hex MD5 from ``Content-MD5`` (base64, Azure) or a single-part S3 ``ETag``."""
    content_md5 = headers.get("Content-MD5")
    if content_md5:
        return md5_from_base64(content_md5)
    match = _MD5_ETAG.fullmatch(headers.get("ETag") or "")
    return match.group(1) if match else None


def md5_from_base64(value: str) -> str | None:
    """Hex MD5 from a base64 ``Content-MD5`` (a header, or Azure's listing), if it is one."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 16 else None


def stated_digests(headers: Mapping[str, str]) -> Digests:
    """Every content digest an answer states, keyed by algorithm."""
    digests: Digests = {}
    md5 = md5_from_headers(headers)
    if md5:
        digests["md5"] = md5
    xxh3 = (headers.get(XXH3_HEADER) or "").strip().lower()
    if _HEX128.fullmatch(xxh3):
        digests["xxh3_128"] = xxh3
    return digests


def stated_size(headers: Mapping[str, str]) -> int | None:
    value = (headers.get("Content-Length") or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 20 else None
