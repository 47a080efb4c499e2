"""The pure decisions, tested as tables: no server, no files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlhub_sync.client import policy
from mlhub_sync.sync import planner
from mlhub_sync.transfer import ranges

MiB = 1 << 20


@pytest.mark.parametrize(
    ("if_exists", "local", "remote", "digest", "action"),
    [
        ("skip", 10, None, False, policy.KEEP),
        ("skip", None, None, False, policy.RESUME),
        ("resume", None, 100, False, policy.RESUME),
        ("resume", 100, 100, True, policy.CHECK),
        ("resume", 100, 100, False, policy.KEEP),
        ("resume", 40, 100, True, policy.FRESH),  # another tool's partial: never resumed from
        ("resume", 140, 100, False, policy.FRESH),
        ("overwrite", 100, 100, True, policy.FRESH),
        ("overwrite", None, 100, False, policy.FRESH),
    ],
)
def test_library_if_exists_table(
    if_exists: str, local: int | None, remote: int | None, digest: bool, action: str
) -> None:
    assert policy.download_action(if_exists, local, remote, digest)[0] == action


@pytest.mark.parametrize("value", ["resum", "", "SKIP", None, 1])
def test_library_refuses_unknown_if_exists(value: object) -> None:
    with pytest.raises(ValueError, match="if_exists must be one of"):
        policy.check_if_exists(value)


@pytest.mark.parametrize(
    ("condition", "skip", "resume", "overwrite"),
    [
        (planner.MISSING, planner.DOWNLOAD, planner.DOWNLOAD, planner.DOWNLOAD),
        (planner.PARTIAL, planner.REPORT, planner.RESUME, planner.DOWNLOAD),
        (planner.VERIFIED, planner.KEEP, planner.KEEP, planner.KEEP),
        (planner.UNVERIFIED, planner.VERIFY, planner.VERIFY, planner.VERIFY),
        (planner.WRONG, planner.REPORT, planner.DOWNLOAD, planner.DOWNLOAD),
    ],
)
def test_apply_decision_table(condition: str, skip: str, resume: str, overwrite: str) -> None:
    for policy_name, action in (("skip", skip), ("resume", resume), ("overwrite", overwrite)):
        assert planner.decide(policy_name, condition, "why")[0] == action
        assert planner.decide(policy_name, condition, "why", force=True)[0] == planner.DOWNLOAD


@pytest.mark.parametrize(
    ("size", "part_done", "record", "condition"),
    [
        (None, None, False, planner.MISSING),
        (None, 0, False, planner.PARTIAL),  # our .part with its journal, nothing written yet
        (None, 50, False, planner.PARTIAL),
        (40, None, False, planner.WRONG),  # smaller file at the final path: never resumed
        (140, None, True, planner.WRONG),
        (100, None, False, planner.UNVERIFIED),
        (100, None, True, planner.VERIFIED),
    ],
)
def test_local_conditions(
    size: int | None, part_done: int | None, record: bool, condition: str
) -> None:
    from mlhub_sync.sync.lockfile import LockedCollection
    from mlhub_sync.sync.state import ArchiveRecord

    locked = LockedCollection("c", ["labels"], 100)
    stored = ArchiveRecord("d/c.tar.gz", 100, 1, 1, "a" * 32) if record else None
    local = planner.Local(size, part_done, stored, stale_record=False, extracted=False)
    assert planner.condition_of(locked, local)[0] == condition


@pytest.mark.parametrize(
    ("done", "size", "gaps", "prefix"),
    [
        ([], 10, [(0, 10)], 0),
        ([(0, 10)], 10, [], 10),
        ([(0, 3), (5, 7)], 10, [(3, 5), (7, 10)], 3),
        ([(5, 7), (0, 5)], 10, [(7, 10)], 7),  # out of order, adjacent
        ([(2, 4), (3, 8)], 10, [(0, 2), (8, 10)], 0),  # overlapping
        ([(0, 12)], 10, [], 12),  # beyond the end is clipped by the caller, not here
    ],
)
def test_range_arithmetic(
    done: list[tuple[int, int]], size: int, gaps: list[tuple[int, int]], prefix: int
) -> None:
    assert ranges.missing(done, size) == gaps
    assert ranges.prefix(done) == prefix


@pytest.mark.parametrize(
    ("gaps", "connections", "expected"),
    [
        ([(0, 32 * MiB)], 4, 4),  # split evenly
        ([(0, 32 * MiB)], 16, 8),  # not below the minimum segment (4 MiB)
        ([(0, 5 * MiB)], 16, 1),  # too small to split
        ([(0, 1 * MiB), (10 * MiB, 42 * MiB)], 3, 3),  # the biggest gap is cut first
    ],
)
def test_segments(gaps: list[tuple[int, int]], connections: int, expected: int) -> None:
    pieces = ranges.segments(gaps, connections, 4 * MiB)
    assert len(pieces) == expected
    assert ranges.merge(pieces) == ranges.merge(gaps)  # the same bytes, cut differently
    assert all(end - start >= 4 * MiB for start, end in pieces if (start, end) not in gaps)


@pytest.mark.parametrize(
    ("position", "end", "cut"),
    [
        (0, 16 * MiB, 8 * MiB),
        (0, 7 * MiB, None),  # less than two minimum segments left: not worth a request
        (3 * MiB + 5, 12 * MiB + 5, 7 * MiB + MiB // 2),  # aligned to 64 KiB
    ],
)
def test_steal_point(position: int, end: int, cut: int | None) -> None:
    assert ranges.steal_point(position, end, 4 * MiB) == cut


@pytest.mark.parametrize("pinned", [True, False])
@pytest.mark.parametrize(
    "case", ["in sync", "other pin", "touched", "no record", "missing", "larger", "forced"]
)
def test_the_in_sync_shortcut_decides_as_the_table(case: str, pinned: bool, tmp_path: Path) -> None:
    """``plan`` keeps verified files without building an observation; it must decide exactly
    as ``step_for(observe(…))`` does, whatever the file, the record and the lock say."""
    from mlhub_sync.digests import hash_file
    from mlhub_sync.sync.lockfile import Lock, LockedCollection, LockedDataset
    from mlhub_sync.sync.state import ArchiveRecord, State

    target = tmp_path / "data"
    final = target / "d" / "sub" / "f.bin"
    final.parent.mkdir(parents=True)
    final.write_bytes(b"x" * 10)
    digests = hash_file(final)
    record = ArchiveRecord.of(final, target, digests, None)
    pin = {"xxh3_128": digests["xxh3_128"] if case != "other pin" else "0" * 32}
    locked = LockedCollection("sub/f.bin", [], 10, digests=pin if pinned else {})
    dataset = LockedDataset("d", None, {}, "resume", False, [locked], {"url": "s3://b/p/"})
    if case == "touched":
        os.utime(final, ns=(1, 1))
    if case == "missing":
        final.unlink()
    if case == "larger":
        final.write_bytes(b"x" * 11)
    state = State(target, {} if case == "no record" else {"d/sub/f.bin": record})
    force = {"d"} if case == "forced" else None
    (step,) = planner.plan(Lock(None, [dataset]), target, state, force)
    slow = planner.step_for(
        dataset, locked, planner.observe(target, "d", locked, state, True), force is not None
    )
    assert (step.condition, step.action, step.reason, step.transfer_bytes) == (
        slow.condition,
        slow.action,
        slow.reason,
        slow.transfer_bytes,
    )
