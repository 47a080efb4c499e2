"""``cite``: a reference per dataset in the lock, as its publisher states it (DOI, citation),
from the MLHub record or the built-in catalogue; BibTeX that parses, CSL-JSON that loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import API_KEY
from support import MirrorServer
from sync_support import Workspace

from mlhub_sync.cite import Reference, bibtex
from mlhub_sync.sync.lockfile import Lock, LockedCollection, LockedDataset


def test_cite_names_the_recorded_doi_and_citation(
    recorded_server: MirrorServer, tmp_path: Path
) -> None:
    work = Workspace(
        tmp_path / "p",
        recorded_server.url,
        [
            {
                "id": "ref_african_crops_kenya_02",
                "collections": ["ref_african_crops_kenya_02_labels"],
            }
        ],
    )
    work.run("lock", env={"MLHUB_API_KEY": API_KEY})
    text = work.run("cite", env={"MLHUB_API_KEY": API_KEY}).stdout
    assert text.startswith("@misc{ref_african_crops_kenya_02,")
    assert "doi = {10.34911/rdnt.dw605x}" in text
    assert "url = {https://doi.org/10.34911/rdnt.dw605x}" in text
    assert "CV4A Competition Kenya Crop Type Dataset" in text
    assert text.count("{") == text.count("}")  # balanced: BibTeX reads it
    csl = json.loads(work.run("cite", "--csl-json", env={"MLHUB_API_KEY": API_KEY}).stdout)
    assert [(c["id"], c["type"], c["DOI"]) for c in csl] == [
        ("ref_african_crops_kenya_02", "dataset", "10.34911/rdnt.dw605x")
    ]


def test_loose_datasets_cite_the_catalogue_and_say_when_no_doi_is_known(tmp_path: Path) -> None:
    kenya = LockedDataset(
        "ref_african_crops_kenya_02",
        "Kenya",
        {},
        "resume",
        False,
        [LockedCollection("a.tif", [], 1)],
        {"url": "az://radiantearth/mlhub/kenya-crop-challenge/"},
    )
    mine = LockedDataset(
        "lab_tiles",
        None,
        {},
        "resume",
        False,
        [LockedCollection("b.tif", [], 1)],
        {"url": "s3://tiles/2024/", "endpoint": "https://data.source.coop"},
    )
    work = Workspace(tmp_path / "p", "http://unused.invalid/")
    Lock(None, [kenya, mine]).write(work.lock)
    text = work.run("cite").stdout  # no request: both come from the lock and the catalogue
    assert "doi = {10.34911/rdnt.dw605x}" in text
    lab = text.split("@misc{lab_tiles,")[1]
    assert "doi" not in lab and "url = {s3://tiles/2024/}" in lab
    assert "no DOI stated by its publisher" in lab


def test_bibtex_escapes_what_would_break_it() -> None:
    ref = Reference("a b", "Title {with} 50% & more_x", None, "[link](https://x.y/z) #1", None)
    text = bibtex([ref])
    assert text.startswith("@misc{a_b,")
    assert r"Title \{with\} 50\% \& more\_x" in text and r"link \#1" in text
    assert not re.search(r"(?<!\\)[{}]", text.split("title = {", 1)[1].split("},", 1)[0])
