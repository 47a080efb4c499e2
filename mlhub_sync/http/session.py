"""The API session: one pooled ``requests`` session that knows the API root, the key, retries
and errors. Transfers of file bytes use ``pool`` instead (no per-request overhead of requests).

The API key is sent as the ``key`` query parameter (what the MLHub API read) on requests for API
paths — never on an absolute URL, so it cannot follow a redirect to a blob store; and a redirect
to another host that echoes a ``key`` parameter back has it removed before it is followed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from ..exceptions import APIError
from ..urls import join, origin, redact_url
from .config import USER_AGENT, resolve_api_key, resolve_root_url
from .errors import error_for
from .retry import RetryPolicy, retrying

DEFAULT_POOL_SIZE = 32  # the most concurrent API requests any command makes (lock --jobs)


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
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        super().__init__()
        self.root_url = resolve_root_url(root_url)
        self._api_key = api_key
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        # The pool holds as many connections as requests run at once, so none is discarded
        # and re-opened under concurrency (urllib3's "Connection pool is full" case).
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def __repr__(self) -> str:  # never the key
        return f"<mlhub_sync.Session {self.root_url} key={'set' if self._api_key else 'none'}>"

    @property
    def has_api_key(self) -> bool:
        return self._api_key is not None

    @property
    def api_key(self) -> str | None:
        """The key, for building a download URL under the API root (never shown)."""
        return self._api_key

    def api_url(self, path: str) -> str:
        return join(self.root_url, path)

    def keyed_url(self, path: str) -> str:
        """The absolute URL of an API path with the key in its query (for the transfer pool)."""
        url = self.api_url(path)
        if not self._api_key:
            return url
        parts = urlsplit(url)
        query = urlencode([*parse_qsl(parts.query), ("key", self._api_key)])
        return urlunsplit(parts._replace(query=query))

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
        try:
            return retrying(
                self.retry,
                self.sleep,
                url,
                lambda: super(Session, self).request(method, url, params=params, **kwargs),
                (requests.ConnectionError, requests.Timeout),
                lambda response: response.status_code,
                lambda response: response.headers.get("Retry-After"),
                lambda response: response.close(),
            )
        except requests.TooManyRedirects:
            raise APIError(f"{redact_url(url)} redirects in a loop; is the URL right?") from None
        except (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL) as exc:
            raise APIError(
                f"{redact_url(url)} redirected to a URL that is not http(s) or not valid "
                f"({type(exc).__name__}); is the URL right?"
            ) from None

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: Any) -> None:
        """On a redirect to another host, drop a ``key`` the server echoed into the target."""
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]
        url = prepared_request.url or ""
        if origin(url) != origin(self.root_url) and "key=" in url:
            parts = urlsplit(url)
            kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "key"]
            prepared_request.url = urlunsplit(parts._replace(query=urlencode(kept)))

    def get_json(self, path: str, what: str, **kwargs: Any) -> Any:
        """GET an API path and decode JSON; errors name ``what`` was asked for."""
        response = self.get(path, **kwargs)
        raise_for_status(response, what)
        try:
            return response.json()
        except (ValueError, RecursionError):
            raise APIError(
                f"{what}: {redact_url(response.url)} answered {response.status_code} "
                "with a body that is not JSON; is MLHUB_ROOT_URL an MLHub API root?",
                response.status_code,
            ) from None


def raise_for_status(response: requests.Response, what: str) -> None:
    """Map an error answer to an exception whose message says what failed and what to do."""
    if response.status_code >= 400:
        head = next(response.iter_content(65536), b"")  # bounded: an error page may be huge
        raise error_for(response.status_code, response.url, response.reason, what, head)


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
