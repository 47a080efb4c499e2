"""What the command line prints: ``-q`` nothing but errors, ``-v`` real debug logging (never a
key), ``--log-file`` with times, ``NO_COLOR`` honoured on a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from support import MirrorServer
from sync_support import Workspace


def stdout_on_terminal(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=follower, stderr=subprocess.DEVNULL)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    process.wait()
    return output.decode(errors="replace")


def test_quiet_verbose_and_the_log_file(tmp_path: Path, sync_server: MirrorServer) -> None:
    work = Workspace(tmp_path / "p", sync_server.url, ["beta"])
    secret = {"MLHUB_API_KEY": "SEKRET-KEY-123"}
    verbose = work.run("-v", "lock", env=secret)
    assert "debug: http://127.0.0.1:" in verbose.stderr
    assert "datasets/beta?key=REDACTED: 200" in verbose.stderr
    assert "SEKRET" not in verbose.stderr + verbose.stdout
    quiet = work.run("-q", "apply", env=secret)
    assert quiet.stdout == "" and quiet.stderr == ""
    log = tmp_path / "run.log"
    work.run("--log-file", str(log), "apply", "--force", env=secret)
    text = log.read_text()
    assert "DEBUG mlhub_sync.sync.apply: plan for data" in text and "SEKRET" not in text
    assert text[:4].isdigit()  # each line starts with its time
    assert "exclude each other" in work.run("-v", "-q", "status", expect=2).stderr


def test_no_color_is_honoured_on_a_terminal(tmp_path: Path, sync_server: MirrorServer) -> None:
    argv = [sys.executable, "-m", "mlhub_sync", "datasets", "--api-url", sync_server.url]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "MLHUB_ROOT_URL")}
    assert "\x1b[1m" in stdout_on_terminal(argv, tmp_path, env)
    assert "\x1b[" not in stdout_on_terminal(argv, tmp_path, {**env, "NO_COLOR": "1"})
