"""The extras as a user installs them: ``pip install 'mlhub-sync[serve]'`` into a fresh venv,
nothing else, and ``serve`` runs. (The dev venv hides a missing dependency: pytest brings
``packaging``, which gunicorn's gevent worker imports; a clean install once lacked it.) And
``serve`` writes nothing to the user's home."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]


def test_the_serve_extra_alone_runs_serve(tmp_path: Path) -> None:
    source = tmp_path / "src"  # built from a copy: pip writes build/ into the tree it builds
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("schemas", "mlhub_sync"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*install, f"{source}[serve]"], check=True, timeout=600)
    mirror = str(REPO / "examples" / "mirror")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"} | {"HOME": str(home)}
    server = subprocess.Popen(
        [str(venv / "bin" / "mlhub-sync"), "serve", mirror, "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        lines: queue.Queue[str] = (
            queue.Queue()
        )  # read in a thread: a silent server cannot hang this
        stdout = server.stdout

        def read() -> None:
            for line in stdout:
                lines.put(line)

        threading.Thread(target=read, daemon=True).start()
        root = ""
        deadline = time.monotonic() + 30
        while not root and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line.startswith("API root: "):
                root = line.removeprefix("API root: ").strip()
        assert root, "serve did not print its API root"
        origin = root.split("/mlhub/v1/")[0]
        assert requests.get(f"{origin}/healthz", timeout=10).status_code == 200
        datasets = requests.get(f"{root}datasets", timeout=10)
        assert datasets.status_code == 200 and datasets.json()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "Traceback" not in err and "ERROR" not in err, err
    assert list(home.iterdir()) == []  # gunicorn's control socket (~/.gunicorn) is not opened
