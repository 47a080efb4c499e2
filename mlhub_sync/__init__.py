"""mlhub-sync: reproducible Radiant MLHub training data.

A client library with the original ``radiant_mlhub`` API, a lockfile-based sync tool
and a mirror server that publishes a directory of archives as an MLHub API.

Public names are loaded on first use (PEP 562): the command line imports this package, and an
in-sync ``apply`` must not pay for importing the HTTP stack it will not use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from . import client, exceptions
    from .client.models import Collection, CollectionList, Dataset
    from .exceptions import (
        APIKeyNotFound,
        AuthenticationError,
        EntityDoesNotExist,
        MLHubException,
    )
    from .http.retry import RetryPolicy
    from .http.session import Session, get_session

_LAZY = {
    "client": ("mlhub_sync.client", None),
    "exceptions": ("mlhub_sync.exceptions", None),
    "Collection": ("mlhub_sync.client.models", "Collection"),
    "CollectionList": ("mlhub_sync.client.models", "CollectionList"),
    "Dataset": ("mlhub_sync.client.models", "Dataset"),
    "APIKeyNotFound": ("mlhub_sync.exceptions", "APIKeyNotFound"),
    "AuthenticationError": ("mlhub_sync.exceptions", "AuthenticationError"),
    "EntityDoesNotExist": ("mlhub_sync.exceptions", "EntityDoesNotExist"),
    "MLHubException": ("mlhub_sync.exceptions", "MLHubException"),
    "RetryPolicy": ("mlhub_sync.http.retry", "RetryPolicy"),
    "Session": ("mlhub_sync.http.session", "Session"),
    "get_session": ("mlhub_sync.http.session", "get_session"),
}

__all__ = [
    "APIKeyNotFound",
    "AuthenticationError",
    "Collection",
    "CollectionList",
    "Dataset",
    "EntityDoesNotExist",
    "MLHubException",
    "RetryPolicy",
    "Session",
    "__version__",
    "client",
    "exceptions",
    "get_session",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'mlhub_sync' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
