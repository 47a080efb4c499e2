"""Hostile and mutated manifests and locks, through the real CLI: targeted cases plus seeded
random mutations (≥ 200 runs in all), each child under a 2 GiB memory limit and a timeout.
Zero tracebacks, zero hangs, zero runaway memory, exit codes from the table, errors of one or
two lines, and nothing written: the commands run here are offline and read-only on bad input.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import REPO

from mlhub_sync import exitcodes
from mlhub_sync.sync.lockfile import Lock, LockedCollection, LockedDataset

EXAMPLE = REPO / "examples" / "project"
MEMORY = 2 << 30
TIMEOUT = 20
ALLOWED = {exitcodes.OK, exitcodes.FAILED, exitcodes.BAD_INPUT, exitcodes.STALE_LOCK}

TARGETED_MANIFESTS = {
    "alias bomb": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
    "deep nesting": "version: 1\ndatasets: " + "[" * 5000 + "]" * 5000 + "\n",
    "many tiny values": "version: 1\ndatasets: [" + "a," * 1_500_000 + "a]\n",
    "over the size limit": "version: 1\n# " + "x" * (5 << 20) + "\ndatasets: [a]\n",
    "not UTF-8": "version: 1\ndatasets: [\xff\xfe]\n",
    "NUL": "version: 1\ndatasets: [a\x00b]\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "a list": "- a\n- b\n",
    "datasets a number": "version: 1\ndatasets: 5\n",
    "climbing id": "version: 1\ndatasets: ['../../etc']\n",
    "long id": "version: 1\ndatasets: [" + "a" * 5000 + "]\n",
    "duplicate ids": "version: 1\ndatasets: [a, a]\n",
    "target with NUL": 'version: 1\ntarget: "d\\0x"\ndatasets: [a]\n',
    "long target": "version: 1\ntarget: " + "t" * 5000 + "\ndatasets: [a]\n",
    "ftp api": "version: 1\napi_url: ftp://127.0.0.1/\ndatasets: [a]\n",
    "port 99999": "version: 1\napi_url: http://127.0.0.1:99999/\ndatasets: [a]\n",
    "space in url": "version: 1\napi_url: http://a b/\ndatasets: [a]\n",
    "bad source": "version: 1\ndatasets: [{id: a, source: 'gopher://x'}]\n",
    "include not a list": "version: 1\ndatasets:\n"
    "  [{id: a, source: {url: 's3://b/p/', include: 5}}]\n",
    "version 2": "version: 2\ndatasets: [a]\n",
    "unknown key": "version: 1\ndatasets: [a]\nextra: 1\n",
    "python tag": "version: 1\ndatasets: [!!python/object:os.system a]\n",
    "binary tag": "version: 1\ndatasets: [!!binary aGVsbG8=]\n",
    "merge key": "version: 1\nbase: &b {id: a}\ndatasets: [{<<: *b}]\n",
    "huge int": "version: 1" + "0" * 5000 + "\ndatasets: [a]\n",
    "if_exists a float": "version: 1\ndatasets: [{id: a, if_exists: 1.5}]\n",
    "id a boolean": "version: 1\ndatasets: [yes]\n",
    "id a date": "version: 1\ndatasets: [2024-01-01]\n",
    "BOM and CRLF": "\ufeffversion: 1\r\ndatasets: [a]\r\n",
    "tabs": "version: 1\ndatasets:\n\t- a\n",
    "duplicate key": "version: 1\nversion: 1\ndatasets: [a]\n",
}
TARGETED_LOCKS = {
    "conflict markers": "<<<<<<< HEAD\nversion: 1\n=======\nversion: 2\n>>>>>>> other\n",
    "alias bomb": TARGETED_MANIFESTS["alias bomb"],
    "many tiny values": "version: 1\nmanifest_hash: x\ndatasets: [" + "a," * 3_100_000 + "a]\n",
    "not a mapping": "[]\n",
}


@dataclass
class Case:
    name: str
    manifest: str  # undecodable bytes kept as surrogates (mutations make some)
    lock: str
    commands: tuple[tuple[str, ...], ...]


def loose_lock() -> str:
    files = [LockedCollection(f"data/{i}.tif", [], 100 + i, digests={}) for i in range(50)]
    source = {"url": "az://radiantearth/mlhub/kenya-crop-challenge/"}
    dataset = LockedDataset("kenya", None, {}, "resume", False, files, source)
    return Lock(None, [dataset]).dumps()


def mutate(text: str, rng: random.Random) -> str:
    data = bytearray(text.encode())
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["flip", "insert", "delete", "duplicate", "truncate"])
        at = rng.randrange(max(1, len(data)))
        if kind == "flip":
            data[at] = rng.choice(b":-[]{}&*!|>'\"#%@`\t\n \x00\xff0123456789aZ.,/")
        elif kind == "insert":
            data[at:at] = rng.choice(
                [b"&a ", b"*a", b"!!str ", b": ", b"\n- ", b"{", b"]", b"..", b"~"]
            )
        elif kind == "delete":
            del data[at : at + rng.randint(1, 40)]
        elif kind == "duplicate":
            lines = bytes(data).split(b"\n")
            index = rng.randrange(len(lines))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
        else:
            del data[at:]
    return data.decode(errors="surrogateescape")


def cases() -> list[Case]:
    manifest = (EXAMPLE / "mlhub.yaml").read_text()
    lock = (EXAMPLE / "mlhub.lock").read_text()
    loose = loose_lock()
    loose_manifest = (
        "version: 1\ndatasets:\n  - id: kenya\n    source: "
        "az://radiantearth/mlhub/kenya-crop-challenge/\n"
    )
    on_manifest = (("lock", "--check"), ("apply", "--frozen", "--dry-run"))
    on_lock = (("status",), ("apply", "--frozen", "--dry-run"))
    found = [Case(f"manifest: {n}", t, lock, on_manifest) for n, t in TARGETED_MANIFESTS.items()]
    found += [Case(f"lock: {n}", manifest, t, on_lock) for n, t in TARGETED_LOCKS.items()]
    edited = loose.replace("\n    100\t", "\n    999\t", 1)  # one size changed by hand
    negative = lock.replace("size: 5257", "size: -5")
    assert edited != loose and negative != lock
    found += [
        Case("lock: entries edited", loose_manifest, edited, on_lock),
        Case("lock: negative size", manifest, negative, on_lock),
    ]
    rng = random.Random(20261203)
    found += [
        Case(f"manifest mutation {n}", mutate(manifest, rng), lock, on_manifest) for n in range(90)
    ]
    found += [Case(f"lock mutation {n}", manifest, mutate(lock, rng), on_lock) for n in range(50)]
    found += [
        Case(f"loose lock mutation {n}", loose_manifest, mutate(loose, rng), on_lock)
        for n in range(40)
    ]
    return found


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def run_case(case: Case, root: Path) -> list[str]:
    """Every problem this case shows (empty: none)."""
    folder = root / f"case-{abs(hash(case.name))}"
    folder.mkdir()
    (folder / "mlhub.yaml").write_bytes(case.manifest.encode(errors="surrogateescape"))
    (folder / "mlhub.lock").write_bytes(case.lock.encode(errors="surrogateescape"))
    home = root / f"home-{abs(hash(case.name))}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "MLHUB_HOME": str(home / ".mlhub"),
        "MLHUB_SYNC_CACHE": str(home / "cache"),
        "MLHUB_ROOT_URL": "http://127.0.0.1:9/mlhub/v1/",
    }
    before = tree(folder)
    problems = []
    for command in case.commands:
        try:
            result = subprocess.run(
                [sys.executable, "-m", "mlhub_sync", *command],
                cwd=folder,
                env=env,
                capture_output=True,
                timeout=TIMEOUT,
                preexec_fn=limited,
                check=False,
            )
        except subprocess.TimeoutExpired:
            problems.append(f"{case.name}: {command}: hung for {TIMEOUT} s")
            continue
        stderr = result.stderr.decode(errors="replace")
        lines = stderr.strip().splitlines()
        if "Traceback" in stderr or "MemoryError" in stderr:
            problems.append(f"{case.name}: {command}: {stderr[-600:]}")
        elif result.returncode not in ALLOWED:
            problems.append(f"{case.name}: {command}: exit {result.returncode}: {stderr[-300:]}")
        elif result.returncode == exitcodes.BAD_INPUT and not 1 <= len(lines) <= 2:
            problems.append(f"{case.name}: {command}: {len(lines)} lines of error: {stderr[-300:]}")
    if tree(folder) != before:
        problems.append(f"{case.name}: files changed: {sorted(set(tree(folder)) ^ set(before))}")
    shutil.rmtree(folder)
    return problems


def test_hostile_and_mutated_manifests_and_locks(tmp_path: Path) -> None:
    every = cases()
    assert len(every) >= 200
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        problems = [p for found in pool.map(lambda c: run_case(c, tmp_path), every) for p in found]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("name", ["alias bomb", "many tiny values", "deep nesting"])
def test_the_worst_shapes_are_refused_quickly_with_a_clear_line(tmp_path: Path, name: str) -> None:
    (tmp_path / "mlhub.yaml").write_text(TARGETED_MANIFESTS[name])
    result = subprocess.run(
        [sys.executable, "-m", "mlhub_sync", "lock", "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limited,
        check=False,
    )
    assert result.returncode == exitcodes.BAD_INPUT
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
