"""HTTPS file lists and static STAC catalogs, against a file server on loopback."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from rangeserver import RangeServer

from mlhub_sync.exceptions import ConfigError, MLHubException
from mlhub_sync.http.api import ApiClient
from mlhub_sync.sources import https_list, stac


@pytest.fixture
def files() -> Iterator[RangeServer]:
    with RangeServer() as server:
        yield server


def client() -> ApiClient:
    return ApiClient("http://unused/", None)


def test_a_file_list_heads_only_what_has_no_size(files: RangeServer) -> None:
    files.files["records/1/files/S2A.zip"] = b"a" * 1000
    files.files["records/1/files/S1.zip"] = b"b" * 300
    md5 = hashlib.md5(b"a" * 1000, usedforsecurity=False).hexdigest()
    listed = https_list.parse_files(
        [
            {"url": files.url("records/1/files/S2A.zip"), "md5": md5.upper(), "size": 1000},
            {"url": files.url("records/1/files/S1.zip"), "path": "s1/S1.zip", "sha256": "0" * 64},
        ],
        "mlhub.yaml:4:7",
    )
    found = list(https_list.describe(client(), listed, "bigearthnet"))
    assert [(f.name, f.size, f.digests) for f in found] == [
        ("S2A.zip", 1000, {"md5": md5}),
        ("s1/S1.zip", 300, {"sha256": "0" * 64}),
    ]
    assert [s.method for s in files.seen] == ["HEAD"]  # the one without a size


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"url": "ftp://host/x"}], "must be https://HOST/PATH"),
        ([{"url": "https://user:pw@host/x"}], "must be https://HOST/PATH"),
        ([{"url": "https://host/x", "md5": "abc"}], "is not a hex md5 digest"),
        ([{"url": "https://host/a/x"}, {"url": "https://host/b/x"}], "give one of them `path:`"),
        ([{"url": "https://host/x", "path": "../x"}], "not a relative path inside"),
        ([{"url": "https://host/"}], "not a relative path inside"),
        ([{"url": "https://host/x", "size": -1}], "size must be a number of bytes"),
    ],
)
def test_a_bad_file_list_is_a_located_error(entries: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as error:
        https_list.parse_files(entries, "mlhub.yaml:4:7")
    assert str(error.value).startswith("mlhub.yaml:4:7: files[")
    assert "pw" not in str(error.value)


def stac_tree(server: RangeServer) -> dict[str, bytes]:
    """catalog → collection → two items (one links back to the catalog: a cycle)."""
    assets = {"c/i1/image.tif": b"I" * 5000, "c/i1/labels.json": b"{}", "c/i2/image.tif": b"J" * 7}
    checksum = "1220" + hashlib.sha256(assets["c/i1/image.tif"]).hexdigest()
    documents = {
        "catalog.json": {
            "type": "Catalog",
            "links": [{"rel": "child", "href": "./c/collection.json"}],
        },
        "c/collection.json": {
            "type": "Collection",
            "links": [
                {"rel": "item", "href": "i1/i1.json"},
                {"rel": "item", "href": "./i2/i2.json#frag"},
                {"rel": "root", "href": "../catalog.json"},
            ],
        },
        "c/i1/i1.json": {
            "type": "Feature",
            "links": [{"rel": "child", "href": "../../catalog.json"}],
            "assets": {
                "image": {"href": "image.tif", "file:size": 5000, "file:checksum": checksum},
                "labels": {"href": "./labels.json"},
                "thumb": {"href": "https://elsewhere.example/t.png"},
            },
        },
        "c/i2/i2.json": {"type": "Feature", "assets": {"image": {"href": "image.tif"}}},
    }
    content = {**assets, **{k: json.dumps(v).encode() for k, v in documents.items()}}
    server.files.update(content)
    return content


def test_a_stac_catalog_is_walked_to_every_document_and_asset(files: RangeServer) -> None:
    content = stac_tree(files)
    found = {f.name: f for f in stac.walk(client(), files.url("catalog.json"), "stac")}
    assert sorted(found) == sorted(content)  # the external thumbnail is skipped
    assert all(found[name].size == len(data) for name, data in content.items())
    image = found["c/i1/image.tif"]
    assert image.digests == {"sha256": hashlib.sha256(content["c/i1/image.tif"]).hexdigest()}
    heads = sorted(s.path for s in files.seen if s.method == "HEAD")
    assert heads == ["/c/i1/labels.json", "/c/i2/image.tif"]  # no file:size
    gets = [s.path for s in files.seen if s.method == "GET"]
    assert len(gets) == len(set(gets)) == 4  # every document once, despite the cycle


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("stac+https://host/x/catalog.json", True),
        ("stac+http://127.0.0.1:8080/collection.json", True),
        ("https://host/catalog.json", False),
        ("stac+ftp://host/catalog.json", False),
        ("stac+https://host/x/", False),
    ],
)
def test_stac_urls(url: str, ok: bool) -> None:
    if ok:
        assert stac.root_of(url, "mlhub.yaml:3:5") == url.removeprefix("stac+")
    else:
        with pytest.raises(ConfigError, match="expected stac"):
            stac.root_of(url, "mlhub.yaml:3:5")


def test_a_catalog_that_is_not_json_is_a_clear_error(files: RangeServer) -> None:
    files.files["catalog.json"] = b"<html>maintenance</html>"
    with pytest.raises(MLHubException, match="is not JSON; is the URL a STAC catalog"):
        list(stac.walk(client(), files.url("catalog.json"), "stac"))
