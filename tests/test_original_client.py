"""The original client, radiant-mlhub 0.5.5 from PyPI, works unmodified against our mirror."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import API_KEY
from support import EXAMPLE_MIRROR, REPO, MirrorServer

ORIGINAL_CLIENT = "radiant-mlhub==0.5.5"
VENV = REPO / ".cache" / "venvs" / "radiant-mlhub-0.5.5"


@pytest.fixture(scope="session")
def original_client_python() -> Path:
    """A venv of its own holding the original client (built once, reused across runs)."""
    python = VENV / "bin" / "python"
    marker = VENV / ".installed"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                ORIGINAL_CLIENT,
            ],
            check=True,
            timeout=600,
        )
        marker.touch()
    return python


def test_original_client_works_unmodified(original_client_python: Path, tmp_path: Path) -> None:
    output = tmp_path / "downloads"
    home = tmp_path / "home"  # no ~/.mlhub/profiles: the key comes from the environment
    home.mkdir()
    with MirrorServer(EXAMPLE_MIRROR, "--api-key", API_KEY) as server:
        env = {
            **os.environ,
            "HOME": str(home),
            "MLHUB_ROOT_URL": server.url,
            "MLHUB_API_KEY": API_KEY,
        }
        result = subprocess.run(
            [
                str(original_client_python),
                str(REPO / "tests/original_client/exercise.py"),
                str(output),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        log = "\n".join(server.log())
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["list_datasets"] == [
        "landcover_demo",
        "ref_african_crops_kenya_02",
        "spacenet_demo",
    ]
    assert report["get_dataset_title"] == "CV4A Kenya Crop Type Competition"
    assert report["collections"] == [
        "ref_african_crops_kenya_02_labels",
        "ref_african_crops_kenya_02_source",
    ]
    assert report["source_imagery"] == ["ref_african_crops_kenya_02_source"]
    assert report["labels"] == ["ref_african_crops_kenya_02_labels"]
    assert report["by_doi"] == "spacenet_demo"
    assert report["spacenet"] == {
        "collections": ["spacenet_demo_aoi_1"],
        "source_imagery": ["spacenet_demo_aoi_1"],
        "labels": ["spacenet_demo_aoi_1"],
    }
    assert report["archive_size"] == 252_970
    assert report["archive_info"]["dataset"] == "landcover_demo"

    for key, collection_id in [
        ("download_path", "ref_african_crops_kenya_02_labels"),
        ("download_path_2", "spacenet_demo_aoi_1"),
    ]:
        downloaded = Path(report[key])
        assert downloaded == output / f"{collection_id}.tar.gz"
        mirrored = EXAMPLE_MIRROR / "archives" / f"{collection_id}.tar.gz"
        assert downloaded.read_bytes() == mirrored.read_bytes()
    # The original client sends its key along to the blob URL; the log must not show it.
    assert API_KEY not in log
    assert " 206 " in log  # it fetched the archive with Range requests
