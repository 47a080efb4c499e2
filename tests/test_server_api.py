"""The mirror's JSON endpoints against the recorded MLHub API (tests/contract/)."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import API_KEY
from support import (
    KENYA_LABELS,
    MirrorServer,
    build_recorded_mirror,
    bytes_read,
    contract,
    worker_pids,
)


def test_dataset_matches_recording(recorded_server: MirrorServer) -> None:
    response = requests.get(recorded_server.url + "datasets/bigearthnet_v1", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == contract("GET_200_api_mlhub_v1_datasets_bigearthnet_v1.json")


def test_dataset_by_doi_matches_recording(recorded_server: MirrorServer) -> None:
    url = recorded_server.url + "datasets/doi/10.6084/m9.figshare.12047478.v2"
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.json() == contract(
        "GET_200_staging_mlhub_v1_datasets_doi_10.6084_m9.figshare.12047478.v2.json"
    )


def test_dataset_list_is_sorted_and_complete(recorded_server: MirrorServer) -> None:
    datasets = requests.get(recorded_server.url + "datasets", timeout=10).json()
    ids = [d["id"] for d in datasets]
    assert (
        ids
        == sorted(ids)
        == [
            "bigearthnet_v1",
            "idiv_asia_crop_type",
            "nasa_marine_debris",
            "ref_african_crops_kenya_02",
        ]
    )
    assert datasets[0] == contract("GET_200_api_mlhub_v1_datasets_bigearthnet_v1.json")


def test_dataset_list_filters_by_tag_and_text(recorded_server: MirrorServer) -> None:
    by_tag = requests.get(
        recorded_server.url + "datasets", params={"tags": "agriculture"}, timeout=10
    ).json()
    assert [d["id"] for d in by_tag] == ["idiv_asia_crop_type", "ref_african_crops_kenya_02"]
    by_text = requests.get(
        recorded_server.url + "datasets", params={"text": "Marine Debris"}, timeout=10
    ).json()
    assert [d["id"] for d in by_text] == ["nasa_marine_debris"]


def test_collection_matches_recording(recorded_server: MirrorServer) -> None:
    for collection_id, recording in [
        ("bigearthnet_v1_source", "GET_200_api_mlhub_v1_collections_bigearthnet_v1_source.json"),
        (
            KENYA_LABELS,
            "GET_200_staging_mlhub_v1_collections_ref_african_crops_kenya_02_labels.json",
        ),
    ]:
        response = requests.get(recorded_server.url + f"collections/{collection_id}", timeout=10)
        assert response.status_code == 200
        # As recorded, but its links into the API lead to this mirror (issue 11).
        recorded = json.dumps(contract(recording))
        for upstream in ("https://api.radiant.earth", "https://staging.api.radiant.earth"):
            recorded = recorded.replace(
                f'"{upstream}/mlhub/v1', f'"{recorded_server.origin}/mlhub/v1'
            )
        assert response.json() == json.loads(recorded)
        assert "radiant.earth/mlhub" not in response.text


def test_collection_list_shape(recorded_server: MirrorServer) -> None:
    body = requests.get(recorded_server.url + "collections", timeout=10).json()
    assert set(body) == {"collections", "links"}
    assert [c["id"] for c in body["collections"]] == [
        "bigearthnet_v1_labels",
        "bigearthnet_v1_source",
        KENYA_LABELS,
    ]
    assert {link["rel"] for link in body["links"]} >= {"self", "root"}


@pytest.mark.parametrize("collection_id", ["bigearthnet_v1_source", "bigearthnet_v1_labels"])
def test_archive_info_matches_recording(recorded_server: MirrorServer, collection_id: str) -> None:
    response = requests.get(
        recorded_server.url + f"archive/{collection_id}/info", params={"key": API_KEY}, timeout=10
    )
    assert response.status_code == 200
    assert response.json() == contract(f"GET_200_api_mlhub_v1_archive_{collection_id}_info.json")


def test_info_and_head_of_a_71_gb_archive_do_not_read_it(recorded_server: MirrorServer) -> None:
    (worker,) = worker_pids(recorded_server.pid)
    before = bytes_read(worker)
    for _ in range(3):
        info = requests.get(
            recorded_server.url + "archive/bigearthnet_v1_source/info",
            params={"key": API_KEY},
            timeout=10,
        )
        head = requests.head(
            recorded_server.url + "archive/bigearthnet_v1_source",
            params={"key": API_KEY},
            allow_redirects=True,
            timeout=10,
        )
        assert info.json()["size"] == int(head.headers["Content-Length"]) == 71_138_210_977
    assert bytes_read(worker) - before < 1_000_000  # JSON files only, not gigabytes


def test_unknown_ids_give_recorded_404_body(recorded_server: MirrorServer) -> None:
    response = requests.get(recorded_server.url + "collections/no_collection", timeout=10)
    assert response.status_code == 404
    assert response.json() == contract("GET_404_staging_mlhub_v1_collections_no_collection.json")
    for path in [
        "datasets/no_dataset",
        "datasets/doi/10.0/none",
        "archive/no_archive/info",
        "archive/no_archive",
        "no/such/endpoint",
    ]:
        response = requests.get(recorded_server.url + path, params={"key": API_KEY}, timeout=10)
        assert response.status_code == 404, path
        assert response.headers["Content-Type"] == "application/json"
        assert "detail" in response.json()


def test_head_for_missing_archive_is_404(recorded_server: MirrorServer) -> None:
    response = requests.head(
        recorded_server.url + "archive/no_archive", params={"key": API_KEY}, timeout=10
    )
    assert response.status_code == 404


def test_archive_redirects_with_303_to_a_blob_url_without_the_key(
    recorded_server: MirrorServer,
) -> None:
    for method in ("HEAD", "GET"):
        response = requests.request(
            method,
            recorded_server.url + f"archive/{KENYA_LABELS}",
            params={"key": API_KEY},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 303
        location = response.headers["Location"]
        assert urlsplit(location).path.endswith(f"/{KENYA_LABELS}.tar.gz")
        assert API_KEY not in location and "key=" not in location


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(recorded_server: MirrorServer, method: str) -> None:
    response = requests.request(method, recorded_server.url + "datasets", timeout=10)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "detail" in response.json()


class TestKeys:
    def test_listing_endpoints_are_public(self, recorded_server: MirrorServer) -> None:
        for path in [
            "datasets",
            "datasets/bigearthnet_v1",
            "collections",
            f"collections/{KENYA_LABELS}",
        ]:
            assert requests.get(recorded_server.url + path, timeout=10).status_code == 200, path

    @pytest.mark.parametrize("path", [f"archive/{KENYA_LABELS}", f"archive/{KENYA_LABELS}/info"])
    def test_archive_endpoints_need_the_key(self, recorded_server: MirrorServer, path: str) -> None:
        url = recorded_server.url + path
        missing = requests.get(url, allow_redirects=False, timeout=10)
        wrong = requests.get(url, params={"key": "wrong"}, allow_redirects=False, timeout=10)
        for response in (missing, wrong):
            assert response.status_code == 401
            assert response.json() == contract(
                "GET_401_staging_mlhub_v1_archive_ref_african_crops_kenya_02_labels.json"
            )
        by_query = requests.get(url, params={"key": API_KEY}, allow_redirects=False, timeout=10)
        by_header = requests.get(
            url, headers={"Authorization": f"Bearer {API_KEY}"}, allow_redirects=False, timeout=10
        )
        assert by_query.status_code == by_header.status_code
        assert by_query.status_code in (200, 303)

    def test_unknown_archive_without_key_is_401_not_404(
        self, recorded_server: MirrorServer
    ) -> None:
        response = requests.get(recorded_server.url + "archive/no_archive/info", timeout=10)
        assert response.status_code == 401  # no existence oracle for unauthenticated callers

    def test_without_configured_keys_archives_are_public(self, recorded_mirror: Path) -> None:
        with MirrorServer(recorded_mirror) as server:
            response = requests.get(server.url + f"archive/{KENYA_LABELS}", timeout=10)
            assert response.status_code == 200
            assert len(response.content) == 252_970

    def test_keys_file(self, recorded_mirror: Path, tmp_path: Path) -> None:
        keys = tmp_path / "keys.txt"
        keys.write_text("# lab keys\nalpha-key\n\n  beta-key  \n")
        with MirrorServer(recorded_mirror, "--api-keys-file", str(keys)) as server:
            url = server.url + f"archive/{KENYA_LABELS}/info"
            assert requests.get(url, params={"key": "beta-key"}, timeout=10).status_code == 200
            assert requests.get(url, params={"key": "gamma"}, timeout=10).status_code == 401


def _raw_get(server: MirrorServer, raw_path: str) -> tuple[int, bytes]:
    """Send the request line exactly as given (no client-side normalisation)."""
    parts = urlsplit(server.origin)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    connection.putrequest("GET", raw_path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.fixture(scope="module")
def traversal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MirrorServer]:
    """A mirror with secrets beside it (and beside its folders) that must never be served."""
    base = tmp_path_factory.mktemp("traversal")
    mirror = build_recorded_mirror(base / "mirror")
    for folder in (base, mirror):
        (folder / "secret.json").write_text('{"id": "secret", "detail": "TOP-SECRET-CONTENT"}')
        (folder / "secret.tar.gz").write_bytes(b"TOP-SECRET-CONTENT")
    with MirrorServer(mirror, "--api-key", API_KEY) as server:
        yield server


@pytest.mark.parametrize(
    "raw_path",
    [
        "/mlhub/v1/collections/..%2f..%2fsecret",
        "/mlhub/v1/collections/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/mlhub/v1/datasets/..%2f..%2fsecret",
        "/mlhub/v1/datasets/%2e%2e%2f%2e%2e%2fsecret",
        "/mlhub/v1/datasets/secret%00",
        "/mlhub/v1/datasets/%00",
        "/mlhub/v1/collections//etc/passwd",
        "/mlhub/v1/archive/..%2f..%2fsecret/info?key=" + API_KEY,
        "/mlhub/v1/archive/%2fetc%2fpasswd/info?key=" + API_KEY,
        "/mlhub/v1/archive/..?key=" + API_KEY,
        "/mlhub/v1/blobs/..%2f..%2fsecret.tar.gz",
        "/mlhub/v1/datasets/doi/..%2f..%2f..%2fsecret",
        "/mlhub/v1/../../secret.json",
    ],
)
def test_path_traversal_never_escapes_the_mirror(
    traversal_server: MirrorServer, raw_path: str
) -> None:
    status, body = _raw_get(traversal_server, raw_path)
    assert status in (400, 403, 404), (raw_path, status)
    assert b"TOP-SECRET" not in body and b"root:" not in body
