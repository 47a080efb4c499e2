"""mlhub-sync: reproducible Radiant MLHub training data.

A client library with the original ``radiant_mlhub`` API, a lockfile-based sync tool
and a mirror server that publishes a directory of archives as an MLHub API.
"""

__version__ = "0.1.0"

from . import client, exceptions
from .exceptions import (
    APIKeyNotFound,
    AuthenticationError,
    EntityDoesNotExist,
    MLHubException,
)
from .models import Collection, CollectionList, Dataset
from .session import Session, get_session

__all__ = [
    "APIKeyNotFound",
    "AuthenticationError",
    "Collection",
    "CollectionList",
    "Dataset",
    "EntityDoesNotExist",
    "MLHubException",
    "Session",
    "__version__",
    "client",
    "exceptions",
    "get_session",
]
