"""One mapping from an HTTP error answer to the exception that says what to do about it.

Used by the API session (requests) and the transfer engine (urllib3) alike; ``url`` is always
shown through ``redact_url``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ..exceptions import APIError, AuthenticationError, EntityDoesNotExist, MLHubException
from ..urls import redact_url

ErrorFor = Callable[[int, str, str, str, bytes], MLHubException]
_XML_FIELD = re.compile(rb"<(Code|Message)>([^<]{1,300})</\1>")


def detail_of(body: bytes) -> str:
    """The ``detail`` of an MLHub-style JSON error body, if there is one (200 chars at most)."""
    try:
        value = json.loads(body[:65536])
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(value, dict) and isinstance(value.get("detail"), str):
        return f": {value['detail'][:200]}"
    return ""


def error_for(status: int, url: str, reason: str, what: str, body: bytes = b"") -> MLHubException:
    """The exception for an error ``status`` (>= 400) answered to a request for ``what``."""
    where = redact_url(url)
    if status == 401:
        return AuthenticationError(
            f"{what}: {where} answered 401 Unauthorized — the API key is missing or wrong. "
            "Set MLHUB_API_KEY or run `mlhub-sync configure`."
        )
    if status == 404:
        return EntityDoesNotExist(
            f"{what} does not exist (404 from {where}); check the id against "
            "`mlhub-sync datasets` / `mlhub-sync info DATASET`."
        )
    return APIError(f"{what}: {where} answered {status} {reason}{detail_of(body)}", status)


def object_store_error(
    status: int, url: str, reason: str, what: str, body: bytes = b""
) -> MLHubException:
    """An Azure Blob or S3 error answer: their XML body names the cause (``ContainerNotFound``,
    ``NoSuchBucket``, ``AccessDenied``), which is what the user needs to see."""
    fields = {m[1].decode(): m[2].decode("utf-8", "replace") for m in _XML_FIELD.finditer(body)}
    cause = ": ".join(
        v.split("\n")[0].strip() for v in (fields.get("Code"), fields.get("Message")) if v
    )
    where = redact_url(url)
    hint = {
        403: "; mlhub-sync reads anonymously, so the location must allow public reads",
        404: "; check the location's account, container or bucket, and its prefix",
    }.get(status, "")
    return APIError(f"{what}: {where} answered {status} {cause or reason}{hint}", status)
