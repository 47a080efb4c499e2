"""The read-only commands through real subprocesses against a real mirror."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import API_KEY
from support import EXAMPLE_MIRROR, MirrorServer, cli
from test_server_cli import assert_one_line_error


@pytest.fixture(scope="module")
def example_server() -> Iterator[MirrorServer]:
    with MirrorServer(EXAMPLE_MIRROR, "--api-key", API_KEY) as server:
        yield server


@pytest.fixture
def env(example_server: MirrorServer, tmp_path: Path) -> dict[str, str]:
    variables = {k: v for k, v in os.environ.items() if not k.startswith("MLHUB_")}
    return {
        **variables,
        "MLHUB_ROOT_URL": example_server.url,
        "MLHUB_API_KEY": API_KEY,
        "MLHUB_HOME": str(tmp_path / "mlhub-home"),
    }


def test_datasets_table_and_json(env: dict[str, str]) -> None:
    table = cli("datasets", env=env)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "COLLECTIONS"]
    assert lines[1].startswith("landcover_demo") and lines[1].endswith("2")
    assert len(lines) == 4
    as_json = json.loads(cli("datasets", "--json", env=env).stdout)
    assert [d["id"] for d in as_json] == [
        "landcover_demo",
        "ref_african_crops_kenya_02",
        "spacenet_demo",
    ]


def test_info_shows_sizes_human_and_exact(env: dict[str, str]) -> None:
    result = cli("info", "ref_african_crops_kenya_02", env=env)
    assert result.returncode == 0, result.stderr
    assert "ref_african_crops_kenya_02_labels  labels" in result.stdout
    assert "247.0 KiB  252,970" in result.stdout
    assert "no archive" in result.stdout  # the source archive is not bundled
    report = json.loads(cli("info", "10.0000/mlhub-sync.landcover-demo", "--json", env=env).stdout)
    sizes = {c["id"]: c["archive_size"] for c in report["collections"]}
    for collection_id, size in sizes.items():
        assert size == (EXAMPLE_MIRROR / "archives" / f"{collection_id}.tar.gz").stat().st_size
    assert report["total_archive_size"] == sum(sizes.values())


def test_api_url_flag_beats_the_environment(
    env: dict[str, str], example_server: MirrorServer
) -> None:
    result = cli(
        "datasets",
        "--api-url",
        example_server.url,
        env={**env, "MLHUB_ROOT_URL": "http://127.0.0.1:9/nothing/"},
    )
    assert result.returncode == 0, result.stderr


def test_errors_are_one_line_with_distinct_exit_codes(env: dict[str, str]) -> None:
    missing = cli("info", "no_such_dataset", env=env)
    assert_one_line_error(missing, "no_such_dataset", "404")
    assert missing.returncode == 3
    denied = cli("info", "landcover_demo", env={**env, "MLHUB_API_KEY": "wrong-secret"})
    assert_one_line_error(denied, "401", "MLHUB_API_KEY")
    assert denied.returncode == 4 and "wrong-secret" not in denied.stderr
    bad_profile = cli("datasets", "--profile", "nope", env={**env, "MLHUB_API_KEY": ""})
    assert_one_line_error(bad_profile, "profile 'nope'")


def test_verbose_shows_the_traceback(env: dict[str, str]) -> None:
    result = cli("--verbose", "info", "no_such_dataset", env=env)
    assert result.returncode == 3 and "Traceback" in result.stderr


def test_configure_writes_a_private_profile(env: dict[str, str], tmp_path: Path) -> None:
    result = cli("configure", "--profile", "lab", "--api-key", "the-lab-key", env=env)
    assert result.returncode == 0, result.stderr
    assert "the-lab-key" not in result.stdout
    path = tmp_path / "mlhub-home" / "profiles"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "[lab]\napi_key = the-lab-key" in path.read_text()


def test_configure_asks_without_echo(env: dict[str, str], tmp_path: Path) -> None:
    import subprocess
    import sys

    no_key = {**env, "MLHUB_API_KEY": ""}
    assert cli("info", "landcover_demo", env=no_key).returncode == 4  # 401 without a key
    result = subprocess.run(
        [sys.executable, "-m", "mlhub_sync", "configure"],
        input=f"{API_KEY}\n",
        capture_output=True,
        text=True,
        env=no_key,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert API_KEY not in result.stdout + result.stderr
    assert f"api_key = {API_KEY}" in (tmp_path / "mlhub-home" / "profiles").read_text()
    listed = cli("info", "landcover_demo", env=no_key)  # the [default] profile's key is used
    assert listed.returncode == 0, listed.stderr
