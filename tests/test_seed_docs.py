"""Every example of the original client's documentation page runs against our library."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest
from support import REPO, MirrorServer, make_archive, write_json

SEED_DOCS = REPO / "tests" / "seed_docs"
# The objects exactly as the documentation page prints them (the API of that time).
BIGEARTHNET = {
    "collections": [
        {"id": "bigearthnet_v1_source", "types": ["source_imagery"]},
        {"id": "bigearthnet_v1_labels", "types": ["labels"]},
    ],
    "id": "bigearthnet_v1",
    "title": "BigEarthNet V1",
}
SPACENET = {
    "collections": [{"id": "sn1_AOI_1_RIO", "types": ["source_imagery", "labels"]}],
    "id": "spacenet1",
    "title": "SpaceNet 1",
}
# Recorded archive sizes; their sum is the page's total_archive_size, 71,311,240,007.
SIZES = {"bigearthnet_v1_source": 71_138_210_977, "bigearthnet_v1_labels": 173_029_030}


def build_seed_mirror(root: Path, *, real_sizes: bool) -> dict[str, bytes]:
    """The page's datasets; archives sparse at their real sizes, or small real tarballs."""
    contents: dict[str, bytes] = {}
    write_json(root / "datasets" / "bigearthnet_v1.json", BIGEARTHNET)
    write_json(root / "datasets" / "spacenet1.json", SPACENET)
    for collection_id in [*SIZES, "sn1_AOI_1_RIO"]:
        write_json(
            root / "collections" / f"{collection_id}.json",
            {
                "id": collection_id,
                "type": "Collection",
                "stac_version": "1.0.0",
                "description": collection_id,
                "license": "CDLA-Permissive-1.0",
                "extent": {
                    "spatial": {"bbox": [[-9.0, 36.9, 31.6, 68.0]]},
                    "temporal": {"interval": [["2017-06-13T10:10:31Z", None]]},
                },
                "links": [],
            },
        )
        archive = root / "archives" / f"{collection_id}.tar.gz"
        archive.parent.mkdir(parents=True, exist_ok=True)
        if real_sizes and collection_id in SIZES:
            with archive.open("wb") as sparse:
                sparse.truncate(SIZES[collection_id])
        else:
            contents[collection_id] = make_archive({f"{collection_id}/readme.txt": b"demo"})
            archive.write_bytes(contents[collection_id])
    return contents


def run_doctest(name: str) -> None:
    failures, attempted = doctest.testfile(
        str(SEED_DOCS / name),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
        verbose=False,
        report=True,
    )
    assert attempted > 0
    assert failures == 0, f"{failures} example(s) of {name} failed (see the output above)"


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No key, no profiles, HOME in a temporary folder — a fresh user."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("MLHUB_API_KEY", "MLHUB_PROFILE", "MLHUB_HOME"):
        monkeypatch.delenv(name, raising=False)
    return home


def test_documentation_examples(
    tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = tmp_path / "mirror"
    build_seed_mirror(mirror, real_sizes=True)
    with MirrorServer(mirror) as server:
        monkeypatch.setenv("MLHUB_ROOT_URL", server.url)
        run_doctest("examples.txt")


def test_documentation_download_example(
    tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = tmp_path / "mirror"
    contents = build_seed_mirror(mirror, real_sizes=False)
    with MirrorServer(mirror) as server:
        monkeypatch.setenv("MLHUB_ROOT_URL", server.url)
        run_doctest("download.txt")
    downloads = isolated_env / "Downloads"
    assert sorted(os.listdir(downloads)) == [
        "bigearthnet_v1_labels.tar.gz",
        "bigearthnet_v1_source.tar.gz",
    ]
    for collection_id in SIZES:
        assert (downloads / f"{collection_id}.tar.gz").read_bytes() == contents[collection_id]
