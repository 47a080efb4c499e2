"""Benchmark: a 1 GiB archive over loopback — served to curl, then downloaded by our client.

    .venv/bin/python tests/benchmarks/throughput.py [--size-mib 1024] [--runs 3]

Needs curl (``apt-get install curl``). The archive is real random bytes on disk (read once
to warm the page cache, as a busy mirror's would be). Server peak RSS is VmHWM of its
processes (gunicorn master + worker); client peak RSS is the downloading process's maxrss.
The client writes to a real file (the temporary folder's disk), hashing as it streams:
XXH3-128 always, MD5 too once ``mlhub-sync mirror digest`` made the server state it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

COLLECTION = "bench_archive"


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def curl(url: str, *extra: str) -> tuple[int, float]:
    """Download to /dev/null; returns (bytes, seconds)."""
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{size_download} %{time_total}", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1])


CLIENT = """
import resource, sys, time
from mlhub_sync import client, get_session
session = get_session(root_url=sys.argv[1])
started = time.perf_counter()
path = client.download_archive(sys.argv[2], sys.argv[3], if_exists="overwrite",
                               session=session, progress=False)
seconds = time.perf_counter() - started
print(path.stat().st_size, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def client_download(api: str, target: Path) -> tuple[int, float, int]:
    """Download with mlhub_sync in a fresh process; returns (bytes, seconds, peak RSS KiB)."""
    out = subprocess.run(
        [sys.executable, "-c", CLIENT, api, COLLECTION, str(target)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def timed(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; returns (seconds, its peak RSS in KiB) from wait4's rusage."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return seconds, usage.ru_maxrss


def apply_rows(api: str, workdir: Path) -> list[tuple[str, float, int]]:
    """`mlhub-sync lock` + `apply` of the 1 GiB archive, then a no-op `apply`."""
    project = workdir / "project"
    project.mkdir()
    (project / "mlhub.yaml").write_text(f"version: 1\napi_url: {api}\ndatasets: [bench]\n")
    command = [sys.executable, "-m", "mlhub_sync"]
    subprocess.run([*command, "lock"], cwd=project, check=True, capture_output=True)
    rows = []
    for label in ("apply (download, verify, pin)", "apply again (in sync: no request)"):
        seconds, rss = timed([*command, "apply", "--no-progress"], project)
        rows.append((label, seconds, rss))
    return rows


def build_mirror(root: Path, size: int) -> None:
    for folder in ("datasets", "collections", "archives"):
        (root / folder).mkdir(parents=True)
    (root / "datasets" / "bench.json").write_text(
        json.dumps(
            {
                "id": "bench",
                "title": "Benchmark",
                "collections": [{"id": COLLECTION, "types": ["source_imagery"]}],
            }
        )
    )
    block = os.urandom(1 << 20)
    with (root / "archives" / f"{COLLECTION}.tar.gz").open("wb") as out:
        for _ in range(size >> 20):
            out.write(block)
    with (root / "archives" / f"{COLLECTION}.tar.gz").open("rb") as warm:
        while warm.read(1 << 24):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("curl"):
        sys.exit("curl is needed: apt-get install curl")
    size = args.size_mib << 20
    with tempfile.TemporaryDirectory() as tmp:
        mirror = Path(tmp) / "mirror"
        build_mirror(mirror, size)
        server = subprocess.Popen(
            [sys.executable, "-m", "mlhub_sync", "serve", str(mirror), "--port", "0", "--quiet"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            api = next(line.split()[-1] for line in server.stdout if line.startswith("API root"))
            blob = requests.head(api + f"archive/{COLLECTION}", timeout=10).headers["Location"]
            rows = []
            for run in range(1, args.runs + 1):
                got, seconds = curl(blob)
                assert got == size, (got, size)
                rows.append((f"full GET, run {run}", got, seconds))
            got, seconds = curl(blob, "-r", f"{size // 2}-")
            assert got == size - size // 2
            rows.append(("Range: second half", got, seconds))
            client_rows = []
            for label in (
                "client download (size + XXH3 check)",
                "client download (+ MD5 check, after mirror digest)",
            ):
                if "MD5" in label:
                    subprocess.run(
                        [sys.executable, "-m", "mlhub_sync", "mirror", "digest", str(mirror)],
                        check=True,
                        capture_output=True,
                    )
                got, seconds, client_rss = client_download(api, Path(tmp) / "download")
                assert got == size
                client_rows.append((label, got, seconds, client_rss))
            sync_rows = apply_rows(api, Path(tmp))
            workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            pids = [server.pid, *map(int, workers)]
            rss = {pid: peak_rss_kib(pid) for pid in pids}
        finally:
            server.terminate()
            server.wait()
    print(
        f"Serving a {args.size_mib} MiB archive to curl over loopback "
        f"({os.cpu_count()} cores, Python {sys.version.split()[0]})\n"
    )
    print("| transfer | bytes | seconds | MB/s |")
    print("|---|---:|---:|---:|")
    for label, got, seconds in rows:
        print(f"| {label} | {got:,} | {seconds:.3f} | {got / seconds / 1e6:,.0f} |")
    print("\n| client (mlhub_sync.client.download_archive) | seconds | MB/s | peak RSS (MiB) |")
    print("|---|---:|---:|---:|")
    for label, got, seconds, client_rss in client_rows:
        print(f"| {label} | {seconds:.3f} | {got / seconds / 1e6:,.0f} | {client_rss / 1024:.1f} |")
    print("\n| mlhub-sync CLI | seconds | peak RSS (MiB) |")
    print("|---|---:|---:|")
    for label, seconds, peak in sync_rows:
        print(f"| {label} | {seconds:.3f} | {peak / 1024:.1f} |")
    print("\n| server process | peak RSS (MiB) |")
    print("|---|---:|")
    for n, (pid, kib) in enumerate(rss.items()):
        print(f"| {'master' if n == 0 else 'worker'} (pid {pid}) | {kib / 1024:.1f} |")


if __name__ == "__main__":
    main()
