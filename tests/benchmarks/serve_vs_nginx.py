"""Benchmark: ``mlhub-sync serve`` beside nginx on the same archive, in one run.

    .venv/bin/python tests/benchmarks/serve_vs_nginx.py [--size-mib 1024] [--runs 5]

Three servers of one file (random bytes, in the page cache, as a busy mirror's would be):
nginx serving it statically; ``serve`` on its own (the signed blob URL); and nginx in front
of ``serve`` with ``--accel-redirect`` (serve checks, nginx sends). curl downloads it to
/dev/null, one stream and four in parallel, alternating servers within each run; each cell
is the median of ``--runs``. ``serve``'s RSS (master + workers, VmRSS sampled every 50 ms) is
the peak during its parallel runs. Needs nginx and curl.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nginx import Nginx  # tests/nginx.py
from support import rss_of_tree

MiB = 1 << 20
ARCHIVE = "bench_archive"


def curl(url: str) -> float:
    started = time.perf_counter()
    subprocess.run(["curl", "-sSfL", "-o", "/dev/null", url], check=True)
    return time.perf_counter() - started


def parallel(url: str, streams: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(streams) as pool:
        list(pool.map(lambda _: curl(url), range(streams)))
    return time.perf_counter() - started


def peak_rss_during(pid: int, action: Callable[[], float]) -> tuple[float, int]:
    """``action``'s result, and the peak RSS of ``pid``'s tree while it ran (every 50 ms)."""
    stop, peak = threading.Event(), [0]

    def sample() -> None:
        while not stop.wait(0.05):
            peak[0] = max(peak[0], rss_of_tree(pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        return action(), peak[0]
    finally:
        stop.set()
        sampler.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    size = args.size_mib * MiB
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        mirror = root / "mirror"
        for folder in ("datasets", "collections", "archives"):
            (mirror / folder).mkdir(parents=True)
        (mirror / "datasets" / "bench.json").write_text(
            f'{{"id": "bench", "collections": [{{"id": "{ARCHIVE}", "types": []}}]}}'
        )
        path = mirror / "archives" / f"{ARCHIVE}.tar.gz"
        block = os.urandom(MiB)
        with path.open("wb") as out:
            for _ in range(args.size_mib):
                out.write(block)
        subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL, check=True)  # warm
        serve = subprocess.Popen(
            [sys.executable, "-m", "mlhub_sync", "serve", str(mirror), "--port", "0", "--quiet",
             "--accel-redirect", "/_archives", "--trusted-proxy", "127.0.0.1"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert serve.stdout is not None
        api = next(line.split()[-1] for line in serve.stdout if line.startswith("API root"))
        origin = api.split("/mlhub/v1/")[0]
        plain = subprocess.Popen(
            [sys.executable, "-m", "mlhub_sync", "serve", str(mirror), "--port", "0", "--quiet"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert plain.stdout is not None
        plain_api = next(line.split()[-1] for line in plain.stdout if line.startswith("API root"))
        front = f"""
    location /static/ {{ alias {mirror}/archives/; }}
    location /_archives/ {{ internal; alias {mirror}/archives/; }}
    location / {{ proxy_pass {origin}; proxy_set_header Host $http_host; }}
"""
        peak = 0
        try:
            with Nginx(root / "nginx", front) as nginx:
                urls = {
                    "nginx (static)": f"{nginx.origin}/static/{ARCHIVE}.tar.gz",
                    "serve": requests.head(plain_api + f"archive/{ARCHIVE}", timeout=10).headers[
                        "Location"
                    ],
                    "nginx + serve (X-Accel-Redirect)": (
                        f"{nginx.origin}/mlhub/v1/archive/{ARCHIVE}"
                    ),
                }
                one: dict[str, list[float]] = {name: [] for name in urls}
                four: dict[str, list[float]] = {name: [] for name in urls}
                for _ in range(args.runs):
                    for name, url in urls.items():
                        one[name].append(curl(url))
                    for name, url in urls.items():
                        four_streams = functools.partial(parallel, url, 4)
                        seconds, used = peak_rss_during(plain.pid, four_streams)
                        four[name].append(seconds)
                        peak = max(peak, used) if name == "serve" else peak
        finally:
            for process in (serve, plain):
                process.terminate()
                process.wait()
    base_one = statistics.median(one["nginx (static)"])
    base_four = statistics.median(four["nginx (static)"])
    print(f"A {args.size_mib} MiB archive over loopback, median of {args.runs} runs "
          f"({os.cpu_count()} cores, Python {sys.version.split()[0]})\n")  # fmt: skip
    print("| server | 1 stream MB/s | x nginx | 4 streams MB/s | x nginx |")
    print("|---|---:|---:|---:|---:|")
    for name in urls:
        s1, s4 = statistics.median(one[name]), statistics.median(four[name])
        print(
            f"| {name} | {size / s1 / 1e6:,.0f} | {base_one / s1:.2f} | "
            f"{4 * size / s4 / 1e6:,.0f} | {base_four / s4:.2f} |"
        )
    print(f"\nserve's peak RSS during its 4-stream runs: {peak / MiB:.0f} MiB")


if __name__ == "__main__":
    main()
