"""The lockfile workflow end to end: real CLI subprocesses against a real mirror server."""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from faults import FaultProxy
from jsonschema import Draft202012Validator
from support import REPO, MirrorServer, cli, make_archive, replace_file, run_on_terminal
from sync_support import Workspace, build_sync_mirror, journalled

SCHEMAS = REPO / "schemas"


@pytest.fixture
def mirror(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("sync-mirror") / "mirror"
    return root, build_sync_mirror(root)


@pytest.fixture
def server(mirror: tuple[Path, dict[str, bytes]]) -> Iterator[MirrorServer]:
    with MirrorServer(mirror[0]) as running:
        yield running


@pytest.fixture
def archives(mirror: tuple[Path, dict[str, bytes]]) -> dict[str, bytes]:
    return mirror[1]


@pytest.fixture
def project(tmp_path: Path, server: MirrorServer) -> Workspace:
    return Workspace(tmp_path / "project", server.url)


def requests_seen(server: MirrorServer) -> list[str]:
    time.sleep(0.2)  # the access log line follows the response
    return [line for line in server.log() if " /mlhub/v1/" in line]


def test_fresh_apply_is_byte_identical_then_in_sync_offline(
    project: Workspace, server: MirrorServer, archives: dict[str, bytes]
) -> None:
    project.run("lock")
    result = project.run("apply")
    assert "pinned 3 digest(s) in mlhub.lock — commit it" in result.stdout
    for dataset, collection in [
        ("alpha", "alpha_source"),
        ("alpha", "alpha_labels"),
        ("beta", "beta_both"),
    ]:
        assert project.archive(dataset, collection).read_bytes() == archives[collection]
        assert len(str(project.locked(collection)["xxh3_128"])) == 32
    assert not list((project.root / "data").rglob("*.part*"))
    server.stop()  # a second apply needs no server: one stat per file, no request, no hash
    again = project.run("apply")
    assert "3 in sync" in again.stdout and "3 kept" in again.stdout
    status = project.run("status")
    assert status.stdout.count(" ok ") == 3 and "in sync" in status.stdout


def test_killed_apply_resumes_with_a_range_request(
    project: Workspace, server: MirrorServer, archives: dict[str, bytes]
) -> None:
    project.write_manifest([{"id": "alpha", "collections": ["alpha_source"]}])
    project.run("lock")
    proxy = FaultProxy(server.url)
    proxy.faults.throttle = (32_768, 0.01)  # ~3 MB/s: slow enough to kill mid-archive
    final = project.archive("alpha", "alpha_source")
    try:
        running = project.popen("apply", "--api-url", proxy.url)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and journalled(final) < 500_000:
            time.sleep(0.02)
        running.send_signal(signal.SIGKILL)
        running.wait()
    finally:
        proxy.close()
    done_before = journalled(final)
    assert 0 < done_before < len(archives["alpha_source"])
    assert not project.archive("alpha", "alpha_source").exists()  # never a partial final file
    assert "partial" in project.run("status", expect=1).stdout
    project.run("apply")
    assert project.archive("alpha", "alpha_source").read_bytes() == archives["alpha_source"]
    ranged = [line for line in requests_seen(server) if "range=bytes=" in line]
    assert ranged and " 206 " in ranged[-1]
    resumed_from = int(ranged[-1].split("range=bytes=")[1].split("-")[0])
    assert resumed_from >= done_before  # from where its journal says it stopped, or later


def test_digests_in_the_state_reach_the_lock_after_a_kill(
    project: Workspace, server: MirrorServer
) -> None:
    """Killed after the state was saved but before the lock was written: the next apply
    keeps the files (their records match) and pins them from the state."""
    project.run("lock")
    unpinned = project.lock.read_text()
    project.run("apply")
    pinned = project.lock.read_text()
    project.lock.write_text(unpinned)  # where a SIGKILL before `_record_pins` leaves it
    again = project.run("apply")
    assert "3 kept" in again.stdout and "pinned 3 digest(s)" in again.stdout
    assert project.lock.read_text() == pinned
    frozen = project.lock.write_text(unpinned) and project.run("apply", "--frozen")
    assert frozen and "3 digest(s) not pinned (--locked/--frozen" in frozen.stdout


class TestDecisionTable:
    """Each cell: (local condition, if_exists) → what apply does to the file."""

    @staticmethod
    def setup_local(project: Workspace, condition: str, archive: bytes) -> Path:
        path = project.archive("beta", "beta_both")
        if condition == "missing":
            return path
        project.run("apply")  # the complete, verified file, its state and its pin
        if condition == "smaller":  # another tool's partial? never resumed from
            path.write_bytes(archive[: len(archive) // 3])
        elif condition == "wrong":
            path.write_bytes(archive + b"trailing junk")
        elif condition == "corrupt":  # same size, other bytes: differs from the pin
            path.write_bytes(bytes([archive[0] ^ 0xFF]) + archive[1:])
        return path

    @pytest.mark.parametrize("condition", ["missing", "smaller", "verified", "wrong", "corrupt"])
    @pytest.mark.parametrize("policy", ["skip", "resume", "overwrite"])
    def test_cell(
        self,
        project: Workspace,
        server: MirrorServer,
        archives: dict[str, bytes],
        condition: str,
        policy: str,
    ) -> None:
        project.write_manifest([{"id": "beta", "if_exists": policy}])
        project.run("lock")
        archive = archives["beta_both"]
        path = self.setup_local(project, condition, archive)
        before = path.read_bytes() if path.exists() else None
        plan = json.loads(project.run("apply", "--dry-run", "--json").stdout)["plan"][0]
        result = json.loads(project.run("apply", "--json").stdout)["result"][0]
        expected_action = {
            ("missing", "skip"): "download",
            ("missing", "resume"): "download",
            ("missing", "overwrite"): "download",
            ("smaller", "skip"): "report",
            ("smaller", "resume"): "download",
            ("smaller", "overwrite"): "download",
            ("verified", "skip"): "keep",
            ("verified", "resume"): "keep",
            ("verified", "overwrite"): "keep",
            ("wrong", "skip"): "report",
            ("wrong", "resume"): "download",
            ("wrong", "overwrite"): "download",
            ("corrupt", "skip"): "verify",
            ("corrupt", "resume"): "verify",
            ("corrupt", "overwrite"): "verify",
        }[(condition, policy)]
        assert plan["action"] == expected_action
        if policy == "skip" and condition in ("smaller", "wrong", "corrupt"):
            assert result["result"] == "reported"
            assert path.read_bytes() == before  # kept as it was
        else:
            assert result["result"] in ("downloaded", "resumed", "kept")
            assert path.read_bytes() == archive
        if (condition, policy) == ("smaller", "resume"):
            assert result["result"] == "downloaded"  # afresh: not spliced onto a foreign file
            assert result["transferred"] == len(archive)
        if condition == "verified":
            assert result["transferred"] == 0


def test_force_downloads_again(project: Workspace) -> None:
    project.run("lock")
    project.run("apply")
    result = json.loads(project.run("apply", "--force", "beta", "--json").stdout)["result"]
    by_key = {f"{r['dataset']}/{r['collection']}": r["result"] for r in result}
    assert by_key == {"beta/beta_both": "downloaded"}  # named: just that dataset
    result = json.loads(project.run("apply", "--force", "--json").stdout)["result"]
    assert {r["result"] for r in result} == {"downloaded"} and len(result) == 3


def test_dry_run_makes_no_request_and_writes_nothing(
    project: Workspace, server: MirrorServer
) -> None:
    project.run("lock")
    before = len(requests_seen(server))
    out = project.run("apply", "--dry-run").stdout
    assert "download alpha/alpha_source" in out and "not on disk" in out
    assert len(requests_seen(server)) == before
    assert not (project.root / "data").exists()


class TestLock:
    def test_deterministic(self, project: Workspace) -> None:
        project.run("lock")
        first = project.lock.read_bytes()
        project.lock.unlink()
        project.run("lock")
        assert project.lock.read_bytes() == first
        project.run("lock", "--update")
        assert project.lock.read_bytes() == first
        assert first.startswith(b"# Generated by `mlhub-sync lock`. Do not edit by hand.\n")
        assert b"key" not in first.replace(b"keep", b"")

    def test_keeps_unchanged_entries_without_requests(
        self, project: Workspace, server: MirrorServer
    ) -> None:
        project.run("lock")
        project.write_manifest(["alpha", {"id": "beta", "if_exists": "skip"}])
        before = len(requests_seen(server))
        out = project.run("lock").stdout
        assert "0 resolved, 2 kept" in out
        assert len(requests_seen(server)) == before
        assert project.lock_data()["datasets"][1]["if_exists"] == "skip"  # type: ignore[index]
        project.write_manifest([{"id": "alpha", "types": ["labels"]}, "beta"])
        out = project.run("lock").stdout
        assert "1 resolved (alpha), 1 kept" in out
        assert [c["id"] for c in project.lock_data()["datasets"][0]["collections"]] == [  # type: ignore[index]
            "alpha_labels"
        ]

    def test_check_is_offline_and_names_the_fix(
        self, project: Workspace, server: MirrorServer
    ) -> None:
        missing = project.run("lock", "--check", expect=6)
        assert "missing; run `mlhub-sync lock`" in missing.stderr
        project.run("lock")
        server.stop()
        assert project.run("lock", "--check").returncode == 0
        project.write_manifest(["alpha"])
        stale = project.run("lock", "--check", expect=6)
        assert "out of date" in stale.stderr and "run `mlhub-sync lock`" in stale.stderr
        refused = project.run("apply", "--locked", expect=6)
        assert "out of date" in refused.stderr and "mlhub-sync lock" in refused.stderr
        assert not (project.root / "data").exists()

    def test_check_remote_detects_drift(
        self, project: Workspace, mirror: tuple[Path, dict[str, bytes]]
    ) -> None:
        project.run("lock")
        assert project.run("lock", "--check", "--remote").returncode == 0
        path = mirror[0] / "archives" / "beta_both.tar.gz"
        replace_file(path, bytes(reversed(path.read_bytes())))
        drift = project.run("lock", "--check", "--remote", expect=5)
        assert "beta/beta_both" in drift.stderr and "lock --update" in drift.stderr

    @pytest.mark.parametrize(
        ("datasets", "needle"),
        [
            (["nope"], "dataset 'nope' does not exist"),
            ([{"id": "alpha", "collections": ["gamma"]}], "has no collection 'gamma'"),
            (
                [{"id": "beta", "types": ["labels"]}, {"id": "alpha", "types": ["source_imagery"]}],
                None,
            ),
        ],
    )
    def test_resolution_errors_point_at_the_manifest(
        self, project: Workspace, datasets: list[object], needle: str | None
    ) -> None:
        project.write_manifest(datasets)
        if needle is None:
            project.run("lock")
            return
        result = project.run("lock", expect=2)
        assert needle in result.stderr and "mlhub.yaml:" in result.stderr
        assert len(result.stderr.strip().splitlines()) <= 2
        assert not project.lock.exists()


def test_remote_drift_refuses_and_leaves_local_data_untouched(
    project: Workspace, mirror: tuple[Path, dict[str, bytes]], archives: dict[str, bytes]
) -> None:
    project.run("lock")
    project.run("apply")
    beta = project.archive("beta", "beta_both")
    beta.write_bytes(archives["beta_both"][:1000])  # a partial that apply would resume
    path = mirror[0] / "archives" / "beta_both.tar.gz"
    replace_file(path, bytes(reversed(path.read_bytes())))  # same size, new content
    result = project.run("apply", expect=1)
    assert "remote archive beta_both changed since it was locked" in result.stderr
    assert "mlhub-sync lock --update beta" in result.stderr
    assert beta.read_bytes() == archives["beta_both"][:1000]  # untouched
    assert project.archive("alpha", "alpha_source").read_bytes() == archives["alpha_source"]


def test_a_redeployed_mirror_with_new_etags_still_satisfies_the_lock(
    project: Workspace, mirror: tuple[Path, dict[str, bytes]], archives: dict[str, bytes]
) -> None:
    """Same bytes, new ETags (a restored or re-deployed mirror, a fresh clone of the examples):
    the content digests decide, so apply downloads instead of calling it drift."""
    assert cli("mirror", "digest", str(mirror[0])).returncode == 0  # the server states MD5s
    project.run("lock")
    locked_etags = [line for line in project.lock.read_text().splitlines() if "etag:" in line]
    for path in (mirror[0] / "archives").glob("*.tar.gz"):
        replace_file(path, path.read_bytes())  # new inode and mtime: new ETags
    assert cli("mirror", "digest", str(mirror[0])).returncode == 0
    result = project.run("apply")
    assert "new validators on the server" in result.stderr + result.stdout
    for collection_id, data in archives.items():
        dataset_id = collection_id.split("_")[0]
        assert project.archive(dataset_id, collection_id).read_bytes() == data
    assert locked_etags == [  # apply learns, but never rewrites what was locked
        line for line in project.lock.read_text().splitlines() if "etag:" in line
    ]


def test_pins_are_verified_on_a_second_machine(
    project: Workspace, server: MirrorServer, archives: dict[str, bytes], tmp_path: Path
) -> None:
    project.run("lock")
    project.run("apply")
    pinned = project.lock.read_text()
    second = Workspace(tmp_path / "second-machine", server.url)  # fresh clone: same files
    second.lock.write_text(pinned)
    second.manifest.write_text(project.manifest.read_text())
    second.run("apply", "--locked")
    assert second.archive("beta", "beta_both").read_bytes() == archives["beta_both"]
    assert second.lock.read_text() == pinned
    third = Workspace(tmp_path / "third-machine", server.url)
    third.lock.write_text(pinned)
    third.manifest.write_text(project.manifest.read_text())
    proxy = FaultProxy(server.url)
    proxy.faults.corrupt = True  # the bytes served differ from the pinned ones
    try:
        result = third.run("apply", "--api-url", proxy.url, "--frozen", expect=1)
    finally:
        proxy.close()
    assert "failed verification" in result.stderr and "xxh3_128" in result.stderr
    assert not third.archive("beta", "beta_both").exists()
    assert not list((third.root / "data").rglob("*.part"))


def test_locked_and_frozen_never_write_the_lock(project: Workspace) -> None:
    project.run("lock")
    unpinned = project.lock.read_text()
    out = project.run("apply", "--locked").stdout
    assert "3 digest(s) not pinned" in out
    assert project.lock.read_text() == unpinned
    project.write_manifest(["beta"])  # the lock is now stale
    assert "out of date" in project.run("apply", "--locked", expect=6).stderr
    assert "3 kept" in project.run("apply", "--frozen").stdout  # uses the lock as it is
    assert project.lock.read_text() == unpinned


def test_apply_names_datasets_and_relocks_exactly_what_the_manifest_changed(
    project: Workspace, server: MirrorServer
) -> None:
    project.run("lock")
    only = project.run("apply", "alpha")
    assert "2 downloaded" in only.stdout and "pinned 2 digest(s)" in only.stdout
    assert not project.archive("beta", "beta_both").exists()
    project.write_manifest(["alpha"])
    project.run("lock")
    project.write_manifest(["alpha", "beta"])  # beta added: only it is resolved
    out = project.run("apply", "beta").stdout
    assert "out of date with mlhub.yaml (beta: not in the lock yet): locking" in out
    assert "(1 resolved (beta), 1 kept as locked)" in out
    assert project.archive("beta", "beta_both").exists()
    project.run("lock", "--check")  # fresh now, and alpha's pins kept
    assert len(str(project.locked("alpha_source")["xxh3_128"])) == 32
    unknown = project.run("apply", "gamma", expect=2)
    assert "gamma: not in the lock (it has: alpha, beta)" in unknown.stderr
    assert project.run("apply", "--locked", "--frozen", expect=2).stderr.startswith("error:")


def test_verify_names_mismatching_files(project: Workspace) -> None:
    project.run("lock")
    project.run("apply")
    assert project.run("verify").returncode == 0
    path = project.archive("alpha", "alpha_labels")
    data = path.read_bytes()
    path.write_bytes(bytes([data[0] ^ 1]) + data[1:])
    result = project.run("verify", expect=1)
    assert "data/alpha/alpha_labels.tar.gz: mismatch" in result.stderr
    assert "xxh3_128" in result.stderr
    status = project.run("status", "--json", expect=1)
    states = {a["collection"]: a["status"] for a in json.loads(status.stdout)["archives"]}
    assert states == {"alpha_source": "ok", "alpha_labels": "modified", "beta_both": "ok"}


def test_corrupt_state_file_is_discarded_with_a_warning(project: Workspace) -> None:
    project.run("lock")
    project.run("apply")
    (project.root / "data" / ".mlhub-sync" / "state.json").write_text("{not json")
    result = project.run("apply")
    assert "ignoring corrupt state file" in result.stderr
    assert result.stderr.count("ignoring corrupt state file") == 1
    assert "3 verified" in result.stdout and "0 B transferred" in result.stdout  # rehashed


def test_prune_removes_only_what_the_tool_wrote(project: Workspace) -> None:
    project.run("lock")
    project.run("apply")
    mine = project.root / "data" / "alpha" / "notes.txt"
    mine.write_text("my own file")
    (project.root / "data" / "unrelated.bin").write_bytes(b"x")
    project.write_manifest(["beta"])
    project.run("lock")
    out = project.run("apply", "--prune").stdout
    assert "pruned   alpha/alpha_source.tar.gz" in out
    assert not project.archive("alpha", "alpha_source").exists()
    assert not project.archive("alpha", "alpha_labels").exists()
    assert mine.read_text() == "my own file"
    assert (project.root / "data" / "unrelated.bin").exists()
    assert project.archive("beta", "beta_both").exists()


def test_extract_is_safe_and_redone_only_when_the_archive_changes(
    project: Workspace, mirror: tuple[Path, dict[str, bytes]]
) -> None:
    project.write_manifest([{"id": "beta", "extract": True}])
    project.run("lock")
    out = project.run("apply").stdout
    extracted = project.root / "data" / "beta" / "beta_both" / "data.bin"  # not nested twice
    assert extracted.stat().st_size == 200_000 and "extracted" in out
    assert sorted(p.name for p in extracted.parent.parent.iterdir()) == [
        "beta_both",
        "beta_both.tar.gz",
    ]
    mtime = extracted.stat().st_mtime_ns
    assert "1 kept" in project.run("apply").stdout
    assert extracted.stat().st_mtime_ns == mtime  # not extracted again
    new_archive = make_archive({"beta_both/data.bin": b"version 2"})
    replace_file(mirror[0] / "archives" / "beta_both.tar.gz", new_archive)
    project.run("lock", "--update", "beta")
    project.run("apply")
    assert extracted.read_bytes() == b"version 2"  # the new archive, extracted afresh


def test_what_a_killed_extraction_left_is_removed_by_the_next_apply(
    project: Workspace,
) -> None:
    project.write_manifest([{"id": "beta", "extract": True}])
    project.run("lock")
    project.run("apply")
    folder = project.root / "data" / "beta"
    left = [folder / ".beta_both.extracting-0a1b2c3d", folder / ".beta_both.old-deadbeef"]
    for path in left:
        (path / "beta_both").mkdir(parents=True)
        (path / "beta_both" / "data.bin").write_bytes(b"half")
    mine = [folder / ".beta_both.extracting-mine", folder / "notes.extracting-0a1b2c3d"]
    for path in mine:
        path.mkdir()
    result = project.run("apply")
    assert result.stderr.count("left by an extraction that was stopped") == 2
    assert not any(path.exists() for path in left)
    assert all(path.is_dir() for path in mine)  # not names the extractor makes: not ours


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ("../escape.txt", "climbs out"),
        ("/etc/evil.txt", "absolute path"),
        ("beta_both/../../escape.txt", "climbs out"),
    ],
)
def test_hostile_tar_members_are_refused(
    project: Workspace, mirror: tuple[Path, dict[str, bytes]], member: str, problem: str
) -> None:
    replace_file(
        mirror[0] / "archives" / "beta_both.tar.gz",
        make_archive({"beta_both/ok.txt": b"fine", member: b"owned"}),
    )
    project.write_manifest([{"id": "beta", "extract": True}])
    project.run("lock")
    result = project.run("apply", expect=1)
    assert problem in result.stderr and "refusing to extract" in result.stderr
    assert not (project.root / "data" / "beta" / "beta_both").exists()
    assert not (project.root / "escape.txt").exists()
    assert not (project.root / "data" / "escape.txt").exists()
    assert not list((project.root / "data" / "beta").glob(".*extracting*"))


def test_hostile_links_are_refused(
    project: Workspace, mirror: tuple[Path, dict[str, bytes]]
) -> None:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        link = tarfile.TarInfo("beta_both/passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    replace_file(mirror[0] / "archives" / "beta_both.tar.gz", buffer.getvalue())
    project.write_manifest([{"id": "beta", "extract": True}])
    project.run("lock")
    result = project.run("apply", expect=1)
    assert "symlink pointing outside" in result.stderr


def test_two_concurrent_applies(
    project: Workspace, server: MirrorServer, archives: dict[str, bytes]
) -> None:
    project.run("lock")
    proxy = FaultProxy(server.url)
    proxy.faults.throttle = (32_768, 0.02)  # ~1.6 MB/s: the first takes about two seconds
    part = project.archive("alpha", "alpha_source").with_suffix(".gz.part")
    try:
        first = project.popen("apply", "--api-url", proxy.url)
        deadline = time.monotonic() + 30
        while not part.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        second = project.popen("apply", "--api-url", proxy.url)  # while the first downloads
        outputs = [p.communicate(timeout=120) for p in (first, second)]
    finally:
        proxy.close()
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert "waiting for another mlhub-sync apply" in outputs[1][1]
    assert "3 kept" in outputs[1][0]  # the second found the first's work done and verified
    for collection in ("alpha_source", "alpha_labels"):
        assert project.archive("alpha", collection).read_bytes() == archives[collection]


@pytest.mark.parametrize(
    ("text", "position", "needle"),
    [
        (
            "version: 1\ndatasets:\n  - id: alpha\n    if_exists: resum\n",
            "mlhub.yaml:4:16",
            "datasets[0].if_exists: 'resum' is not one of 'resume', 'skip', 'overwrite'",
        ),
        ("version: 1\ndatasets:\n  - alpha\n  - alpha\n", "mlhub.yaml:4:5", "already listed"),
        (
            "version: 1\ndatasets:\n  - id: alpha\n    colour: red\n",
            "mlhub.yaml:4:5",
            "unknown key 'colour'",
        ),
        ("version: 1\ndatasets: [alpha\n", "mlhub.yaml:3:1", "invalid YAML"),
    ],
)
def test_schema_errors_point_at_file_line_column(
    project: Workspace, text: str, position: str, needle: str
) -> None:
    project.manifest.write_text(text)
    result = project.run("lock", expect=2)
    assert result.stderr.startswith(f"error: {position}: ")
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not project.lock.exists()


def test_schemas_validate_the_example_files() -> None:
    manifest = yaml.safe_load((REPO / "examples/project/mlhub.yaml").read_text())
    lock = yaml.safe_load((REPO / "examples/project/mlhub.lock").read_text())
    for document, name in [(manifest, "manifest"), (lock, "lock")]:
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
        Draft202012Validator.check_schema(schema)
        Draft202012Validator(schema).validate(document)
    assert all(c.get("xxh3_128") for d in lock["datasets"] for c in d["collections"])


def test_status_labels_every_condition(project: Workspace, archives: dict[str, bytes]) -> None:
    project.write_manifest(["alpha", {"id": "beta", "extract": True}])
    project.run("lock")
    states = json.loads(project.run("status", "--json", expect=1).stdout)
    assert {a["status"] for a in states["archives"]} == {"missing"} and states["lock_fresh"]
    project.run("apply")
    labels = project.archive("alpha", "alpha_labels")
    labels.unlink()
    labels.write_bytes(archives["alpha_labels"])  # right bytes, but not written by the tool
    project.archive("alpha", "alpha_source").write_bytes(archives["alpha_source"][:10])
    import shutil

    shutil.rmtree(project.root / "data" / "beta" / "beta_both")
    states = json.loads(project.run("status", "--json", expect=1).stdout)
    assert {a["collection"]: a["status"] for a in states["archives"]} == {
        "alpha_source": "partial",
        "alpha_labels": "modified",
        "beta_both": "unextracted",
    }
    (project.root / "data" / ".mlhub-sync" / "state.json").unlink()
    states = json.loads(project.run("status", "--json", expect=1).stdout)
    by_name = {a["collection"]: a["status"] for a in states["archives"]}
    assert by_name["alpha_labels"] == "unverified"  # no state: right size, not yet hashed
    project.run("apply")
    assert json.loads(project.run("status", "--json").stdout)["in_sync"] is True


def test_apply_shows_progress_bars_on_a_terminal(project: Workspace) -> None:
    project.run("lock")
    code, text = run_on_terminal(
        [sys.executable, "-m", "mlhub_sync", "apply"], project.root, project.env()
    )
    assert code == 0
    assert "total" in text and "B/s" in text  # the overall bar: bytes and rate
    assert "3/3 files" in text  # and files done (small files get no bar of their own)


def test_the_api_key_never_reaches_files_or_output(
    mirror: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    secret = "lab-secret-key-9f8e7d"
    with MirrorServer(mirror[0], "--api-key", secret) as keyed:
        project = Workspace(tmp_path / "keyed", keyed.url)
        without = project.run("lock", expect=4)
        assert "401" in without.stderr and "MLHUB_API_KEY" in without.stderr
        (project.root / ".mlhub-home").mkdir()
        (project.root / ".mlhub-home" / "profiles").write_text(f"[default]\napi_key = {secret}\n")
        outputs = [
            project.run("lock"),
            project.run("apply"),
            project.run("status"),
            project.run("verify"),
        ]
        server_log = "\n".join(keyed.log())
    written = [
        p.read_text(errors="replace")
        for p in [project.lock, *(project.root / "data").rglob("*.json")]
    ]
    for text in [*written, server_log, *(o.stdout + o.stderr for o in outputs)]:
        assert secret not in text


def test_the_locks_api_url_beats_mlhub_root_url(
    project: Workspace, archives: dict[str, bytes]
) -> None:
    """--api-url > manifest api_url > the lock's api_url > MLHUB_ROOT_URL, as documented."""
    project.manifest.write_text("version: 1\ndatasets: [beta]\n")  # no api_url in the manifest
    project.run("lock", "--api-url", project.api_url)
    dead = {"MLHUB_ROOT_URL": "http://127.0.0.1:9/mlhub/v1/"}  # nothing listens on port 9
    project.run("apply", env=dead)
    assert project.archive("beta", "beta_both").read_bytes() == archives["beta_both"]


@pytest.mark.parametrize("situation", ["missing", "stale"])
def test_the_same_situation_gives_the_same_exit_code_in_every_command(
    project: Workspace, situation: str
) -> None:
    from mlhub_sync import exitcodes

    if situation == "stale":
        project.run("lock")
        project.run("apply")
        project.write_manifest(["alpha"])
    commands = [("lock", "--check"), ("apply", "--locked"), ("status",), ("verify",)]
    for command in commands:
        result = project.run(*command, expect=None)
        assert result.returncode == exitcodes.STALE_LOCK, (command, result.stderr)
        said = result.stderr + result.stdout
        assert "Traceback" not in said and "mlhub-sync lock" in said


def test_the_readme_prints_the_exit_code_table() -> None:
    from mlhub_sync import exitcodes

    readme = (REPO / "README.md").read_text()
    for code, meaning in exitcodes.TABLE.items():
        assert f"| {code} | {meaning} |" in readme, code


def test_skip_keeps_a_corrupt_file_but_says_so_and_strict_fails(project: Workspace) -> None:
    project.write_manifest(["alpha", {"id": "beta", "if_exists": "skip"}])
    project.run("lock")
    project.run("apply")
    path = project.archive("beta", "beta_both")
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF  # same size, one byte flipped
    path.write_bytes(bytes(data))
    result = project.run("apply")
    assert "reported beta/beta_both: " in result.stdout and "if_exists: skip" in result.stdout
    assert "warning: beta/beta_both:" in result.stderr and "apply --force beta" in result.stderr
    assert path.read_bytes() == bytes(data)  # kept, as skip says
    assert project.run("apply", "--strict", expect=7).stderr.count("warning:") == 1
    status = project.run("status", expect=1).stdout
    assert "kept by if_exists: skip" in status


@pytest.mark.parametrize("driver", [False, True], ids=["markers", "merge-driver"])
def test_a_lock_with_merge_conflicts_is_named_and_relocked_keeping_both_sides_pins(
    project: Workspace, driver: bool
) -> None:
    """Two branches edit the manifest and pin different archives. Without a merge driver,
    git leaves conflict markers in the lock: `apply` names the conflict, `lock` writes a fresh
    lock with the pins of both branches. With `merge-lock` as git's driver, the lock merges
    cleanly (marked stale) and `apply` re-locks it, keeping the same pins."""
    import subprocess

    identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env = {**project.env(), **identity, "GIT_COMMITTER_EMAIL": "t@t"}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args], cwd=project.root, env=env, capture_output=True, text=True, check=False
        )

    git("init", "-q", "-b", "main")
    (project.root / ".gitignore").write_text("data/\n.mlhub-*/\n")
    if driver:
        (project.root / ".gitattributes").write_text("mlhub.lock merge=mlhub-lock\n")
        command = f"{sys.executable} -m mlhub_sync merge-lock %O %A %B"
        git("config", "merge.mlhub-lock.driver", command)
    project.write_manifest(["alpha"])
    project.run("lock")
    git("add", "-A")
    git("commit", "-qm", "alpha")
    git("checkout", "-qb", "other")
    project.write_manifest(["alpha", "beta"])
    project.run("apply", "beta")  # relocks (beta added), pins beta
    beta_pin = project.locked("beta_both")["xxh3_128"]
    git("commit", "-qam", "beta")
    git("checkout", "-q", "main")
    project.write_manifest([{"id": "alpha", "if_exists": "overwrite"}])
    project.run("apply")  # relocks, pins alpha's two archives
    alpha_pin = project.locked("alpha_source")["xxh3_128"]
    git("commit", "-qam", "alpha overwrite")
    assert git("merge", "-q", "other").returncode != 0  # mlhub.yaml conflicts either way
    project.write_manifest([{"id": "alpha", "if_exists": "overwrite"}, "beta"])  # merged by hand
    if driver:
        assert "<<<<<<<" not in project.lock.read_text()
        project.run("lock", "--check")  # the union satisfies the merged manifest
        out = project.run("apply").stdout
        assert "locking" not in out and "3 kept" in out  # nothing downloaded again
        assert project.locked("alpha_source")["xxh3_128"] == alpha_pin
        assert project.locked("beta_both")["xxh3_128"] == beta_pin
        return
    assert "<<<<<<<" in project.lock.read_text()
    refused = project.run("apply", expect=2)
    assert "mlhub.lock:" in refused.stderr and "unresolved merge conflict" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    out = project.run("lock").stdout
    assert "0 resolved, 2 kept as locked" in out, out
    assert project.locked("alpha_source")["xxh3_128"] == alpha_pin
    assert project.locked("beta_both")["xxh3_128"] == beta_pin
    project.run("lock", "--check")


def test_edits_of_different_datasets_on_two_branches_merge_the_lock_without_help(
    project: Workspace,
) -> None:
    """No global line in the lock changes with every manifest edit (there was a hash of the
    whole manifest): two branches changing different datasets change different lines of the
    lock, git merges it with no driver, and the result is fresh for the merged manifest."""
    import subprocess

    identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env = {**project.env(), **identity, "GIT_COMMITTER_EMAIL": "t@t"}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args], cwd=project.root, env=env, capture_output=True, text=True, check=True
        )

    def entries(alpha: str, beta: str) -> list[object]:
        return [{"id": "alpha", "if_exists": alpha}, {"id": "beta", "if_exists": beta}]

    git("init", "-q", "-b", "main")
    (project.root / ".gitignore").write_text("data/\n.mlhub-*/\n")
    project.write_manifest(entries("resume", "resume"))
    project.run("lock")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "other")
    project.write_manifest(entries("resume", "skip"))
    assert "(0 resolved, 2 kept as locked)" in project.run("lock").stdout  # no request
    git("commit", "-qam", "beta: skip")
    git("checkout", "-q", "main")
    project.write_manifest(entries("overwrite", "resume"))
    project.run("lock")
    git("commit", "-qam", "alpha: overwrite")
    git("merge", "-q", "other")  # check=True: both files merge cleanly
    assert "if_exists: overwrite" in project.lock.read_text()
    assert "if_exists: skip" in project.lock.read_text()
    project.run("lock", "--check")
    project.write_manifest(entries("overwrite", "overwrite"))
    stale = project.run("lock", "--check", expect=6).stderr
    assert "stale: beta: if_exists skip → overwrite" in stale


