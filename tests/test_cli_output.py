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


def test_on_windows_the_tool_says_it_is_unsupported_in_one_line(tmp_path: Path) -> None:
    """Run for real with ``os.name`` as Windows reports it (set once the package is imported:
    pathlib on Linux cannot make Windows paths): one line, exit 2, before any command module
    (which imports ``fcntl``) is loaded."""
    code = "import os, sys; from mlhub_sync.cli import main; os.name = 'nt'; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", code, "apply"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: mlhub-sync runs on Linux and macOS, not yet on Windows; use WSL"
    )
    assert list(tmp_path.iterdir()) == []
