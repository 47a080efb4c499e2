"""Locations, mirrors and listed paths, as tables: what the lock records and where requests go."""

from __future__ import annotations

import re

import pytest

from mlhub_sync.exceptions import ConfigError, MLHubException
from mlhub_sync.sources import locations
from mlhub_sync.sources.listing import relative_path
from mlhub_sync.sources.locations import Endpoint

AZ_MIRROR = {"az://radiantearth/mlhub": "http://127.0.0.1:10000/devstoreaccount1/mlhub"}


@pytest.mark.parametrize(
    ("url", "endpoint", "canonical", "prefix"),
    [
        ("az://radiantearth/mlhub/kenya-crop-challenge", None, "az://radiantearth/mlhub", "kenya-crop-challenge/"),
        ("az://radiantearth/mlhub/kenya-crop-challenge/", None, "az://radiantearth/mlhub", "kenya-crop-challenge/"),
        ("az://radiantearth/mlhub", None, "az://radiantearth/mlhub", ""),
        ("az://radiantearth/mlhub/repositories/radiantearth/landcovernet/", None, "az://radiantearth/mlhub", "repositories/radiantearth/landcovernet/"),
        ("s3://spacenet-dataset/spacenet/SN2_buildings/tarballs/", None, "s3://spacenet-dataset", "spacenet/SN2_buildings/tarballs/"),
        ("s3://tiles/2024", "https://data.source.coop", "s3://tiles", "2024/"),
    ],
)  # fmt: skip
def test_a_location_is_a_canonical_folder(
    url: str, endpoint: str | None, canonical: str, prefix: str
) -> None:
    found = locations.parse(url, endpoint)
    assert (found.root, found.prefix, found.endpoint) == (canonical, prefix, endpoint)
    assert locations.parse(found.url, endpoint) == found  # what the lock records reads back


