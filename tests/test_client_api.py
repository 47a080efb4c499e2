"""The Python API (Dataset, Collection, client.*) against the bundled example mirror."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import API_KEY
from support import EXAMPLE_MIRROR, KENYA_LABELS, MirrorServer

import mlhub_sync
from mlhub_sync import Collection, Dataset, client
from mlhub_sync.exceptions import EntityDoesNotExist


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer(EXAMPLE_MIRROR, "--api-key", API_KEY) as running:
        yield running


@pytest.fixture
def session(server: MirrorServer) -> mlhub_sync.Session:
    return mlhub_sync.get_session(api_key=API_KEY, root_url=server.url)


def test_dataset_attributes(session: mlhub_sync.Session) -> None:
    dataset = Dataset.fetch("ref_african_crops_kenya_02", session=session)
    assert dataset.title == "CV4A Kenya Crop Type Competition"
    assert dataset.doi == "10.34911/rdnt.dw605x"
    assert dataset.citation and dataset.citation.startswith("Radiant Earth Foundation (2020)")
    assert dataset.registry_url == "https://mlhub.earth/data/ref_african_crops_kenya_02"
    assert repr(dataset) == "<Dataset id=ref_african_crops_kenya_02>"


def test_fetch_by_doi_and_by_id_agree(session: mlhub_sync.Session) -> None:
    by_doi = Dataset.fetch("10.34911/rdnt.dw605x", session=session)
    assert by_doi.id == Dataset.fetch_by_id("ref_african_crops_kenya_02", session=session).id
    assert Dataset.fetch_by_doi("10.34911/RDNT.DW605X", session=session).id == by_doi.id


def test_collections_typed_both_appear_once_and_in_both_lists(
    session: mlhub_sync.Session,
) -> None:
    spacenet = Dataset.fetch("spacenet_demo", session=session)
    assert [c.id for c in spacenet.collections] == ["spacenet_demo_aoi_1"]
    assert spacenet.collections.source_imagery == spacenet.collections.labels
    assert spacenet.collections[0].types == ["source_imagery", "labels"]


def test_collection_attributes_and_archive_size(session: mlhub_sync.Session) -> None:
    labels = Collection.fetch(KENYA_LABELS, session=session)
    assert labels.license == "CC-BY-SA-4.0"
    assert labels.description == "No Description"
    assert labels.stac["stac_version"] == "1.0.0" and labels.to_dict()["id"] == KENYA_LABELS
    assert labels.archive_size == 252_970
    assert labels.types == ["labels"]  # from its archive's info, as the dataset would say
    assert (
        Collection.fetch("ref_african_crops_kenya_02_source", session=session).archive_size is None
    )
    assert len(Collection.list(session=session)) == 5


def test_total_archive_size_counts_missing_archives_as_zero(session: mlhub_sync.Session) -> None:
    assert (
        Dataset.fetch("ref_african_crops_kenya_02", session=session).total_archive_size == 252_970
    )


def test_low_level_functions(session: mlhub_sync.Session) -> None:
    assert [c["id"] for c in client.list_collections(session=session)][:2] == [
        "landcover_demo_labels",
        "landcover_demo_source",
    ]
    assert client.get_collection(KENYA_LABELS, session=session)["id"] == KENYA_LABELS
    info = client.get_collection_archive_info("spacenet_demo_aoi_1", session=session)
    assert info["types"] == ["source_imagery", "labels"]
    assert [d["id"] for d in client.list_datasets(tags="buildings", session=session)] == [
        "spacenet_demo"
    ]
    with pytest.raises(EntityDoesNotExist, match="Collection 'nope'"):
        client.get_collection("nope", session=session)


@pytest.mark.parametrize("bad", ["../datasets", "a/b", "x\x00y", ""])
def test_unsafe_ids_are_refused_before_any_request(session: mlhub_sync.Session, bad: str) -> None:
    with pytest.raises(ValueError):
        client.get_collection(bad, session=session)


def test_dataset_download_with_session_keyword_arguments(
    server: MirrorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLHUB_ROOT_URL", server.url)
    dataset = Dataset.fetch("landcover_demo", api_key=API_KEY)
    paths = dataset.download(tmp_path)
    assert paths == [
        tmp_path / "landcover_demo_source.tar.gz",
        tmp_path / "landcover_demo_labels.tar.gz",
    ]
    for path in paths:
        assert path.read_bytes() == (EXAMPLE_MIRROR / "archives" / path.name).read_bytes()
    assert dataset.collections.labels[0].download(tmp_path / "again") == (
        tmp_path / "again" / "landcover_demo_labels.tar.gz"
    )


def test_dataset_download_stops_at_a_missing_archive(
    session: mlhub_sync.Session, tmp_path: Path
) -> None:
    dataset = Dataset.fetch("ref_african_crops_kenya_02", session=session)
    with pytest.raises(EntityDoesNotExist, match="ref_african_crops_kenya_02_source"):
        dataset.download(tmp_path)
    assert (tmp_path / f"{KENYA_LABELS}.tar.gz").stat().st_size == 252_970
