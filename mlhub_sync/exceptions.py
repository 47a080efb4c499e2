"""Exceptions raised by mlhub-sync.

``MLHubException`` is the root (the name the original client used). Subclasses also derive
from the matching built-in where that is natural, so ``except LookupError`` keeps working.
Each class carries the CLI exit code used when it ends a command (the table is
``exitcodes.py``, printed in the README). Messages never contain an API key.
"""

from __future__ import annotations

from . import exitcodes


class MLHubException(Exception):
    """Root of every error mlhub-sync raises on purpose."""

    exit_code = exitcodes.FAILED


class ConfigError(MLHubException, ValueError):
    """Bad input from the user: a flag, a folder, a manifest, a profile file."""

    exit_code = exitcodes.BAD_INPUT


class StaleLock(ConfigError):
    """No lock, or a lock out of date with its manifest, where a fresh one is required."""

    exit_code = exitcodes.STALE_LOCK


class EntityDoesNotExist(MLHubException, LookupError):
    """The API answered 404 for a dataset, collection or archive."""

    exit_code = exitcodes.NOT_FOUND


class AuthenticationError(MLHubException, PermissionError):
    """The API answered 401: the API key is missing or wrong."""

    exit_code = exitcodes.KEY


class APIKeyNotFound(MLHubException):
    """A profile was named explicitly but has no API key."""

    exit_code = exitcodes.KEY


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


class IntegrityError(TransferError):
    """Downloaded bytes did not match the expected size or digest; the partial was removed."""


class RemoteChanged(TransferError):
    """The server's file is not the version the caller asked for (size or validators moved)."""


class Stalled(TransferError):
    """A transfer made no progress within the progress deadline, on every attempt."""


class NoSpace(MLHubException, OSError):
    """The target's filesystem cannot hold what a plan needs, or filled up during a run.
    Partial downloads are kept, so a later run resumes them."""

    exit_code = exitcodes.FAILED


class Interrupted(MLHubException):
    """Stopped by SIGINT (Ctrl-C) or SIGTERM; partial downloads were kept consistent."""

    def __init__(self, message: str, signal_number: int) -> None:
        super().__init__(message)
        # The shell convention: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
        self.exit_code = 128 + signal_number


class Terminated(BaseException):
    """SIGTERM turned into an exception in the main thread, so it unwinds like Ctrl-C.

    A ``BaseException`` (as ``KeyboardInterrupt``) so that no ``except Exception`` swallows it.
    """
