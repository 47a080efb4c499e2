"""The lock file's text: written a collection at a time, identical to dumping it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlhub_sync.sync import yamlio
from mlhub_sync.sync.lockfile import HEADER, Lock, LockedCollection, LockedDataset

LONG = "A title: with a colon, 'quotes', unicode — and length " * 4


def lock_with(datasets: list[LockedDataset]) -> Lock:
    return Lock(f"xxh3_128:{'a' * 32}", "http://127.0.0.1:8000/mlhub/v1/", datasets)


COLLECTION = LockedCollection(
    "c_1",
    ["source_imagery", "labels"],
    12,
    '"etag"',
    "Mon, 23 Nov 2026 21:13:14 GMT",
    {"md5": "b" * 32, "xxh3_128": "c" * 32},
)


@pytest.mark.parametrize(
    "datasets",
    [
        [],
        [LockedDataset("empty", None, {}, "resume", False, [])],
        [LockedDataset("d", LONG, {"types": ["labels"]}, "skip", True, [COLLECTION])],
        [
            LockedDataset("d1", "One", {"collections": ["c_1"]}, "overwrite", False, [COLLECTION]),
            LockedDataset("d2", "", {}, "resume", False, [COLLECTION, COLLECTION]),
        ],
    ],
    ids=["no datasets", "no collections", "long title", "several"],
)
def test_streamed_lock_text_is_the_whole_document_dumped(datasets: list[LockedDataset]) -> None:
    lock = lock_with(datasets)
    assert lock.dumps() == HEADER + yamlio.dump(lock.to_dict())


def test_the_document_cache_stays_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One entry per document path; the oldest go once there are more than KEEP_ENTRIES."""
    from mlhub_sync.sync import documents

    monkeypatch.setenv("MLHUB_SYNC_CACHE", str(tmp_path / "cache"))
    for n in range(documents.KEEP_ENTRIES + 20):
        lock = lock_with([LockedDataset(f"d{n}", None, {}, "resume", False, [COLLECTION])])
        lock.write(tmp_path / f"p{n}.lock")
    entries = list((tmp_path / "cache" / "documents").iterdir())
    assert len(entries) == documents.KEEP_ENTRIES
