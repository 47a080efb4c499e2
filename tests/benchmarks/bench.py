"""Benchmark: mlhub-sync beside curl, aria2c and radiant-mlhub 0.5.5, in one run, against nginx.

    .venv/bin/python tests/benchmarks/bench.py [--runs 3] [--only NAME ...]

Needs nginx, curl, aria2c and GNU time (``apt-get install nginx curl aria2 time``);
radiant-mlhub 0.5.5 is installed into ``.cache/venvs`` on first use (as the compatibility test
does). nginx serves a
static MLHub API on loopback (``datasets/<id>`` as JSON, ``archive/<id>`` as the bytes), so
every tool talks to the same server; ``/throttled/`` is the same tree with ``limit_rate 20m``
(per connection, as object stores and CDNs limit), and a small proxy adds 50 ms to every
request for the latency case. Each cell is the median of ``--runs`` runs; tools alternate
within a run and the page cache is synced between them. Peak RSS is the process's maxrss.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ORIGINAL_VENV = REPO / ".cache" / "venvs" / "radiant-mlhub-0.5.5"
MiB = 1 << 20
NGINX_CONF = """
worker_processes 2;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log {root}/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  server {{
    listen 127.0.0.1:{port};
    root {root}/www;
    location /mlhub/v1/datasets/ {{ default_type application/json; }}
    location /throttled/ {{ limit_rate 20m; alias {root}/www/mlhub/v1/; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Nginx:
    """A static MLHub API: ``add_dataset`` writes what ``lock`` and the clients read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.api = root / "www" / "mlhub" / "v1"
        (self.api / "datasets").mkdir(parents=True)
        (self.api / "archive").mkdir()
        self.port = free_port()
        (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=self.port))
        self.process = subprocess.Popen(["nginx", "-c", str(root / "nginx.conf")])
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/mlhub/v1/"
        self.throttled = f"http://127.0.0.1:{self.port}/throttled/"

    def add_dataset(self, dataset_id: str, archives: dict[str, bytes | int]) -> None:
        """Archives given as bytes, or as a size (random bytes, written in 1 MiB blocks)."""
        collections = [{"id": name, "types": ["labels"]} for name in archives]
        body = {"id": dataset_id, "title": dataset_id, "collections": collections}
        (self.api / "datasets" / dataset_id).write_text(json.dumps(body))
        for name, content in archives.items():
            path = self.api / "archive" / name
            if isinstance(content, bytes):
                path.write_bytes(content)
                continue
            with path.open("wb") as out:
                for _ in range(content // MiB):
                    out.write(os.urandom(MiB))
            with path.open("rb") as warm:  # a busy mirror has it in its page cache
                while warm.read(16 * MiB):
                    pass

    def requests(self) -> int:
        path = self.root / "access.log"
        return len(path.read_text().splitlines()) if path.exists() else 0

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


class DelayProxy:
    """Adds ``delay`` seconds before forwarding each request (keep-alive kept both sides)."""

    def __init__(self, upstream_port: int, delay: float) -> None:
        self.upstream_port, self.delay = upstream_port, delay
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", self.port, backlog=1024)
        )
        ready.set()
        self.loop.run_until_complete(server.serve_forever())

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self.upstream_port
        )
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                await asyncio.sleep(self.delay)
                upstream_writer.write(head)
                response = await upstream_reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in response.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                is_head = head.startswith(b"HEAD ")
                body = b"" if is_head else await upstream_reader.readexactly(length)
                writer.write(response + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            upstream_writer.close()


@dataclass
class Row:
    case: str
    tool: str
    seconds: list[float]
    rss_kib: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed(
    argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int]:
    """(seconds, peak RSS KiB) of one command, which must succeed.

    The RSS comes from GNU time, which execs the command from a small process: a child forked
    from this (large) benchmark process would report this process's size as its own peak.
    """
    subprocess.run(["sync"], check=True)
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", report.name, *argv]
        started = time.perf_counter()
        result = subprocess.run(
            wrapped, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"{argv} failed: {result.stderr.decode()[-2000:]}")
        return seconds, int(report.read().split()[-1])


def installed_python() -> str:
    """A venv with mlhub-sync installed as users install it (a wheel, not an editable
    install, whose import hooks cost every command ~25 ms), refreshed from this checkout."""
    venv = REPO / ".cache" / "venvs" / "bench"
    python = venv / "bin" / "python"
    quiet = ["-q", "--disable-pip-version-check"]
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", *quiet, str(REPO)], check=True)
    else:
        refresh = ["--no-deps", "--force-reinstall", str(REPO)]
        subprocess.run([str(python), "-m", "pip", "install", *quiet, *refresh], check=True)
    return str(python)


PYTHON = installed_python() if __name__ == "__main__" else sys.executable
MLHUB = [PYTHON, "-m", "mlhub_sync"]
LIBRARY = """
import sys
from mlhub_sync import client, get_session
session = get_session(root_url=sys.argv[1])
client.download_archive(sys.argv[2], sys.argv[3], if_exists="overwrite", session=session,
                        progress=False)
"""
ORIGINAL = """
import sys
from radiant_mlhub import client
for name in sys.argv[2:]:
    client.download_collection_archive(name, sys.argv[1], if_exists="overwrite")
"""


def original_python() -> Path:
    python = ORIGINAL_VENV / "bin" / "python"
    if not (ORIGINAL_VENV / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(ORIGINAL_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "radiant-mlhub==0.5.5"], check=True
        )
        (ORIGINAL_VENV / ".installed").touch()
    return python


def locked(folder: Path) -> None:
    """``mlhub-sync lock`` in ``folder`` (set-up, not timed)."""
    result = subprocess.run([*MLHUB, "lock"], cwd=folder, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"lock failed in {folder}: {result.stderr}")


def project(folder: Path, api: str, datasets: list[str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "mlhub.yaml").write_text(
        f"version: 1\napi_url: {api}\ndatasets: {json.dumps(datasets)}\n"
    )
    return folder


def clean(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


Case = Callable[[Nginx, Path, int], list[Row]]


def run_case(runs: int, tools: dict[str, Callable[[], tuple[float, int]]], case: str) -> list[Row]:
    rows = {tool: Row(case, tool, [], 0) for tool in tools}
    for _ in range(runs):
        for tool, run in tools.items():
            seconds, rss = run()
            rows[tool].seconds.append(seconds)
            rows[tool].rss_kib = max(rows[tool].rss_kib, rss)
    return list(rows.values())


def throttled(nginx: Nginx, work: Path, runs: int) -> list[Row]:
    """256 MiB, the server limiting each connection to 20 MB/s."""
    nginx.add_dataset("t256", {"t256_a": 256 * MiB})
    api, out = nginx.throttled, work / "out"
    sync = project(work / "p256", api, ["t256"])
    locked(sync)
    original = str(original_python())
    env = {**os.environ, "MLHUB_ROOT_URL": api, "MLHUB_API_KEY": "bench"}
    aria = ["aria2c", "-q", "-x16", "-s16", "--allow-overwrite=true", "-d", str(out)]
    tools = {
        "aria2c -x16 -s16": lambda: timed([*aria, f"{api}archive/t256_a"], clean(out)),
        "mlhub-sync library": lambda: timed(
            [PYTHON, "-c", LIBRARY, api, "t256_a", str(clean(out))]
        ),
        "mlhub-sync apply": lambda: timed([*MLHUB, "apply", "--no-progress"], _fresh_data(sync)),
        "radiant-mlhub 0.5.5": lambda: timed(
            [original, "-c", ORIGINAL, str(clean(out)), "t256_a"], env=env
        ),
    }
    return run_case(runs, tools, "256 MiB, 20 MB/s per connection")


def unthrottled(nginx: Nginx, work: Path, runs: int) -> list[Row]:
    """1 GiB as fast as loopback and the disk allow, written to a file by every tool."""
    nginx.add_dataset("g1", {"g1_a": 1024 * MiB})
    api, out = nginx.url, work / "out"
    sync = project(work / "p1g", api, ["g1"])
    locked(sync)
    tools = {
        "curl -o": lambda: timed(
            ["curl", "-s", "-o", str(clean(out) / "g1_a"), f"{api}archive/g1_a"]
        ),
        "mlhub-sync library": lambda: timed([PYTHON, "-c", LIBRARY, api, "g1_a", str(clean(out))]),
        "mlhub-sync apply": lambda: timed([*MLHUB, "apply", "--no-progress"], _fresh_data(sync)),
    }
    return run_case(runs, tools, "1 GiB, unthrottled")


def _fresh_data(folder: Path) -> Path:
    shutil.rmtree(folder / "data", ignore_errors=True)
    return folder


def small_files(nginx: Nginx, work: Path, runs: int, count: int) -> list[Row]:
    """``count`` archives of 1 KiB: the per-file cost. Then the in-sync apply of all of them."""
    dataset = f"s{count}"
    names = [f"{dataset}_{i:05d}" for i in range(count)]
    nginx.add_dataset(dataset, {name: os.urandom(1024) for name in names})
    api, out = nginx.url, work / "out"
    sync = project(work / f"p{count}", api, [dataset])
    locked(sync)
    listing = work / f"list{count}.txt"
    listing.write_text("".join(f"{api}archive/{name}\n" for name in names))
    aria = ["aria2c", "-q", "-j16", "--allow-overwrite=true", "-i", str(listing)]
    tools = {
        "aria2c -j16 -i": lambda: timed([*aria, "-d", str(clean(out))]),
        "mlhub-sync apply": lambda: timed([*MLHUB, "apply", "--no-progress"], _fresh_data(sync)),
    }
    if count <= 1000:
        original = str(original_python())
        env = {**os.environ, "MLHUB_ROOT_URL": api, "MLHUB_API_KEY": "bench"}
        tools["radiant-mlhub 0.5.5 (loop)"] = lambda: timed(
            [original, "-c", ORIGINAL, str(clean(out)), *names], env=env
        )
    rows = run_case(runs, tools, f"{count:,} files of 1 KiB, first apply")
    before = nginx.requests()
    in_sync = run_case(
        runs,
        {"mlhub-sync apply": lambda: timed([*MLHUB, "apply", "--no-progress"], sync)},
        f"{count:,} archives, in-sync apply",
    )
    in_sync[0].tool += f" ({nginx.requests() - before} requests)"
    return rows + in_sync


def lock_latency(nginx: Nginx, work: Path, runs: int) -> list[Row]:
    """``lock`` of 100 datasets, every request delayed by 50 ms."""
    ids = [f"l{i:03d}" for i in range(100)]
    for dataset in ids:
        nginx.add_dataset(dataset, {f"{dataset}_a": os.urandom(1024)})
    proxy = DelayProxy(nginx.port, 0.05)
    api = f"http://127.0.0.1:{proxy.port}/mlhub/v1/"
    sync = project(work / "plock", api, ids)

    def fresh_lock() -> tuple[float, int]:
        (sync / "mlhub.lock").unlink(missing_ok=True)
        return timed([*MLHUB, "lock"], sync)

    return run_case(runs, {"mlhub-sync lock": fresh_lock}, "lock, 100 datasets, +50 ms latency")


CASES: dict[str, Callable[[Nginx, Path, int], list[Row]]] = {
    "throttled": throttled,
    "unthrottled": unthrottled,
    "files1000": lambda n, w, r: small_files(n, w, r, 1000),
    "files10000": lambda n, w, r: small_files(n, w, r, 10000),
    "lock": lock_latency,
}


def render(rows: list[Row]) -> str:
    peers = {"256": "aria2c -x16 -s16", "1 GiB": "curl -o", "files of": "aria2c -j16 -i"}
    lines = [
        "| case | tool | seconds (median) | ratio | peak RSS |",
        "|---|---|---:|---:|---:|",
    ]
    for row in rows:
        peer = next(
            (
                r
                for key, name in peers.items()
                if key in row.case
                for r in rows
                if r.case == row.case and r.tool == name
            ),
            None,
        )
        ratio = f"{row.median / peer.median:.2f}" if peer and peer is not row else ""
        runs = " / ".join(f"{s:.2f}" for s in row.seconds)
        lines.append(
            f"| {row.case} | {row.tool} | {row.median:.2f} ({runs}) | {ratio} | "
            f"{row.rss_kib / 1024:.0f} MiB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=list(CASES), default=list(CASES))
    args = parser.parse_args()
    for tool in ("nginx", "curl", "aria2c", "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install nginx curl aria2 time")
    with tempfile.TemporaryDirectory(dir=REPO / ".cache") as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # nginx's workers run as another user
        nginx = Nginx(root / "nginx")
        rows: list[Row] = []
        try:
            for name in args.only:
                rows += CASES[name](nginx, root / "work", args.runs)
                print(render(rows), flush=True, file=sys.stderr)
        finally:
            nginx.stop()
    print(f"\n{os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    print(render(rows))


if __name__ == "__main__":
    main()
