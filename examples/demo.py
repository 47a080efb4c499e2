"""Demo: serve the example mirror and use it as an MLHub API (run via examples/demo.sh)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

EXAMPLES = Path(__file__).resolve().parent


def start_mirror() -> tuple[subprocess.Popen[str], str]:
    """``mlhub-sync serve examples/mirror --port 0``; returns the process and its API root."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlhub_sync",
            "serve",
            str(EXAMPLES / "mirror"),
            "--port",
            "0",
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:
        print(f"  serve | {line.rstrip()}")
        if line.startswith("API root: "):
            return server, line.removeprefix("API root: ").strip()
    raise SystemExit("the mirror server did not start")


def main() -> None:
    print("1. Serving the example mirror")
    server, api = start_mirror()
    try:
        print("\n2. Datasets it publishes")
        for dataset in requests.get(api + "datasets", timeout=10).json():
            types = ", ".join(f"{c['id']} ({'+'.join(c['types'])})" for c in dataset["collections"])
            print(f"  {dataset['id']:28} {dataset['title']}\n  {'':28} {types}")

        collection_id = "ref_african_crops_kenya_02_labels"
        info = requests.get(api + f"archive/{collection_id}/info", timeout=10).json()
        print(f"\n3. Downloading {collection_id} ({info['size']:,} bytes) through the redirect")
        with tempfile.TemporaryDirectory() as target:
            path = Path(target) / f"{collection_id}.tar.gz"
            with requests.get(api + f"archive/{collection_id}", stream=True, timeout=30) as r:
                r.raise_for_status()
                print(
                    f"  {r.history[0].status_code} -> {r.url.split('?')[0]}?expires=…&signature=…"
                )
                with path.open("wb") as out:
                    for chunk in r.iter_content(1 << 20):
                        out.write(chunk)
            digest = hashlib.md5(path.read_bytes()).hexdigest()
            print(f"  {path.stat().st_size:,} bytes, md5 {digest}")
            assert path.stat().st_size == info["size"]
            assert digest == "93949abd0ae82ba564f5a933cefd8215", "differs from the MLHub original"
            print("  matches the MD5 the MLHub blob store published for this archive")
    finally:
        server.terminate()
        server.wait()
    print("\nDone.")


if __name__ == "__main__":
    main()
