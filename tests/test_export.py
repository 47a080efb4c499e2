"""``mlhub-sync export``: the example mirror as static files, served by nginx with the
configuration the command writes — the original client (radiant-mlhub 0.5.5) passes its
compatibility run against it, and mlhub-sync locks and applies from it with digests stated."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import requests
from nginx import Nginx, free_port
from support import EXAMPLE_MIRROR, REPO, cli
from sync_support import Workspace
from test_original_client import original_client_python  # noqa: F401 (a fixture)

KENYA = "ref_african_crops_kenya_02_labels"


def exported(tmp_path: Path, port: int) -> str:
    """The example mirror exported for http://127.0.0.1:PORT/; the nginx configuration."""
    mirror = tmp_path / "mirror"
    shutil.copytree(EXAMPLE_MIRROR, mirror)
    www, conf = tmp_path / "www", tmp_path / "static.conf"
    base = f"http://127.0.0.1:{port}/"
    result = cli("export", str(mirror), str(www), "--base-url", base, "--nginx-conf", str(conf))
    assert result.returncode == 0, result.stderr
    assert "exported 3 datasets, 4 archives" in result.stdout
    return conf.read_text().replace("listen 80;", f"listen 127.0.0.1:{port};")


def test_an_exported_mirror_behind_nginx_serves_both_clients(
    tmp_path: Path,
    original_client_python: Path,  # noqa: F811
) -> None:
    port = free_port()
    with Nginx(tmp_path / "nginx", http=exported(tmp_path, port), port=port) as nginx:
        api = f"{nginx.origin}/mlhub/v1/"
        # The links were written for the URL given to --base-url: this nginx.
        root = requests.get(api, timeout=10).json()
        assert root["links"][0]["href"] == api
        one = requests.get(api + f"collections/{KENYA}", timeout=10)
        assert one.headers["Content-Type"] == "application/json"
        assert all(link["href"].startswith(api[:-1]) for link in one.json()["links"]
                   if "/mlhub/v1" in link["href"])  # fmt: skip
        blob = requests.head(api + f"archive/{KENYA}", allow_redirects=True, timeout=10)
        assert blob.history[0].status_code == 303
        assert blob.headers["Content-MD5"] and len(blob.headers["X-Checksum-Xxh3-128"]) == 32

        home = tmp_path / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "MLHUB_ROOT_URL": api, "MLHUB_API_KEY": "any"}
        output = tmp_path / "downloads"
        ran = subprocess.run(
            [str(original_client_python), str(REPO / "tests/original_client/exercise.py"),
             str(output)],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr[-3000:]
        report = json.loads(ran.stdout.strip().splitlines()[-1])
        assert report["list_datasets"] == [
            "landcover_demo",
            "ref_african_crops_kenya_02",
            "spacenet_demo",
        ]
        assert report["by_doi"] == "spacenet_demo" and report["archive_size"] == 252_970
        downloaded = Path(report["download_path"])
        assert (
            downloaded.read_bytes()
            == (EXAMPLE_MIRROR / "archives" / f"{KENYA}.tar.gz").read_bytes()
        )

        project = Workspace(tmp_path / "p", api, ["landcover_demo", "spacenet_demo"])
        project.run("lock")
        lock = project.lock.read_text()
        assert lock.count("md5: ") == 3  # stated by the static host, as serve states them
        assert "3 downloaded" in project.run("apply").stdout
        assert project.run("verify").returncode == 0
        assert project.run("lock", "--check", "--remote").returncode == 0
