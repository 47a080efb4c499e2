"""The whole tool in one go, on the bundled example data (run via examples/demo.sh):

1. serve examples/mirror as an MLHub API (after `mlhub-sync mirror digest`, so the server
   states MD5 and XXH3 for every archive, as a lab mirror would);
2. in examples/project: `mlhub-sync lock` (a no-op: the committed mlhub.lock is current),
   `mlhub-sync apply` (downloads, verifies, extracts into examples/project/data),
   then `mlhub-sync status`;
3. `apply` once more: in sync, it needs no request and hashes nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
PROJECT = EXAMPLES / "project"
PORT = "8765"  # the api_url in examples/project/mlhub.yaml


def mlhub_sync(*args: str, cwd: Path = PROJECT) -> None:
    print(f"\n$ mlhub-sync {' '.join(args)}", flush=True)
    result = subprocess.run([sys.executable, "-m", "mlhub_sync", *args], cwd=cwd, check=False)
    if result.returncode != 0:
        raise SystemExit(f"mlhub-sync {args[0]} failed with exit code {result.returncode}")


def main() -> None:
    mlhub_sync("mirror", "digest", str(EXAMPLES / "mirror"), cwd=EXAMPLES)
    print(f"\n$ mlhub-sync serve examples/mirror --port {PORT} --quiet &")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlhub_sync",
            "serve",
            str(EXAMPLES / "mirror"),
            "--port",
            PORT,
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        for line in server.stdout:
            print(f"  {line.rstrip()}")
            if line.startswith("API root: "):
                break
        else:
            raise SystemExit("the mirror server did not start (is port 8765 free?)")
        mlhub_sync("datasets", "--api-url", f"http://127.0.0.1:{PORT}/mlhub/v1/")
        mlhub_sync("lock")
        mlhub_sync("apply")
        mlhub_sync("status")
        mlhub_sync("apply")
    finally:
        server.terminate()
        server.wait()
    print(
        f"\nThe data is in {PROJECT / 'data'}; mlhub.yaml and mlhub.lock are what a project "
        "commits."
    )


if __name__ == "__main__":
    main()
