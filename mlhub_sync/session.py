"""The HTTP layer: one pooled session that knows the API root, the key, retries and errors.

Only this module and ``transfer`` speak HTTP. The API key is sent as the ``key`` query
parameter (what the MLHub API read) on requests for API paths — never on an absolute URL,
so it cannot follow a redirect to a blob store or anywhere else.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from . import __version__
from .config import resolve_api_key, resolve_root_url
from .exceptions import (
    APIError,
    AuthenticationError,
    EntityDoesNotExist,
    ServerUnreachable,
)
from .urls import join, redact_url

RETRY_STATUSES = frozenset({429, 502, 503, 504})
USER_AGENT = f"mlhub-sync/{__version__}"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter; ``Retry-After`` honoured up to ``max_delay``."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        stated = parse_retry_after(retry_after)
        if stated is not None:
            return min(stated, self.max_delay)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Session(requests.Session):
    """A ``requests.Session`` bound to one API root and key.

    ``session.get("datasets")`` requests ``<root>/datasets?key=…``; absolute URLs are requested
    as given, without the key. Transient failures are retried (connection errors, 429, 502,
    503, 504); ``raise_for_status`` turns 401/404/other errors into ``MLHubException``s.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        root_url: str | None = None,
        timeout: tuple[float, float] = (10.0, 60.0),
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__()
        self.root_url = resolve_root_url(root_url)
        self._api_key = api_key
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def __repr__(self) -> str:  # never the key
        return f"<mlhub_sync.Session {self.root_url} key={'set' if self._api_key else 'none'}>"

    @property
    def has_api_key(self) -> bool:
        return self._api_key is not None

    def retry_sleep(self, attempt: int) -> None:
        """Back off before retry number ``attempt`` (used by transfers between attempts)."""
        self._sleep(self.retry.delay(attempt))

    def api_url(self, path: str) -> str:
        return join(self.root_url, path)

    def request(  # type: ignore[override]
        self, method: str, url: str, *, params: dict[str, Any] | None = None, **kwargs: Any
    ) -> requests.Response:
        """Request an API path (relative: key added) or an absolute URL (no key), with retries."""
        is_api_path = "://" not in url
        if is_api_path:
            url = self.api_url(url)
            if self._api_key:
                params = {**(params or {}), "key": self._api_key}
        kwargs.setdefault("timeout", self.timeout)
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                response = super().request(method, url, params=params, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if last:
                    raise ServerUnreachable(
                        f"no answer from {redact_url(url)} after {attempt} attempts "
                        f"({type(exc).__name__}); is the server up and MLHUB_ROOT_URL right?"
                    ) from None
                self._sleep(self.retry.delay(attempt))
                continue
            if response.status_code in RETRY_STATUSES and not last:
                delay = self.retry.delay(attempt, response.headers.get("Retry-After"))
                response.close()
                self._sleep(delay)
                continue
            return response
        raise AssertionError("unreachable")  # the loop always returns or raises

    def get_json(self, path: str, what: str, **kwargs: Any) -> Any:
        """GET an API path and decode JSON; errors name ``what`` was asked for."""
        response = self.get(path, **kwargs)
        raise_for_status(response, what)
        try:
            return response.json()
        except ValueError:
            raise APIError(
                f"{what}: {redact_url(response.url)} answered {response.status_code} "
                "with a body that is not JSON; is MLHUB_ROOT_URL an MLHub API root?",
                response.status_code,
            ) from None


def raise_for_status(response: requests.Response, what: str) -> None:
    """Map an error answer to an exception whose message says what failed and what to do."""
    status = response.status_code
    if status < 400:
        return
    where = redact_url(response.url)
    if status == 401:
        raise AuthenticationError(
            f"{what}: {where} answered 401 Unauthorized — the API key is missing or wrong. "
            "Set MLHUB_API_KEY or run `mlhub-sync configure`."
        )
    if status == 404:
        raise EntityDoesNotExist(
            f"{what} does not exist (404 from {where}); check the id against "
            "`mlhub-sync datasets` / `mlhub-sync info DATASET`."
        )
    detail = ""
    try:
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            detail = f": {body['detail'][:200]}"
    except ValueError:
        pass
    raise APIError(f"{what}: {where} answered {status} {response.reason}{detail}", status)


def get_session(
    *,
    api_key: str | None = None,
    profile: str | None = None,
    root_url: str | None = None,
    **options: Any,
) -> Session:
    """A session with the key resolved as the original client did (see ``config``)."""
    return Session(api_key=resolve_api_key(api_key, profile), root_url=root_url, **options)


def session_from(session_kwargs: dict[str, Any]) -> Session:
    """Use ``session=`` if the caller passed one, else build one from the keyword arguments."""
    session = session_kwargs.pop("session", None)
    if session is not None:
        if session_kwargs:
            raise TypeError("pass either session= or api_key=/profile=, not both")
        if not isinstance(session, Session):
            raise TypeError("session= must be an mlhub_sync Session (see get_session)")
        return session
    unknown = set(session_kwargs) - {"api_key", "profile", "root_url"}
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    return get_session(**session_kwargs)
