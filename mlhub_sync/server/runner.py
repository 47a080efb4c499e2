"""Run the mirror app under gunicorn, with the gevent worker of ``worker.py``.

Why gunicorn: it hands ``wsgi.file_wrapper`` bodies to ``sendfile()``, honouring the file
offset and Content-Length, so a 70 GB archive — or a range of it — is served zero-copy with
a flat RSS. Slow clients cannot hold it (``worker.py``): a request head must be complete
within ``keepalive`` seconds, and is bounded in size (line, fields, field size). We bind the
listening socket ourselves and pass it as ``fd://N``: a busy port becomes a one-line error,
and port 0 gets its real number printed.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

from ..exceptions import ConfigError
from .app import API_PREFIX
from .logs import AccessLogger, QuietAccessLogger

# Settings of gunicorn releases newer than the oldest we accept (22).
NEWER_SETTINGS = {"control_socket_disable"}  # 25.1


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    connections: int = 1000  # per worker (each download holds two descriptors)
    send_timeout: float = 60.0  # seconds a client may take no bytes (worker.SEND_TIMEOUT)
    quiet: bool = False
    verbose: bool = False


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind and listen, turning the usual failures into a one-line ``ConfigError``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} on {host} is already in use; stop the other server or pick "
                "another with --port (0 picks a free one)"
            ) from None
        if exc.errno == errno.EACCES:
            raise ConfigError(
                f"not allowed to listen on {host}:{port}; ports below 1024 need privileges, "
                "use --port 8000 or higher"
            ) from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def root_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{API_PREFIX}/"


class _GunicornApplication(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Callable[..., Any], settings: dict[str, Any]) -> None:
        self._app = app
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._settings.items():
            if name in NEWER_SETTINGS and name not in self.cfg.settings:
                continue  # older than the gunicorn that added it: nothing to turn off
            self.cfg.set(name, value)

    def load(self) -> Callable[..., Any]:
        return self._app


def serve(app: Callable[..., Any], options: ServeOptions, announce: Callable[[str], None]) -> None:
    """Bind, announce the API root URL, then run gunicorn until it is stopped (SIGINT/SIGTERM)."""
    sock = bind_socket(options.host, options.port)
    announce(root_url(sock))
    # gunicorn owns the descriptor from here on (it closes it on shutdown, and forked
    # workers unwind through this frame): detach so Python never closes it twice.
    fd = sock.detach()
    from . import worker

    worker.SEND_TIMEOUT = options.send_timeout  # workers fork from this process
    settings = {
        "bind": [f"fd://{fd}"],
        "workers": options.workers,
        "worker_class": "mlhub_sync.server.worker.Worker",
        "worker_connections": options.connections,
        # The app (with its URL-signing secret) is built once, before workers fork.
        "preload_app": True,
        "graceful_timeout": 5,
        "timeout": 30,  # a worker whose loop stalls that long is restarted
        "keepalive": 10,  # seconds for a request head to arrive, and for an idle connection
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
        "proc_name": "mlhub-sync-serve",
        # gunicorn >= 25.1 opens a control socket in ~/.gunicorn/ by default: a file written
        # outside the mirror, shared by two servers of one user, and an error under a service
        # user with no home (seen running the Dockerfile's image: tests/deploy/).
        "control_socket_disable": True,
        "loglevel": "info" if options.verbose else "warning",
        "errorlog": "-",
        "logger_class": QuietAccessLogger if options.quiet else AccessLogger,
    }
    _GunicornApplication(app, settings).run()
