"""A real nginx for the tests of ``serve`` behind it: a configuration written per test, on a
free loopback port. ``.ci/run`` installs nginx; where it is installed (``tests/run.sh``
exports ``MLHUB_TEST_REQUIRE_NGINX=1``) a test that cannot start it fails instead of
skipping."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

CONF = """
worker_processes 1;
daemon off;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log {root}/access.log;
  client_body_temp_path {root}/temp/body;
  proxy_temp_path {root}/temp/proxy;
  fastcgi_temp_path {root}/temp/fastcgi;
  uwsgi_temp_path {root}/temp/uwsgi;
  scgi_temp_path {root}/temp/scgi;
  sendfile on;
  default_type application/octet-stream;
{http}
}}
"""
SERVER = """
  server {{
    listen 127.0.0.1:{port};
{server}
  }}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Nginx:
    """``nginx -c`` with ``server`` (the body of one server block) on ``self.port`` — or,
    given ``http``, that text in the ``http`` block as it is (``{port}`` filled in)."""

    def __init__(
        self, root: Path, server: str = "", http: str | None = None, port: int | None = None
    ) -> None:
        if shutil.which("nginx") is None:
            if os.environ.get("MLHUB_TEST_REQUIRE_NGINX"):
                pytest.fail("nginx is required (MLHUB_TEST_REQUIRE_NGINX) but not installed")
            pytest.skip("nginx is not installed (.ci/run installs it)")
        root.mkdir(parents=True, exist_ok=True)
        (root / "temp").mkdir(exist_ok=True)
        self.root = root
        self.port = port or free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        user = "user root;" if os.geteuid() == 0 else ""  # workers read the test's files
        block = SERVER.format(port=self.port, server=server) if http is None else http
        conf = CONF.format(root=root, user=user, http=block.replace("{port}", str(self.port)))
        (root / "nginx.conf").write_text(conf)
        self.process = subprocess.Popen(
            ["nginx", "-p", str(root), "-c", str(root / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.close()
        log = root / "error.log"
        said = log.read_text() if log.exists() else ""
        if self.process.stderr is not None:
            said += self.process.stderr.read().decode(errors="replace")
        raise RuntimeError(f"nginx did not start: {said[-500:]}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self) -> Nginx:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
