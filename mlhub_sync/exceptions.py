"""Exceptions raised by mlhub-sync.

``MLHubException`` is the root (the name the original client used). Subclasses also derive
from the matching built-in where that is natural, so ``except LookupError`` keeps working.
Each class carries the CLI exit code used when it ends a command. Messages never contain
an API key.
"""

from __future__ import annotations


class MLHubException(Exception):
    """Root of every error mlhub-sync raises on purpose."""

    exit_code = 1


class ConfigError(MLHubException, ValueError):
    """Bad input from the user: a flag, a folder, a manifest, a profile file."""

    exit_code = 2


class EntityDoesNotExist(MLHubException, LookupError):
    """The API answered 404 for a dataset, collection or archive."""

    exit_code = 3


class AuthenticationError(MLHubException, PermissionError):
    """The API answered 401: the API key is missing or wrong."""

    exit_code = 4


class APIKeyNotFound(MLHubException):
    """A profile was named explicitly but has no API key."""

    exit_code = 4


class APIError(MLHubException):
    """The API answered with an error status we do not map to something more specific."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TransferError(MLHubException):
    """A download could not be completed correctly (the server broke the protocol, the
    connection kept failing, or the bytes did not match). Nothing reached the final path."""


class ServerUnreachable(APIError, ConnectionError):
    """No answer from the server after every retry (refused, reset, timed out)."""
