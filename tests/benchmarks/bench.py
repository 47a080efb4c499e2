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
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from servers import DelayProxy, Nginx

REPO = Path(__file__).resolve().parents[2]
ORIGINAL_VENV = REPO / ".cache" / "venvs" / "radiant-mlhub-0.5.5"
MiB = 1 << 20


@dataclass
class Row:
    case: str
    tool: str
    seconds: list[float]
    rss_kib: int
    cpu: list[float] = field(default_factory=list)  # user + system seconds of the process

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


Timing = tuple[float, int, float]


def timed(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Timing:
    """(seconds, peak RSS KiB, CPU seconds) of one command, which must succeed.

    The RSS comes from GNU time, which execs the command from a small process: a child forked
    from this (large) benchmark process would report this process's size as its own peak.
    """
    subprocess.run(["sync"], check=True)
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = ["/usr/bin/time", "-f", "%M %U %S", "-o", report.name, *argv]
        started = time.perf_counter()
        result = subprocess.run(
            wrapped, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"{argv} failed: {result.stderr.decode()[-2000:]}")
        rss, user, system = report.read().split()[-3:]
        return seconds, int(rss), float(user) + float(system)


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


def run_case(runs: int, tools: dict[str, Callable[[], Timing]], case: str) -> list[Row]:
    rows = {tool: Row(case, tool, [], 0) for tool in tools}
    for _ in range(runs):
        for tool, run in tools.items():
            seconds, rss, cpu = run()
            rows[tool].seconds.append(seconds)
            rows[tool].cpu.append(cpu)
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

    def fresh_lock() -> Timing:
        (sync / "mlhub.lock").unlink(missing_ok=True)
        return timed([*MLHUB, "lock"], sync)

    return run_case(runs, {"mlhub-sync lock": fresh_lock}, "lock, 100 datasets, +50 ms latency")


def loose_files(nginx: Nginx, work: Path, runs: int) -> list[Row]:
    """Loose files from an S3-dialect listing: the first apply of 10,000 (beside aria2c on the
    same URLs); ``lock`` of a 100,000-file listing; the in-sync apply of 100,000 files."""
    endpoint = f"http://127.0.0.1:{nginx.port}/s3"
    urls = nginx.add_objects("k10", 10_000)
    listing = work / "loose10k.txt"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("".join(url + "\n" for url in urls))
    small = _loose_project(work / "loose10k", endpoint, "k10")
    locked(small)
    out = work / "out"
    aria = ["aria2c", "-q", "-j16", "--allow-overwrite=true", "-i", str(listing)]
    rows = run_case(
        runs,
        {
            "aria2c -j16 -i": lambda: timed([*aria, "-d", str(clean(out))]),
            "mlhub-sync apply": lambda: timed(
                [*MLHUB, "apply", "--no-progress"], _fresh_data(small)
            ),
        },
        "10,000 loose files of 1 KiB (S3 listing), first apply",
    )
    nginx.add_objects("k100", 100_000)
    big = _loose_project(work / "loose100k", endpoint, "k100")

    def fresh_lock() -> Timing:
        (big / "mlhub.lock").unlink(missing_ok=True)
        return timed([*MLHUB, "lock"], big)

    rows += run_case(runs, {"mlhub-sync lock": fresh_lock}, "lock, 100,000-file listing")
    subprocess.run([*MLHUB, "apply", "--no-progress"], cwd=big, check=True, capture_output=True)
    before = nginx.requests()
    in_sync = run_case(
        runs,
        {"mlhub-sync apply": lambda: timed([*MLHUB, "apply", "--no-progress"], big)},
        "100,000 loose files, in-sync apply",
    )
    in_sync[0].tool += f" ({nginx.requests() - before} requests)"
    return rows + in_sync


def _loose_project(folder: Path, endpoint: str, prefix: str) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = {"url": f"s3://bench/{prefix}/", "endpoint": endpoint}
    (folder / "mlhub.yaml").write_text(
        "version: 1\ndatasets:\n  - id: loose\n    source: " + json.dumps(source) + "\n"
    )
    return folder


CASES: dict[str, Callable[[Nginx, Path, int], list[Row]]] = {
    "throttled": throttled,
    "unthrottled": unthrottled,
    "files1000": lambda n, w, r: small_files(n, w, r, 1000),
    "files10000": lambda n, w, r: small_files(n, w, r, 10000),
    "lock": lock_latency,
    "loose": loose_files,
}


def render(rows: list[Row]) -> str:
    peers = {
        "256": "aria2c -x16 -s16",
        "1 GiB": "curl -o",
        "files of": "aria2c -j16 -i",
        "loose files": "aria2c -j16 -i",
    }
    lines = [
        "| case | tool | seconds (median) | ratio | CPU s | peak RSS |",
        "|---|---|---:|---:|---:|---:|",
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
            f"{statistics.median(row.cpu):.2f} | {row.rss_kib / 1024:.0f} MiB |"
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
