#!/usr/bin/env python3
"""Run ``examples/deploy/Dockerfile`` without a Docker engine, and check the image it makes.

Its instructions run in order in a Debian bookworm chroot standing in for ``python:3.11-slim``;
then the image's ENTRYPOINT and CMD run as the image's USER, with a mirror at /srv/mlhub (owned
by root, so read-only to that user) and a keys file at /run/secrets/mlhub-keys, as the
Dockerfile's header says to run it; then its HEALTHCHECK, and requests with and without a key.
It found two faults no unit test did: the serve extra lacked gunicorn's gevent extra (the
worker imports ``packaging``), and gunicorn's control socket wrote into the user's home.

Why: no Docker engine runs on the machines this project is built on, and Docker Hub is not
reachable from them (``registry-1.docker.io`` does not resolve). What differs from ``docker
build``: the base — debootstrap's bookworm with Debian's Python 3.11 and pip, made like the
slim image (``python`` on PATH, pip not "externally managed") — and no isolation beyond a
chroot (the host's network and kernel: port 8000 must be free). The host's ``PIP_*`` settings
pass through, as a ``docker build --build-arg`` would pass a proxy or CA.

Needs root, debootstrap. ``tests/deploy/dockerfile_chroot.py [--base DIR] [--image DIR]``: the
base is made once (about a minute) and kept; each run copies it to a fresh image folder.
``tests/test_deploy_image.py`` runs this.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "examples" / "deploy" / "Dockerfile"
MIRROR = REPO / "examples" / "mirror"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
KEY = "chroot-check-key"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in joined]


@dataclass
class Image:
    """What running the built image needs, as the Dockerfile states it."""

    user: str | None = None
    port: int = 8000
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: str = "true"
    env: dict[str, str] = field(default_factory=dict)

    def as_user(self, root: Path, argv: list[str]) -> list[str]:
        who = [f"--userspec={self.user}:{self.user}"] if self.user else []
        return ["chroot", *who, str(root), *argv]


def sh(argv: list[str], env: dict[str, str] | None = None) -> None:
    print("+", shlex.join(argv), flush=True)
    subprocess.run(argv, check=True, env=env)


def make_base(base: Path) -> None:
    """Debian bookworm, Python 3.11, pip — shaped like python:3.11-slim."""
    if (base / "made").exists():
        return
    if base.exists():
        shutil.rmtree(base)
    packages = "python3,python3-pip,python-is-python3,passwd,ca-certificates"
    sh(["debootstrap", "--variant=minbase", f"--include={packages}", "bookworm", str(base)])
    for marker in (base / "usr" / "lib").glob("python3*/EXTERNALLY-MANAGED"):
        marker.unlink()  # the slim image's pip installs system-wide
    (base / "made").write_text("")


def build(root: Path) -> Image:
    """Follow the Dockerfile into ``root``; what running the image needs."""
    env = {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8"}
    env |= {k: v for k, v in os.environ.items() if k.startswith("PIP_") and "FIND_LINKS" not in k}
    if "PIP_CERT" in env:  # the CA a proxy on this host needs, where pip will look for it
        shutil.copy(env["PIP_CERT"], root / "etc" / "mlhub-build-ca.crt")
        env["PIP_CERT"] = "/etc/mlhub-build-ca.crt"
    shutil.copy("/etc/resolv.conf", root / "etc" / "resolv.conf")
    image = Image()
    for name, args in instructions(DOCKERFILE.read_text()):
        if name == "FROM":
            print(f"# FROM {args}: the debootstrap base stands in for it")
        elif name == "RUN":
            sh(image.as_user(root, ["/bin/sh", "-c", args]), env)
        elif name == "COPY":
            *sources, destination = shlex.split(args)
            into = root / destination.lstrip("/")
            for source in sources:
                path = REPO / source
                if path.is_dir():
                    shutil.copytree(path, into, dirs_exist_ok=True)
                else:
                    into.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, into / path.name)
        elif name == "USER":
            image.user = args
        elif name == "ENV":
            key, _, value = args.partition("=")
            env[key.strip()] = value.strip().strip('"')
        elif name == "ENTRYPOINT":
            image.entrypoint = json.loads(args)
        elif name == "CMD":
            image.cmd = json.loads(args)
        elif name == "HEALTHCHECK":
            image.healthcheck = args.split(" CMD ", 1)[1]
        elif name == "EXPOSE":
            image.port = int(args.split("/")[0])
        else:
            raise SystemExit(f"{DOCKERFILE}: {name} is not followed by this check; add it here")
    image.env = {k: v for k, v in env.items() if not k.startswith("PIP_")}
    return image


def request(url: str, key: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10):
            return 200
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:  # not listening yet
        return 0


def run(root: Path, image: Image) -> list[str]:
    """Start the image as documented, check it; the failures, if any."""
    port = image.port
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use here; the image listens on it")
    srv = root / "srv" / "mlhub"
    secrets = root / "run" / "secrets"
    secrets.mkdir(parents=True, exist_ok=True)
    (secrets / "mlhub-keys").write_text(KEY + "\n")
    os.chmod(secrets / "mlhub-keys", 0o644)  # a mounted secret the image's user reads
    shutil.copytree(MIRROR, srv, dirs_exist_ok=True)
    server = subprocess.Popen(image.as_user(root, [*image.entrypoint, *image.cmd]), env=image.env)
    failures = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while request(f"{base}/healthz") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                return [f"the server did not come up (exit {server.poll()})"]
            time.sleep(0.3)
        uid = Path(f"/proc/{server.pid}/status").read_text().split("Uid:")[1].split()[0]
        print(f"# serving as uid {uid}")
        if uid == "0":
            failures.append("the server runs as root")
        healthcheck = image.as_user(root, ["/bin/sh", "-c", image.healthcheck])
        check = subprocess.run(healthcheck, env=image.env, check=False)
        print(f"# HEALTHCHECK exit {check.returncode}")
        if check.returncode != 0:
            failures.append("the HEALTHCHECK fails")
        datasets = request(f"{base}/mlhub/v1/datasets", KEY)
        archive = next(p.stem.split(".")[0] for p in (MIRROR / "archives").glob("*.tar.gz"))
        keyless = request(f"{base}/mlhub/v1/archive/{archive}")
        print(f"# datasets with the key: {datasets}; an archive without it: {keyless}")
        if datasets != 200 or keyless != 401:
            failures.append("keys from the mounted file do not apply")
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()  # not left running in a folder that is deleted next
            server.wait(10)
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cache = REPO / ".cache" / "dockerfile-chroot"
    parser.add_argument("--base", type=Path, default=cache / "base")
    parser.add_argument("--image", type=Path, default=cache / "image")
    args = parser.parse_args()
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        raise SystemExit("needs root and debootstrap (apt-get install debootstrap)")
    base, root = args.base.resolve(), args.image.resolve()
    make_base(base)
    if root.exists():
        shutil.rmtree(root)
    sh(["cp", "-a", str(base), str(root)])
    image = build(root)
    failures = run(root, image)
    if failures:
        raise SystemExit("; ".join(failures))
    print("# the Dockerfile builds, and its image serves as documented")


if __name__ == "__main__":
    main()
