"""Test helpers: a real ``mlhub-sync serve`` subprocess and mirrors built on disk."""

from __future__ import annotations

import io
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
API_PREFIX = "/mlhub/v1"
CONTRACT = REPO / "tests" / "contract"
EXAMPLE_MIRROR = REPO / "examples" / "mirror"
KENYA_LABELS = "ref_african_crops_kenya_02_labels"
KENYA_ARCHIVE = EXAMPLE_MIRROR / "archives" / f"{KENYA_LABELS}.tar.gz"


def contract(name: str) -> Any:
    """A recorded API response body (JSON) from tests/contract/."""
    return json.loads((CONTRACT / name).read_text())


def cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``mlhub-sync ARGS`` as a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "mlhub_sync", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


class MirrorServer:
    """``mlhub-sync serve MIRROR --port 0`` in a subprocess, with its access log captured."""

    def __init__(self, mirror: Path, *args: str, env: dict[str, str] | None = None) -> None:
        """``--api-key KEY`` pairs in ``args`` go to the server through its environment
        (``MLHUB_SERVE_API_KEYS``), the way keys reach it: never on its command line."""
        keys, rest, given = [], [], iter(args)
        for arg in given:
            if arg == "--api-key":
                keys.append(next(given))
            else:
                rest.append(arg)
        if keys:
            env = {**(env or os.environ), "MLHUB_SERVE_API_KEYS": " ".join(keys)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mlhub_sync", "serve", str(mirror), "--port", "0", *rest],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._stdout: queue.Queue[str] = queue.Queue()
        self._log: list[str] = []
        threading.Thread(
            target=self._pump, args=(self.process.stdout, self._stdout.put), daemon=True
        ).start()
        threading.Thread(
            target=self._pump, args=(self.process.stderr, self._log.append), daemon=True
        ).start()
        self.url = self._wait_for_root_url()
        self.origin = self.url.split("/mlhub/v1/")[0]

    @staticmethod
    def _pump(stream: io.TextIOBase | None, sink: Callable[[str], None]) -> None:
        assert stream is not None
        for line in stream:
            sink(line.rstrip("\n"))

    def _wait_for_root_url(self, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._stdout.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    time.sleep(0.2)
                    raise RuntimeError(f"server exited: {' | '.join(self._log)}") from None
                continue
            if line.startswith("API root: "):
                return line.removeprefix("API root: ").strip()
        raise RuntimeError("server did not print its API root in time")

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> list[str]:
        return list(self._log)

    def requests(self) -> list[str]:
        """The access-log lines so far (a line per request; warnings left out)."""
        return [line for line in self._log if f" {API_PREFIX}/" in line]

    def wait_for_log(
        self, predicate: Callable[[str], bool], timeout: float = 5, count: int = 1
    ) -> list[str]:
        """Access-log lines matching ``predicate``, once ``count`` are there (or time is up).

        A line is written just after its response, so a client may be a moment ahead of it.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = [line for line in self._log if predicate(line)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> MirrorServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2))


def make_archive(files: dict[str, bytes]) -> bytes:
    """A gzipped tarball holding ``files`` (name → bytes)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def build_recorded_mirror(root: Path) -> Path:
    """A mirror of the recorded API objects; archives with their recorded sizes.

    The BigEarthNet archives are sparse files of their real sizes (71 GB and 173 MB), so
    ``archive/{id}/info`` must match the recordings exactly without using the disk.
    """
    staging = "GET_200_staging_mlhub_v1_datasets_"
    datasets = {
        "bigearthnet_v1": "GET_200_api_mlhub_v1_datasets_bigearthnet_v1.json",
        "ref_african_crops_kenya_02": f"{staging}ref_african_crops_kenya_02.json",
        "nasa_marine_debris": f"{staging}nasa_marine_debris.json",
        "idiv_asia_crop_type": f"{staging}doi_10.6084_m9.figshare.12047478.v2.json",
    }
    collections = {
        "bigearthnet_v1_source": "GET_200_api_mlhub_v1_collections_bigearthnet_v1_source.json",
        "bigearthnet_v1_labels": "GET_200_api_mlhub_v1_collections_bigearthnet_v1_labels.json",
        KENYA_LABELS: "GET_200_staging_mlhub_v1_collections_ref_african_crops_kenya_02_labels.json",
    }
    for dataset_id, name in datasets.items():
        write_json(root / "datasets" / f"{dataset_id}.json", contract(name))
    for collection_id, name in collections.items():
        write_json(root / "collections" / f"{collection_id}.json", contract(name))
    archives = root / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(KENYA_ARCHIVE, archives / KENYA_ARCHIVE.name)
    for collection_id in ("bigearthnet_v1_source", "bigearthnet_v1_labels"):
        size = contract(f"GET_200_api_mlhub_v1_archive_{collection_id}_info.json")["size"]
        with (archives / f"{collection_id}.tar.gz").open("wb") as sparse:
            sparse.truncate(size)
    return root


def run_on_terminal(
    argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run ``argv`` with stderr on a 120-column pseudo-terminal; returns (exit code, stderr)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(), output.decode(errors="replace")


def worker_pids(server_pid: int) -> list[int]:
    """gunicorn's worker processes: the children of the server process (Linux /proc)."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def bytes_read(pid: int) -> int:
    """Bytes a process has read through read()-like calls (``rchar`` in /proc/PID/io)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise RuntimeError(f"no rchar for {pid}")


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically, as a mirror operator would (new inode)."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def rss_of_tree(pid: int) -> int:
    """Resident bytes of ``pid`` and its children (gunicorn's master and workers)."""
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for each in [pid, *map(int, children)]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total
