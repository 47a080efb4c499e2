"""``mlhub-sync serve`` as a user meets it: help, bad arguments, the access log."""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path

import pytest
import requests
from conftest import API_KEY
from support import EXAMPLE_MIRROR, KENYA_LABELS, MirrorServer, cli


def assert_one_line_error(result: object, *needles: str) -> None:
    """Non-zero exit, one or two lines on stderr, no traceback, and the words that matter."""
    assert result.returncode != 0  # type: ignore[attr-defined]
    stderr: str = result.stderr  # type: ignore[attr-defined]
    lines = stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2, stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, (needle, stderr)


def test_help_explains_every_option() -> None:
    result = cli("serve", "--help")
    assert result.returncode == 0
    for option in [
        "--host",
        "--port",
        "--api-keys-file",
        "MLHUB_SERVE_API_KEYS",
        "--archive-base-url",
        "--url-ttl",
        "--workers",
        "--connections",
        "--quiet",
        "Examples:",
    ]:
        assert option in result.stdout, option


def test_missing_folder(tmp_path: Path) -> None:
    assert_one_line_error(cli("serve", str(tmp_path / "nope")), "does not exist")


def test_folder_without_datasets(tmp_path: Path) -> None:
    assert_one_line_error(cli("serve", str(tmp_path)), "no datasets/ folder")


def test_port_in_use() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert_one_line_error(
            cli("serve", str(EXAMPLE_MIRROR), "--port", str(port)),
            f"port {port}",
            "already in use",
            "--port",
        )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--port", "70000"], "--port"),
        (["--archive-base-url", "ftp://x"], "--archive-base-url"),
        (["--api-keys-file", "/nonexistent/keys"], "--api-keys-file"),
        (["--connections", "0"], "--connections"),
        (["--bogus"], "--bogus"),
    ],
)
def test_bad_arguments(args: list[str], needle: str) -> None:
    assert_one_line_error(cli("serve", str(EXAMPLE_MIRROR), *args), needle)


def test_malformed_mirror_json_is_reported_with_position(tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "broken.json").write_text('{"id": "broken",\n  "title": }\n')
    assert_one_line_error(cli("serve", str(tmp_path)), "broken.json:2:12", "invalid JSON")


def test_dataset_file_whose_id_differs_from_its_name(tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "a.json").write_text('{"id": "b", "collections": []}')
    assert_one_line_error(cli("serve", str(tmp_path)), "a.json", '"id"')


def test_access_log_line_per_request_without_secrets(recorded_mirror: Path) -> None:
    with MirrorServer(recorded_mirror, "--api-key", API_KEY) as server:
        requests.get(server.url + "datasets", timeout=10)
        requests.get(server.url + f"archive/{KENYA_LABELS}", params={"key": API_KEY}, timeout=10)
        requests.get(
            server.url + f"archive/{KENYA_LABELS}/info",
            headers={"Authorization": f"Bearer {API_KEY}"},
            timeout=10,
        )
        lines = server.wait_for_log(lambda line: "/info" in line)
        log = "\n".join(server.log())
    assert lines
    assert API_KEY not in log
    assert re.search(r"GET /mlhub/v1/datasets 200 \d+ \d+\.\d{3}s", log)
    assert re.search(rf"GET /mlhub/v1/archive/{KENYA_LABELS}\?key=REDACTED 303 ", log)
    blob = re.search(
        rf"GET /mlhub/v1/blobs/{KENYA_LABELS}.tar.gz\?\S*signature=REDACTED 200 (\d+)", log
    )
    assert blob and int(blob.group(1)) == 252_970
    assert "signature=" not in log.replace("signature=REDACTED", "")


def test_quiet_turns_the_access_log_off(recorded_mirror: Path) -> None:
    with MirrorServer(recorded_mirror, "--quiet") as server:
        requests.get(server.url + "datasets", timeout=10)
        assert not server.wait_for_log(lambda line: "/datasets" in line, timeout=1)


def test_serves_the_bundled_example_mirror() -> None:
    with MirrorServer(EXAMPLE_MIRROR) as server:
        ids = [d["id"] for d in requests.get(server.url + "datasets", timeout=10).json()]
        assert ids == ["landcover_demo", "ref_african_crops_kenya_02", "spacenet_demo"]
        spacenet = requests.get(server.url + "datasets/spacenet_demo", timeout=10).json()
        assert spacenet["collections"][0]["types"] == ["source_imagery", "labels"]
        info = requests.get(server.url + "archive/spacenet_demo_aoi_1/info", timeout=10).json()
        assert info == {
            "collection": "spacenet_demo_aoi_1",
            "dataset": "spacenet_demo",
            "size": (EXAMPLE_MIRROR / "archives/spacenet_demo_aoi_1.tar.gz").stat().st_size,
            "types": ["source_imagery", "labels"],
        }
        missing = requests.get(server.url + "archive/ref_african_crops_kenya_02_source", timeout=10)
        assert missing.status_code == 404  # listed, but its archive is not bundled


