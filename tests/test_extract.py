"""Archive member checks of our own: every hostile shape refused before anything is written,
whatever the running Python's ``tarfile`` filter does (it is switched off here to prove it)."""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlhub_sync.sync import extract
from mlhub_sync.sync.extract import UnsafeArchive, extract_archive

Member = tuple[str, bytes, str]  # (name, type, link target or data)


def build(path: Path, members: list[tuple[str, bytes, str]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, kind, value in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.REGTYPE:
                info.size = len(value)
                tar.addfile(info, io.BytesIO(value.encode()))
            else:
                info.linkname = value
                tar.addfile(info)
    return path


def cve_2025_4517_shape() -> list[Member]:
    """The public reproduction's shape: links through 247-byte folders up to PATH_MAX, then a
    link that is lexically inside but really climbs out, and a file written through it."""
    members: list[Member] = []
    comp, steps, path = "d" * 247, "abcdefghijklmnop", ""
    for step in steps:
        members.append((os.path.join(path, comp), tarfile.DIRTYPE, ""))
        members.append((os.path.join(path, step), tarfile.SYMTYPE, comp))
        path = os.path.join(path, comp)
    link = os.path.join(*steps, "l" * 254)
    members.append((link, tarfile.SYMTYPE, "../" * len(steps)))
    members.append(("escape", tarfile.SYMTYPE, link + "/../../.."))
    members.append(("escape/pwned.txt", tarfile.REGTYPE, "outside"))
    return members


HOSTILE: dict[str, list[Member]] = {
    "PATH_MAX chain": cve_2025_4517_shape(),
    "link to a link": [
        ("c/d", tarfile.DIRTYPE, ""),
        ("a", tarfile.SYMTYPE, "c/d"),
        ("b", tarfile.SYMTYPE, "a/.."),
    ],
    "written through a link": [
        ("inner", tarfile.DIRTYPE, ""),
        ("l", tarfile.SYMTYPE, "inner"),
        ("l/file", tarfile.REGTYPE, "x"),
    ],
    "hard link to a symlink": [
        ("f", tarfile.REGTYPE, "x"),
        ("s", tarfile.SYMTYPE, "f"),
        ("h", tarfile.LNKTYPE, "s"),
    ],
    "link out": [("up", tarfile.SYMTYPE, "../../outside")],
    "absolute link": [("abs", tarfile.SYMTYPE, "/etc/passwd")],
    "hard link out": [("h", tarfile.LNKTYPE, "../outside")],
    "dot-dot": [("../x", tarfile.REGTYPE, "x")],
    "absolute": [("/tmp/x", tarfile.REGTYPE, "x")],
    "device": [("dev", tarfile.CHRTYPE, "")],
    "fifo": [("fifo", tarfile.FIFOTYPE, "")],
}


@pytest.fixture(params=[True, False], ids=["with-filter", "without-filter"])
def python_filter(request: pytest.FixtureRequest) -> Iterator[None]:
    saved = extract._HAS_DATA_FILTER
    extract._HAS_DATA_FILTER = bool(request.param)
    yield
    extract._HAS_DATA_FILTER = saved


@pytest.mark.parametrize("shape", list(HOSTILE))
def test_hostile_members_are_refused_before_anything_is_written(
    tmp_path: Path, shape: str, python_filter: None
) -> None:
    archive = build(tmp_path / "evil.tar.gz", HOSTILE[shape])
    destination = tmp_path / "target" / "ds" / "coll"
    destination.parent.mkdir(parents=True)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(UnsafeArchive, match="refusing to extract"):
        extract_archive(archive, destination)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_plain_links_inside_still_extract(tmp_path: Path, python_filter: None) -> None:
    archive = build(
        tmp_path / "ok.tar.gz",
        [
            ("coll/data", tarfile.DIRTYPE, ""),
            ("coll/data/a.tif", tarfile.REGTYPE, "bytes"),
            ("coll/latest.tif", tarfile.SYMTYPE, "data/a.tif"),
            ("coll/copy.tif", tarfile.LNKTYPE, "coll/data/a.tif"),
        ],
    )
    destination = tmp_path / "out"
    extract_archive(archive, destination)
    assert (destination / "coll" / "latest.tif").read_text() == "bytes"
    assert (destination / "coll" / "copy.tif").read_text() == "bytes"
