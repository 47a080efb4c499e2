"""The transfer connection pool: keep-alive connections for file bytes, capped per host.

urllib3 directly rather than requests: measured here, 1,000 small GETs cost 2.1 s through a
requests session and 0.9 s through urllib3 (requests adds hooks, cookie and environment merging
to every call). Redirects are not followed here — the engine follows them itself, so a key in
the first URL can never travel to another host — and nothing is retried here: the engine
retries with what it already has on disk.
"""

from __future__ import annotations

import threading
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import urllib3

from .config import DEFAULT_CONNECTIONS, USER_AGENT

CONNECT_TIMEOUT = 10.0

Response = urllib3.BaseHTTPResponse
# Everything a broken connection can raise while a request is sent or a body is read.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (urllib3.exceptions.HTTPError, OSError)


def _ca_bundle() -> str | None:
    try:
        import certifi  # requests' dependency: the same roots for API calls and transfers
    except ImportError:  # pragma: no cover - certifi always comes with requests
        return None
    return certifi.where()


class TransferPool:
    """One per engine run. ``slot(url)`` bounds the connections to one host."""

    def __init__(self, connections: int = DEFAULT_CONNECTIONS, read_timeout: float = 60.0) -> None:
        self.connections = connections
        options: dict[str, Any] = {
            "num_pools": 64,
            "maxsize": connections,
            "retries": False,
            "timeout": urllib3.Timeout(connect=CONNECT_TIMEOUT, read=read_timeout),
            "headers": {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            "ca_certs": _ca_bundle(),
        }
        self._options = options
        self._direct = urllib3.PoolManager(**options)
        self._proxied: dict[str, urllib3.ProxyManager] = {}
        self._proxies = urllib.request.getproxies_environment()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def slot(self, url: str) -> threading.BoundedSemaphore:
        """The semaphore that caps concurrent requests to ``url``'s host."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(self.connections)
            return self._slots[host]

    def _manager_for(self, url: str) -> urllib3.PoolManager:
        """Direct, or through the proxy ``HTTP(S)_PROXY`` names unless ``NO_PROXY`` exempts it."""
        parts = urlsplit(url)
        proxy = self._proxies.get(parts.scheme)
        bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
        if not proxy or bypass(parts.hostname or ""):
            return self._direct
        with self._lock:
            if proxy not in self._proxied:
                self._proxied[proxy] = urllib3.ProxyManager(proxy, **self._options)
            return self._proxied[proxy]

    def open(self, method: str, url: str, headers: dict[str, str]) -> Response:
        """Send one request; the body is left unread (``preload_content=False``)."""
        return self._manager_for(url).urlopen(
            method,
            url,
            headers={**self._options["headers"], **headers},
            redirect=False,
            preload_content=False,
            decode_content=False,
        )

    def close(self) -> None:
        self._direct.clear()
        for manager in self._proxied.values():
            manager.clear()
