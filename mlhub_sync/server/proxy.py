"""The public URL of a mirror behind a proxy: every link and redirect ``serve`` writes is built
from it, so a mirror at ``https://lab.example.org/mlhub-mirror/`` never hands out
``http://127.0.0.1:8000/…``.

Two sources, as in uvicorn and werkzeug: ``--root-path`` (the prefix the proxy serves us
under), and the ``X-Forwarded-Proto/Host/Port/Prefix`` headers — believed only from the
addresses given with ``--trusted-proxy``; anyone else's are dropped, or a client could make
the server sign redirects to a host of its choosing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(addresses: Iterable[str]) -> list[Network]:
    """``--trusted-proxy`` values: addresses or networks (``10.0.0.0/8``); ValueError if not."""
    return [ipaddress.ip_network(address, strict=False) for address in addresses]


class PublicUrls:
    """WSGI middleware: sets ``SCRIPT_NAME`` (and, from trusted proxies, scheme and host) so
    that ``request.url_root`` is the URL clients use."""

    def __init__(
        self, app: WSGIApplication, root_path: str = "", trusted: Iterable[Network] = ()
    ) -> None:
        self.app = app
        self.root_path = "/" + root_path.strip("/") if root_path.strip("/") else ""
        self.trusted = list(trusted)
        self._forwarded = ProxyFix(self._rooted, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        if self._is_trusted(environ.get("REMOTE_ADDR", "")):
            return self._forwarded(environ, start_response)
        for name in [name for name in environ if name.startswith("HTTP_X_FORWARDED_")]:
            del environ[name]
        return self._rooted(environ, start_response)

    def _is_trusted(self, address: str) -> bool:
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(client in network for network in self.trusted)

    def _rooted(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        """``--root-path``, unless a trusted proxy named the prefix; a path the proxy passed
        on with the prefix still in it is routed without it."""
        if self.root_path and not environ.get("SCRIPT_NAME"):
            environ["SCRIPT_NAME"] = self.root_path
            path = environ.get("PATH_INFO", "")
            if path == self.root_path or path.startswith(self.root_path + "/"):
                environ["PATH_INFO"] = path[len(self.root_path) :]
        return self.app(environ, start_response)