def test_stops_cleanly_on_ctrl_c(recorded_mirror: Path) -> None:
    server = MirrorServer(recorded_mirror)
    requests.get(server.url + f"archive/{KENYA_LABELS}", timeout=10)
    server.stop()
    assert server.process.returncode == 0
    assert not [line for line in server.log() if "Traceback" in line or "Error" in line]


def test_keys_never_travel_on_the_command_line(tmp_path: Path, recorded_mirror: Path) -> None:
    """`--api-key` showed the key to every user in `ps`: refused, pointing at the two ways
    that do not. Keys from a file and from the environment both work, and no process of the
    running server (master or worker) has a key in its command line."""
    refused = cli("serve", str(recorded_mirror), "--api-key", API_KEY)
    assert refused.returncode == 2 and API_KEY not in refused.stderr
    assert "--api-keys-file" in refused.stderr and "MLHUB_SERVE_API_KEYS" in refused.stderr
    keys = tmp_path / "keys"
    keys.write_text(f"# lab keys\n{API_KEY}\n")
    other = "second-key-456"
    env = {**os.environ, "MLHUB_SERVE_API_KEYS": other}
    with MirrorServer(recorded_mirror, "--api-keys-file", str(keys), env=env) as server:
        for key, status in ((API_KEY, 200), (other, 200), ("wrong", 401)):
            info = requests.get(
                server.url + f"archive/{KENYA_LABELS}/info", params={"key": key}, timeout=10
            )
            assert info.status_code == status
        pids = [server.process.pid]
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
        pids += [int(pid) for pid in children.read_text().split()]
        assert len(pids) >= 2  # gunicorn's master and its worker
        for pid in pids:
            command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
            assert API_KEY.encode() not in command_line and other.encode() not in command_line


def test_an_error_with_a_key_in_the_request_is_logged_without_it(tmp_path: Path) -> None:
    """A request that fails inside the app used to log its line — `?key=…` and all. Forced
    here with a dataset record whose `tags` is a number (a TypeError when filtering by tag);
    the 500 is logged with its traceback, and every handler takes the key out."""
    import shutil

    mirror = tmp_path / "mirror"
    shutil.copytree(EXAMPLE_MIRROR, mirror)
    record = mirror / "datasets" / "spacenet_demo.json"
    record.write_text(json.dumps({**json.loads(record.read_text()), "tags": 5}))
    with MirrorServer(mirror, "--api-key", API_KEY) as server:
        failed = requests.get(
            server.url + "datasets", params={"tags": "x", "key": API_KEY}, timeout=10
        )
        assert failed.status_code == 500 and API_KEY not in failed.text
        server.wait_for_log(lambda line: "TypeError" in line)
        log = "\n".join(server.log())
    assert "error handling GET /mlhub/v1/datasets?tags=x&key=REDACTED" in log
    assert "Traceback" in log and "TypeError" in log
    assert API_KEY not in log


def test_a_record_that_is_a_folder_is_a_one_line_error_at_start(tmp_path: Path) -> None:
    import shutil

    mirror = tmp_path / "mirror"
    shutil.copytree(EXAMPLE_MIRROR, mirror)
    (mirror / "datasets" / "broken.json").mkdir()
    assert_one_line_error(cli("serve", str(mirror)), "broken.json", "Is a directory")


def test_archives_without_digests_are_named_at_start_and_hashed_on_request(
    tmp_path: Path,
) -> None:
    """Served without Content-MD5 used to be silent. Now serve says how many and which
    command fixes it; with --hash-missing it runs that command itself, in the background,
    and the running server states each digest as its sidecar appears."""
    import shutil
    import time

    mirror = tmp_path / "mirror"
    shutil.copytree(EXAMPLE_MIRROR, mirror)
    if (mirror / "digests").exists():  # left by `mirror digest` in a working copy
        shutil.rmtree(mirror / "digests")
    with MirrorServer(mirror) as server:
        warned = server.wait_for_log(lambda line: "have no digests yet" in line)
        assert warned and f"`mlhub-sync mirror digest {mirror}`" in warned[0]
        assert not (mirror / "digests").exists()
    with MirrorServer(mirror, "--hash-missing") as server:
        assert server.wait_for_log(lambda line: "hashing them in the background" in line)
        blob = server.url + "archive/landcover_demo_labels"
        deadline = time.monotonic() + 30
        while "Content-MD5" not in requests.head(blob, allow_redirects=True, timeout=10).headers:
            assert time.monotonic() < deadline, "no digest after 30 s"
            time.sleep(0.2)
