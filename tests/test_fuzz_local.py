"""Hostile and mutated local files and arguments (issue 13), through the real CLI: the target's
state file, a partial download's journal, the profiles file, and command lines — targeted
cases plus seeded random mutations (≥ 300 cases), each child under a 2 GiB memory limit and a
timeout, against a real server on loopback.

Asserted for every run: no traceback, no hang, no MemoryError, an exit code from the table,
an error of one or two lines; and nothing created, changed or deleted outside what the tool
owns — a listing of the scratch tree (outside the target folder) and of ``$HOME`` (outside
the tool's cache and profiles folder) is the same before and after. A sentinel folder beside
the project, which hostile records and links point at, must stay as it was.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support import MirrorServer
from sync_support import Workspace

from mlhub_sync import exitcodes

MEMORY = 2 << 30
TIMEOUT = 20
ALLOWED = set(exitcodes.TABLE)
HOSTILE_TEXT = [
    "",
    "..",
    "../../sentinel/keep.txt",
    "/etc/passwd",
    "SENTINEL",  # replaced by the sentinel folder's absolute path
    "a" * 5000,
    "a\x00b",
    "\x01\x02",
    "%s%n",
    "~",
    "~/x",
    "beta/beta_both",
    "beta/beta_both.tar.gz",
    "data/../mlhub.yaml",
    "http://127.0.0.1:99999/",
    "http://a b/",
    "-1",
    "99999999999999999999999",
    "\u202e\ufeff",
]
HOSTILE_VALUES: list[object] = [
    *HOSTILE_TEXT,
    None,
    True,
    -1,
    10**30,
    1.5,
    [],
    {},
    [[[[[]]]]],
    {"a": {"b": {}}},
]


@dataclass
class Case:
    name: str
    prepare: Callable[[Path], object]  # edits a fresh copy of the applied project
    commands: list[list[str]]
    stdin: bytes = b""
    owned: tuple[str, ...] = field(default=("data",))  # top-level names the tool may change


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def listing(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int, int]]:
    """Path → (mode, size, mtime) of everything under ``folder``, links not followed."""
    found = {}
    for root, dirs, files in os.walk(folder):
        rel_root = os.path.relpath(root, folder)
        if rel_root.split(os.sep)[0] in skip:
            dirs[:] = []
            continue
        for name in dirs + files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            if rel.split(os.sep)[0] in skip:
                continue
            info = os.lstat(path)
            found[rel] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


# -- state file cases ------------------------------------------------------------------------


def state_of(project: Path) -> Path:
    return project / "data" / ".mlhub-sync" / "state.json"


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(max(1, len(out)))
        kind = rng.choice(["flip", "insert", "delete", "truncate"])
        if kind == "flip":
            out[at] = rng.choice(b'{}[],:"\\0123456789-.aeflnrstu \n\x00\xff')
        elif kind == "insert":
            out[at:at] = rng.choice([b'"../"', b"[", b"]", b"{", b"null", b"1e999", b'"\\u0000"'])
        elif kind == "delete":
            del out[at : at + rng.randint(1, 30)]
        else:
            del out[at:]
    return bytes(out)


def state_cases(rng: random.Random, sentinel: Path) -> list[Case]:
    cases = []
    commands = [["status"], ["verify"], ["apply", "--prune"]]

    def value(choice: object) -> object:
        return str(sentinel / "keep.txt") if choice == "SENTINEL" else choice

    def set_field(key: str, index: int, choice: object) -> Callable[[Path], object]:
        def prepare(project: Path) -> None:
            data = json.loads(state_of(project).read_text())
            row = data["archives"][key]
            row += [None] * (10 - len(row))
            row[index] = value(choice)
            state_of(project).write_text(json.dumps(data))

        return prepare

    def planted(path: object, extracted: object) -> Callable[[Path], object]:
        """A record of a file no lock lists, owned by this project: what --prune acts on."""

        def prepare(project: Path) -> None:
            data = json.loads(state_of(project).read_text())
            row = [value(path), 5, 0, 0, "0" * 32, None, None, None, value(extracted), None]
            data["archives"]["evil/x"] = row
            for keys in data["projects"].values():
                keys.append("evil/x")
            state_of(project).write_text(json.dumps(data))

        return prepare

    keys = ["alpha/alpha_source", "alpha/alpha_labels", "beta/beta_both"]
    for n in range(60):
        key, index = rng.choice(keys), rng.randrange(10)
        choice = rng.choice(HOSTILE_VALUES)
        cases.append(Case(f"state field {n}", set_field(key, index, choice), commands))
    for n in range(20):
        path, extracted = rng.choice(HOSTILE_VALUES), rng.choice([None, *HOSTILE_VALUES])
        cases.append(Case(f"state planted {n}", planted(path, extracted), commands))
    for n in range(40):
        seed = rng.random()

        def mutated(project: Path, seed: float = seed) -> None:
            path = state_of(project)
            path.write_bytes(mutate_bytes(path.read_bytes(), random.Random(seed)))

        cases.append(Case(f"state bytes {n}", mutated, commands))

    def replaced(make: Callable[[Path], object]) -> Callable[[Path], object]:
        def prepare(project: Path) -> None:
            state_of(project).unlink()
            make(state_of(project))

        return prepare

    targeted: dict[str, Callable[[Path], object]] = {
        "link to dev zero": replaced(lambda p: p.symlink_to("/dev/zero")),
        "link to sentinel": replaced(lambda p: p.symlink_to(sentinel / "keep.txt")),
        "folder": replaced(lambda p: p.mkdir()),
        "deep": replaced(lambda p: p.write_text("[" * 100_000 + "]" * 100_000)),
        "huge string": replaced(lambda p: p.write_text('"' + "a" * (50 << 20) + '"')),
        "fifo": replaced(lambda p: os.mkfifo(p)),
        "state folder a link": lambda project: _swap_folder(project, sentinel),
    }
    cases += [Case(f"state {n}", prepare, commands) for n, prepare in targeted.items()]
    return cases


def _swap_folder(project: Path, sentinel: Path) -> None:
    folder = project / "data" / ".mlhub-sync"
    shutil.rmtree(folder)
    folder.symlink_to(sentinel)


def _writer(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


# -- journal cases ---------------------------------------------------------------------------


def journal_cases(rng: random.Random, sentinel: Path) -> list[Case]:
    commands = [["status"], ["apply"]]
    head = (
        b'mlhub-sync journal 1\n{"version": {"size": 200000, "etag": null, "last_modified": null}'
        b', "part": [1, 2], "boot": "x"}\n+ 0 4096\ns 1\n'
    )

    def partial(journal: Callable[[Path], object]) -> Callable[[Path], object]:
        def prepare(project: Path) -> None:
            final = project / "data" / "beta" / "beta_both.tar.gz"
            final.unlink()
            Path(f"{final}.part").write_bytes(b"\x00" * 4096)
            journal(Path(f"{final}.part.journal"))

        return prepare

    cases = []
    for n in range(40):
        data = mutate_bytes(head, random.Random(rng.random()))
        cases.append(Case(f"journal bytes {n}", partial(_writer(data)), commands))
    targeted: dict[str, Callable[[Path], object]] = {
        "link to dev zero": lambda p: p.symlink_to("/dev/zero"),
        "link to sentinel": lambda p: p.symlink_to(sentinel / "keep.txt"),
        "folder": lambda p: p.mkdir(),
        "deep": lambda p: p.write_bytes(head[:21] + b"[" * 100_000 + b"\n"),
        "huge": lambda p: p.write_bytes(head + b"+ 0 1\n" * 12_000_000),
        "ranges past the end": lambda p: p.write_bytes(head + b"+ 0 99999999999999\n"),
        "negative range": lambda p: p.write_bytes(head + b"+ -5 3\n"),
    }
    cases += [Case(f"journal {n}", partial(j), commands) for n, j in targeted.items()]
    return cases


# -- config cases ----------------------------------------------------------------------------


def config_cases(rng: random.Random, sentinel: Path) -> list[Case]:
    good = b"[default]\napi_key = abc123\n\n[lab]\napi_key = k-2\n"

    def profiles(write: Callable[[Path], object]) -> Callable[[Path], object]:
        def prepare(project: Path) -> None:
            folder = project / "home" / ".mlhub"
            folder.mkdir(parents=True, exist_ok=True)
            write(folder / "profiles")

        return prepare

    read = [["status"], ["datasets", "--api-url", "API"], ["configure", "--api-key", "-"]]
    cases = []
    for n in range(30):
        data = mutate_bytes(good, random.Random(rng.random()))
        cases.append(
            Case(
                f"profiles bytes {n}",
                profiles(_writer(data)),
                read,
                stdin=b"new-key\n",
                owned=("data", "home"),
            )
        )
    targeted: dict[str, Callable[[Path], object]] = {
        "link to dev zero": lambda p: p.symlink_to("/dev/zero"),
        "link to sentinel": lambda p: p.symlink_to(sentinel / "keep.txt"),
        "folder": lambda p: p.mkdir(),
        "fifo": lambda p: os.mkfifo(p),
        "huge": lambda p: p.write_bytes(good + b"x = " + b"y" * (3 << 20) + b"\n"),
        "not utf-8": lambda p: p.write_bytes(b"[default]\napi_key = \xff\xfe\n"),
        "no header": lambda p: p.write_bytes(b"api_key = 1\n"),
    }
    cases += [
        Case(f"profiles {n}", profiles(w), read, stdin=b"k\n", owned=("data", "home"))
        for n, w in targeted.items()
    ]
    stdins = [b"", b"\n", b"a b\n", b"x]\napi_key = evil\n[default\n", b"%(x)s\n", b"\xff\n"]
    stdins += [b"k" * 5000, b"\x00\n", b"ok-key\n"]
    names = ["DEFAULT", "x]\n[y", "a" * 100, "", "lab", "../x", "a b"]
    for n, (stdin, name) in enumerate((s, p) for s in stdins for p in names[:3]):
        cases.append(
            Case(
                f"configure {n}",
                lambda _: None,
                [["configure", "--api-key", "-", "--profile", name]],
                stdin=stdin,
                owned=("data", "home"),
            )
        )
    return cases


# -- argument cases --------------------------------------------------------------------------

COMMANDS = {
    "lock": ["--check", "--update", "--remote", "-j", "--mirror", "--api-url"],
    "apply": ["--dry-run", "--force", "--prune", "--locked", "--frozen", "-j", "--strict"],
    "status": ["--json", "--remote", "--mirror"],
    "verify": ["--json", "--remote", "--mirror"],
    "info": ["--api-url"],
    "cite": ["--format"],
    "add": ["--source"],
    "datasets": ["--api-url"],
}


def argument_cases(rng: random.Random) -> list[Case]:
    cases = []
    for n in range(110):
        command = rng.choice(list(COMMANDS))
        argv = [command]
        for _ in range(rng.randint(0, 3)):
            if rng.random() < 0.6:
                argv.append(rng.choice(COMMANDS[command]))
            argv.append(rng.choice([*HOSTILE_TEXT, "alpha", "beta", "1", "0", "API"]))
        cases.append(
            Case(
                f"args {n}: {argv!r:.60}",
                lambda _: None,
                [argv],
                owned=("data", "mlhub.yaml", "mlhub.lock", "home"),
            )
        )
    return cases


# -- running ---------------------------------------------------------------------------------


def run_case(case: Case, template: Path, scratch: Path, sentinel: Path, api: str) -> list[str]:
    root = scratch / f"case-{abs(hash(case.name)):x}"
    project = root / "p"
    shutil.copytree(template, project, symlinks=True)
    (root / "beside.txt").write_text("next to the project")
    home = project / "home"
    home.mkdir(exist_ok=True)
    problems = []
    try:
        case.prepare(project)
    except OSError as exc:  # a case the file system cannot make (FIFO on some mounts)
        shutil.rmtree(root)
        return [] if "fifo" in case.name else [f"{case.name}: cannot prepare: {exc}"]
    skip = (*case.owned, ".mlhub-cache")
    before = listing(root, ("p",)), listing(project, skip), listing(sentinel)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "MLHUB_HOME": str(home / ".mlhub"),
        "MLHUB_SYNC_CACHE": str(project / ".mlhub-cache"),
        "MLHUB_ROOT_URL": api,
    }
    for command in case.commands:
        argv = [api if a == "API" else str(sentinel) if a == "SENTINEL" else a for a in command]
        try:
            result = subprocess.run(
                [sys.executable, "-m", "mlhub_sync", *argv],
                cwd=project,
                env=env,
                input=case.stdin,
                capture_output=True,
                timeout=TIMEOUT,
                preexec_fn=limited,
                check=False,
            )
        except subprocess.TimeoutExpired:
            problems.append(f"{case.name}: {argv!r:.120}: hung for {TIMEOUT} s")
            continue
        except ValueError as exc:  # NUL in an argument: no process can be started with it
            assert "null" in str(exc).lower()
            continue
        stderr = result.stderr.decode(errors="replace")
        lines = stderr.strip().splitlines()
        where = f"{case.name}: {argv!r:.120}"
        if "Traceback" in stderr or "MemoryError" in stderr:
            problems.append(f"{where}: {stderr[-700:]}")
        elif result.returncode not in ALLOWED:
            problems.append(f"{where}: exit {result.returncode}: {stderr[-300:]}")
        elif result.returncode == exitcodes.BAD_INPUT and not 1 <= len(lines) <= 2:
            problems.append(f"{where}: {len(lines)} lines of error: {stderr[-300:]}")
    after = listing(root, ("p",)), listing(project, skip), listing(sentinel)
    for label, old, new in zip(("scratch", "project", "sentinel"), before, after, strict=True):
        if old != new:
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            problems.append(
                f"{case.name}: {label} changed outside what the tool owns: {changed[:5]}"
            )
    shutil.rmtree(root)
    return problems


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, sync_server: MirrorServer) -> Path:
    """A project locked and applied once (alpha and beta), copied for every case."""
    root = tmp_path_factory.mktemp("fuzz-local")
    project = Workspace(root / "p", sync_server.url, ["alpha", "beta"])
    project.run("lock")
    project.run("apply")
    return project.root


def test_hostile_local_files_config_and_arguments(
    template: Path, sync_server: MirrorServer, tmp_path: Path
) -> None:
    rng = random.Random(20261204)
    sentinel = tmp_path / "sentinel"  # what hostile records and links point at
    sentinel.mkdir()
    (sentinel / "keep.txt").write_text("the user's")
    scratch = tmp_path / "cases"
    scratch.mkdir()
    every = (
        state_cases(rng, sentinel)
        + journal_cases(rng, sentinel)
        + config_cases(rng, sentinel)
        + argument_cases(rng)
    )
    assert len(every) >= 300
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        found = pool.map(lambda c: run_case(c, template, scratch, sentinel, sync_server.url), every)
        problems = [p for per_case in found for p in per_case]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:25])
