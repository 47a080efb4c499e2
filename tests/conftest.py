"""Shared fixtures: real mirror servers over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import MirrorServer, build_recorded_mirror
from sync_support import build_sync_mirror

API_KEY = "test-key-0123456789"


@pytest.fixture(scope="session")
def recorded_mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The recorded API objects as a mirror (read-only for tests that share it)."""
    return build_recorded_mirror(tmp_path_factory.mktemp("recorded") / "mirror")


@pytest.fixture(scope="session")
def recorded_server(recorded_mirror: Path) -> Iterator[MirrorServer]:
    """A server over the recorded mirror that requires ``API_KEY`` on archive endpoints."""
    with MirrorServer(recorded_mirror, "--api-key", API_KEY) as server:
        yield server


@pytest.fixture
def own_mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the recorded mirror that a test may modify (outside ``tmp_path``)."""
    return build_recorded_mirror(tmp_path_factory.mktemp("own") / "mirror")


@pytest.fixture(scope="session")
def sync_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MirrorServer]:
    """The alpha/beta mirror of ``sync_support``, shared by the tests that only read it."""
    root = tmp_path_factory.mktemp("sync-mirror") / "mirror"
    build_sync_mirror(root)
    with MirrorServer(root) as running:
        yield running
