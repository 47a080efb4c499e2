"""The lock file's text: written a collection at a time, identical to dumping it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlhub_sync.sync import yamlio
from mlhub_sync.sync.lockfile import HEADER, Lock, LockedCollection, LockedDataset

LONG = "A title: with a colon, 'quotes', unicode — and length " * 4


def lock_with(datasets: list[LockedDataset]) -> Lock:
    return Lock("http://127.0.0.1:8000/mlhub/v1/", datasets)


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


LOOSE = LockedDataset(
    "kenya",
    "Kenya",
    {},
    "resume",
    False,
    [
        LockedCollection("a b/ü.tif", [], 5, digests={"md5": "d" * 32}),
        LockedCollection("data/0/x.tif", [], 0, digests={}),
        LockedCollection("data/1/y.tif", [], 7, digests={"md5": "e" * 32, "xxh3_128": "f" * 32}),
        LockedCollection("z.json", [], 9, digests={"xxh3_128": "1" * 32}),
    ],
    {"url": "az://radiantearth/mlhub/kenya-crop-challenge/", "include": ["data/**"]},
)


@pytest.mark.parametrize(
    "datasets", [[LOOSE], [LOOSE, LockedDataset("m", None, {}, "skip", False, [COLLECTION])]]
)
def test_a_lock_of_loose_files_reads_back_as_written(
    datasets: list[LockedDataset], tmp_path: Path
) -> None:
    from mlhub_sync.sync.lockfile import read_lock

    lock = lock_with(datasets)
    path = tmp_path / "mlhub.lock"
    lock.write(path)
    text = path.read_text()
    assert "version: 3" in text and "  entries: |\n    5\tstated\tmd5:" in text
    assert "manifest_hash" not in text
    assert yamlio.parse(text.encode(), str(path)).data == lock.to_dict()  # plain YAML
    (tmp_path / "copy.lock").write_text(text)  # not in the parse cache: parsed for real
    again = read_lock(tmp_path / "copy.lock")
    assert again == lock
    marks = [line.split("\t")[1] for line in LOOSE.entries_text.splitlines()]
    assert marks == ["stated", "-", "verified", "tofu"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("\t7\t", "\t8\t").replace("7\tverified", "8\tverified"),
            "do not match",
        ),
        (lambda t: t.replace("z.json", "../z.json"), "unsafe or out of order"),
        (lambda t: t.replace("z.json", "a.json"), "unsafe or out of order"),
        (lambda t: t.replace("md5:" + "d" * 32, "md5:zz"), "bad digest"),
        (lambda t: t.replace("    0\t-", "    x\t-"), "is not SIZE, MARK, DIGESTS, PATH"),
    ],
    ids=["size edited", "path escapes", "out of order", "bad digest", "bad size"],
)
def test_a_damaged_file_list_is_a_located_error(edit: object, message: str, tmp_path: Path) -> None:
    from mlhub_sync.exceptions import ConfigError
    from mlhub_sync.sync.lockfile import read_lock

    path = tmp_path / "mlhub.lock"
    lock_with([LOOSE]).write(path)
    (tmp_path / "edited.lock").write_text(edit(path.read_text()))  # type: ignore[operator]
    with pytest.raises(ConfigError, match=message) as error:
        read_lock(tmp_path / "edited.lock")
    assert "edited.lock" in str(error.value) and "\n" not in str(error.value)
