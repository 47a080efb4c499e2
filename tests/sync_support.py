"""Helpers for the lockfile workflow tests: a synthetic mirror and a project folder."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import yaml
from support import make_archive, write_json

# dataset id -> [(collection id, types, payload bytes)]
LAYOUT: dict[str, list[tuple[str, list[str], int]]] = {
    "alpha": [
        ("alpha_source", ["source_imagery"], 3_000_000),
        ("alpha_labels", ["labels"], 40_000),
    ],
    "beta": [("beta_both", ["source_imagery", "labels"], 200_000)],
}


def build_sync_mirror(root: Path, seed: int = 1) -> dict[str, bytes]:
    """Datasets alpha (two collections) and beta (one typed both); returns archive bytes."""
    rng = random.Random(seed)
    archives: dict[str, bytes] = {}
    for dataset_id, collections in LAYOUT.items():
        write_json(
            root / "datasets" / f"{dataset_id}.json",
            {
                "id": dataset_id,
                "title": dataset_id.title(),
                "collections": [{"id": c, "types": t} for c, t, _ in collections],
            },
        )
        for collection_id, _, size in collections:
            write_json(
                root / "collections" / f"{collection_id}.json",
                {"id": collection_id, "description": collection_id, "links": []},
            )
            data = make_archive({f"{collection_id}/data.bin": rng.randbytes(size)})
            archives[collection_id] = data
            path = root / "archives" / f"{collection_id}.tar.gz"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return archives


class Workspace:
    """A project folder (mlhub.yaml, mlhub.lock, data/) driven through the real CLI."""

    def __init__(
        self, root: Path, api_url: str, datasets: list[object] | None = None, **settings: object
    ) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.api_url = api_url
        self.write_manifest(datasets or ["alpha", "beta"], **settings)

    @property
    def manifest(self) -> Path:
        return self.root / "mlhub.yaml"

    @property
    def lock(self) -> Path:
        return self.root / "mlhub.lock"

    def archive(self, dataset_id: str, collection_id: str) -> Path:
        return self.root / "data" / dataset_id / f"{collection_id}.tar.gz"

    def write_manifest(self, datasets: list[object], **settings: object) -> None:
        body = {"version": 1, "api_url": self.api_url, **settings, "datasets": datasets}
        self.manifest.write_text(yaml.safe_dump(body, sort_keys=False))

    def env(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MLHUB_")}
        return {
            **clean,
            "MLHUB_HOME": str(self.root / ".mlhub-home"),
            "MLHUB_SYNC_CACHE": str(self.root / ".mlhub-cache"),
        }

    def run(
        self, *args: str, expect: int | None = 0, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "mlhub_sync", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**self.env(), **(env or {})},
            timeout=120,
            check=False,
        )
        if expect is not None:
            assert result.returncode == expect, (
                args,
                result.returncode,
                result.stdout,
                result.stderr,
            )
        return result

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "mlhub_sync", *args],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )

    def lock_data(self) -> dict[str, object]:
        data: dict[str, object] = yaml.safe_load(self.lock.read_text())
        return data

    def locked(self, collection_id: str) -> dict[str, object]:
        for dataset in self.lock_data()["datasets"]:  # type: ignore[attr-defined]
            for collection in dataset["collections"]:
                if collection["id"] == collection_id:
                    return collection  # type: ignore[no-any-return]
        raise KeyError(collection_id)


def journalled(final: Path) -> int:
    """Bytes the journal of ``final``'s partial download lists as written (0 without one)."""
    journal = final.with_name(final.name + ".part.journal")
    try:
        lines = journal.read_text().splitlines()[2:]
    except FileNotFoundError:
        return 0
    spans = [line.split() for line in lines if line.startswith("+ ")]
    return sum(int(end) - int(start) for _, start, end in spans if end.isdigit())
