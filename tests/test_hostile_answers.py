"""A server that answers with hostile or broken data: every command ends with one line naming
the server and what was wrong (an exit code from the README's table), never a traceback, and
nothing is written. Run through the real CLI against a scripted loopback server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from loopback import origin_of, serve_in_thread

Reply = tuple[int, object, dict[str, str]]


def dataset(name: str, collections: list[object]) -> dict[str, object]:
    return {"id": name, "title": name, "collections": collections}


def plain(ids: list[str]) -> list[object]:
    return [{"id": c, "types": ["labels"]} for c in ids]


SCRIPTS: dict[str, dict[str, Reply]] = {
    "unsafe-collection-id": {"datasets/d": (200, dataset("d", plain(["../../x"])), {})},
    "collection-without-id": {"datasets/d": (200, dataset("d", [{"types": []}]), {})},
    "collections-not-a-list": {"datasets/d": (200, dataset("d", "c1"), {})},  # type: ignore[arg-type]
    "duplicate-collection": {
        "datasets/d": (200, dataset("d", plain(["c1", "c1"])), {}),
        "archive/c1/info": (200, {"size": 10}, {}),
    },
    "size-not-a-number": {
        "datasets/d": (200, dataset("d", plain(["c1"])), {}),
        "archive/c1/info": (200, {"size": "lots"}, {}),
    },
    "size-missing": {
        "datasets/d": (200, dataset("d", plain(["c1"])), {}),
        "archive/c1/info": (200, {"nosize": 1}, {}),
    },
    "deep-json": {"datasets/d": (200, b"[" * 100_000 + b"]" * 100_000, {})},
    "redirect-to-ftp": {"datasets/d": (302, b"", {"Location": "ftp://127.0.0.1/x"})},
}


class Scripted:
    def __init__(self) -> None:
        self.script: dict[str, Reply] = {}
        self.httpd = serve_in_thread(self._handle)
        self.url = origin_of(self.httpd) + "/mlhub/v1/"

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?")[0].removeprefix("/mlhub/v1/")
        status, body, headers = self.script.get(path, (404, {"detail": "not found"}, {}))
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(data)


@pytest.fixture(scope="module")
def server() -> Iterator[Scripted]:
    running = Scripted()
    yield running
    running.httpd.shutdown()


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlhub_sync", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "MLHUB_HOME": str(folder / ".home"), "HOME": str(folder)},
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert result.returncode in (1, 2, 3) and 1 <= len(lines) <= 2, (result.returncode, lines)
    assert lines[0].startswith("error: "), lines
    return lines[0]


@pytest.mark.parametrize("case", list(SCRIPTS))
def test_info_and_lock_refuse_a_hostile_answer_in_one_line(
    server: Scripted, tmp_path: Path, case: str
) -> None:
    server.script = SCRIPTS[case]
    info = one_line_error(cli(tmp_path, "info", "d", "--api-url", server.url))
    assert "127.0.0.1" in info, info  # names the server
    (tmp_path / "mlhub.yaml").write_text(f"version: 1\napi_url: {server.url}\ndatasets: [d]\n")
    one_line_error(cli(tmp_path, "lock"))
    assert not (tmp_path / "mlhub.lock").exists()


@pytest.mark.parametrize(
    ("argument", "needle"),
    [("../etc", "not a DOI"), ("a/b", "not a DOI"), ("..", "unsafe dataset id"), ("", "unsafe")],
)
def test_bad_dataset_arguments_are_one_line_errors(
    server: Scripted, tmp_path: Path, argument: str, needle: str
) -> None:
    result = cli(tmp_path, "info", argument, "--api-url", server.url)
    assert needle in one_line_error(result) and result.returncode == 2


def test_a_duplicate_collection_is_named(server: Scripted, tmp_path: Path) -> None:
    server.script = SCRIPTS["duplicate-collection"]
    line = one_line_error(cli(tmp_path, "info", "d", "--api-url", server.url))
    assert "lists collection 'c1' twice" in line