@pytest.mark.parametrize(
    ("url", "endpoint", "message"),
    [
        ("https://example.org/x/", None, "is not a location"),
        ("gs://bucket/x", None, "is not a location"),
        ("az://radiantearth", None, "expected az://ACCOUNT/CONTAINER"),
        ("az://Radiant/mlhub", None, "expected az://ACCOUNT/CONTAINER"),
        ("az://radiantearth/mlhub/../etc", None, "'..'"),
        ("s3://b/x", None, "expected s3://BUCKET"),
        ("s3://tiles/x", "ftp://host", "must be an http(s) URL"),
        ("s3://tiles/x", "http://host:99999", "must be an http(s) URL"),
        ("s3://tiles/x", "https://user:pw@host", "no query, fragment or credentials"),
        ("az://radiantearth/mlhub/x", "https://host", "for s3:// locations only"),
        ("az://radiantearth/mlhub/a\x00b", None, "not a usable location"),
    ],
)
def test_a_bad_location_says_what_a_good_one_looks_like(
    url: str, endpoint: str | None, message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        locations.parse(url, endpoint, where="mlhub.yaml:3:5")


@pytest.mark.parametrize(
    ("url", "endpoint", "mirrors", "expected"),
    [
        ("az://radiantearth/mlhub/kenya-crop-challenge/", None, {},
         Endpoint("az", "https://radiantearth.blob.core.windows.net/mlhub", "kenya-crop-challenge/")),
        ("s3://spacenet-dataset/spacenet/SN2/", None, {},
         Endpoint("s3", "https://spacenet-dataset.s3.amazonaws.com", "spacenet/SN2/", aws=True)),
        ("s3://tiles/2024/", "https://data.source.coop/", {},
         Endpoint("s3", "https://data.source.coop/tiles", "2024/")),
        # Azurite is path style: account, then container
        ("az://radiantearth/mlhub/kenya-crop-challenge/", None, AZ_MIRROR,
         Endpoint("az", "http://127.0.0.1:10000/devstoreaccount1/mlhub", "kenya-crop-challenge/")),
        ("az://radiantearth/mlhub/", None, AZ_MIRROR,
         Endpoint("az", "http://127.0.0.1:10000/devstoreaccount1/mlhub", "")),
        # a mirror of the whole account: the container comes from the location
        ("az://radiantearth/mlhub/nasa-floods/", None, {"az://radiantearth": "http://127.0.0.1:10000/devstoreaccount1"},
         Endpoint("az", "http://127.0.0.1:10000/devstoreaccount1/mlhub", "nasa-floods/")),
        # another protocol: one Azure prefix served as a Source Cooperative product
        ("az://radiantearth/mlhub/kenya-crop-challenge/data/", None,
         {"az://radiantearth/mlhub/kenya-crop-challenge": "s3+https://data.source.coop/radiantearth/african-crops-kenya-02"},
         Endpoint("s3", "https://data.source.coop/radiantearth", "african-crops-kenya-02/data/")),
        # the longest FROM wins; a FROM must end at a path boundary
        ("az://radiantearth/mlhub/kenya-crop-challenge-v2/", None,
         {**AZ_MIRROR, "az://radiantearth/mlhub/kenya-crop-challenge": "s3+http://lab/b"},
         Endpoint("az", "http://127.0.0.1:10000/devstoreaccount1/mlhub", "kenya-crop-challenge-v2/")),
        ("s3://spacenet-dataset/spacenet/", None, {"s3://spacenet-dataset": "http://127.0.0.1:5000/spacenet-dataset"},
         Endpoint("s3", "http://127.0.0.1:5000/spacenet-dataset", "spacenet/")),
    ],
)  # fmt: skip
def test_mirrors_decide_where_requests_go(
    url: str, endpoint: str | None, mirrors: dict[str, str], expected: Endpoint
) -> None:
    assert locations.endpoint_of(locations.parse(url, endpoint), mirrors) == expected


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("az://radiantearth/mlhub", "is not FROM=TO"),
        ("https://x=https://y", "must start with az:// or s3://"),
        ("az://radiantearth/mlhub=ftp://host/x", "must be an http(s) URL"),
        ("az://radiantearth/mlhub=gs+https://host/x", "only s3+ or az+"),
    ],
)
def test_bad_mirrors_are_refused(pair: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        locations.parse_mirrors([pair], "--mirror")


def test_mirror_pairs_parse() -> None:
    assert (
        locations.parse_mirrors(
            ["az://radiantearth/mlhub/=http://127.0.0.1:10000/devstoreaccount1/mlhub"], "env"
        )
        == AZ_MIRROR
    )


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("kenya/data/0/a.tif", "data/0/a.tif"),
        ("kenya/a b/ü.json", "a b/ü.json"),
        ("kenya/../etc/passwd", None),
        ("kenya//etc/passwd", None),
        ("kenya/./x", None),
        ("kenya/x\x00y", None),
        ("kenya/a\\b", None),
        ("kenya/", None),
        ("kenya-v2/x", None),
    ],
)
def test_listed_keys_become_safe_paths_or_are_refused(key: str, path: str | None) -> None:
    endpoint = Endpoint("s3", "http://h/b", "kenya/")
    if path is None:
        with pytest.raises(MLHubException):
            relative_path(key, endpoint, "listing")
    else:
        assert relative_path(key, endpoint, "listing") == path


def test_the_catalogue_lists_every_dataset_without_a_request() -> None:
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mlhub_sync", "datasets", "--catalogue", "--json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "MLHUB_ROOT_URL": "http://127.0.0.1:9/"},  # unreachable
        check=True,
    )
    found = {entry["id"]: entry for entry in json.loads(result.stdout)}
    # the ids recorded from the real API (tests/contract) are all there
    assert {"bigearthnet_v1", "ref_african_crops_kenya_02", "nasa_marine_debris"} <= set(found)
    assert found["ref_african_crops_kenya_02"]["location"] == (
        "az://radiantearth/mlhub/kenya-crop-challenge/"
    )
    assert (
        found["spacenet2"]["location"] == "s3://spacenet-dataset/spacenet/SN2_buildings/tarballs/"
    )
    for entry in found.values():  # every alternate is a usable mirror target for its location
        location = locations.parse(entry["location"])
        for alternate in entry["alternates"]:
            endpoint = locations.endpoint_via(location, alternate)
            assert endpoint.key_prefix.endswith("/") and endpoint.protocol == "s3"
    prefixes = [locations.parse(e["location"]).url for e in found.values()]
    assert len(set(prefixes)) == len(prefixes)
