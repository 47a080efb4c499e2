"""Demo: serve the example mirror and use it as an MLHub API (run via examples/demo.sh)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from mlhub_sync import Dataset

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

        print("\n3. The same through the Python library (the original client's API)")
        dataset = Dataset.fetch("ref_african_crops_kenya_02", root_url=api)
        labels = dataset.collections.labels[0]
        print(
            f"  {dataset.id}: {len(dataset.collections)} collections, "
            f"labels = {labels.id} ({labels.archive_size:,} bytes)"
        )
        with tempfile.TemporaryDirectory() as target:
            path = labels.download(target)
            digest = hashlib.md5(path.read_bytes()).hexdigest()
            print(f"  downloaded {path.name}: {path.stat().st_size:,} bytes, md5 {digest}")
            assert digest == "93949abd0ae82ba564f5a933cefd8215", "differs from the MLHub original"
            print("  matches the MD5 the MLHub blob store published for this archive")
    finally:
        server.terminate()
        server.wait()
    print("\nDone.")


if __name__ == "__main__":
    main()