def test_piped_output_gets_a_progress_line_every_few_seconds(
    project: Workspace, server: MirrorServer
) -> None:
    project.write_manifest([{"id": "alpha", "collections": ["alpha_source"]}])
    project.run("lock")
    proxy = FaultProxy(server.url)
    proxy.faults.throttle = (32_768, 0.01)  # ~3 MB/s: about a second for this archive
    try:
        every = {"MLHUB_PROGRESS_EVERY": "0.2"}
        result = project.run("apply", "--api-url", proxy.url, env=every)
    finally:
        proxy.close()
    lines = [line for line in result.stderr.splitlines() if line.startswith("progress: ")]
    assert len(lines) >= 2, result.stderr
    assert " of 2.9 MiB (" in lines[0] and "/s, 0 of 1 files" in lines[0]
    bad = project.run("apply", env={"MLHUB_PROGRESS_EVERY": "soon"}, expect=2)
    assert "MLHUB_PROGRESS_EVERY='soon'" in bad.stderr


def test_lock_speaks_json_and_apply_json_stays_json_while_it_relocks(
    project: Workspace,
) -> None:
    """`--json` on lock (writing, --check, --check --remote) as on every reporting command;
    an `apply --json` that re-locks first says so on stderr, leaving stdout one document."""
    written = json.loads(project.run("lock", "--json").stdout)
    assert written["written"] is True and written["datasets"] == 2 and written["archives"] == 3
    assert sorted(written["resolved"]) == ["alpha", "beta"] and written["kept"] == []
    again = json.loads(project.run("lock", "--json").stdout)
    assert again["written"] is False and sorted(again["kept"]) == ["alpha", "beta"]
    fresh = json.loads(project.run("lock", "--check", "--remote", "--json").stdout)
    assert fresh == {"lock": "mlhub.lock", "fresh": True, "stale": [], "remote_changes": []}
    project.write_manifest(["alpha"])
    stale = json.loads(project.run("lock", "--check", "--json", expect=6).stdout)
    assert stale["fresh"] is False and stale["stale"] == ["beta: no longer in the manifest"]
    applied = project.run("apply", "--json")
    assert "locking" in applied.stderr
    assert json.loads(applied.stdout)  # one JSON document, nothing else
