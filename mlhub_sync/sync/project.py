"""A project: ``mlhub.yaml`` + ``mlhub.lock`` + its target folder, read once per command.

Nothing here touches the network until a command asks for a session: an in-sync ``apply``
never imports the HTTP stack at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..bulk import building
from ..exceptions import ConfigError, StaleLock
from ..http.config import resolve_root_url
from .conflicts import ConflictedLock
from .freshness import stale_reasons
from .lockfile import Lock, read_lock
from .manifest import Manifest, load_manifest

if TYPE_CHECKING:
    from ..sources.mlhub import MLHubSource

log = logging.getLogger(__name__)


@dataclass
class Project:
    manifest: Manifest
    lock: Lock | None

    @classmethod
    def load(cls, manifest_path: Path, relocking: bool = False) -> Project:
        """``relocking`` (``lock``, which writes the lock afresh): a lock with merge conflicts
        is read as its two sides merged, and an unreadable one is set aside with a warning —
        the command that regenerates the lock must not be stopped by it."""
        manifest = load_manifest(manifest_path)
        if not manifest.lock_path.exists():
            return cls(manifest, None)
        try:
            with building():  # a lock of 100,000 entries: no cycle collections meanwhile
                return cls(manifest, read_lock(manifest.lock_path))
        except ConflictedLock:
            if not relocking:
                raise
        except ConfigError as exc:
            if not relocking:
                raise
            log.warning("%s; writing it afresh", exc)
            return cls(manifest, None)
        from .conflicts import merged

        return cls(manifest, merged(manifest.lock_path))

    @property
    def stale_reasons(self) -> list[str]:
        """Why the lock is out of date with the manifest (``freshness``); a missing lock is."""
        if self.lock is None:
            return [f"no {self.manifest.lock_path.name} yet"]
        return stale_reasons(self.manifest, self.lock)

    @property
    def lock_is_fresh(self) -> bool:
        return not self.stale_reasons

    def require_lock(self, check_fresh: bool = True) -> Lock:
        """The lock, refusing a missing one, and a stale one unless told not to check."""
        if self.lock is None:
            raise StaleLock(
                f"no {self.manifest.lock_path.name} next to {self.manifest.path}; "
                "run `mlhub-sync lock` first"
            )
        reasons = self.stale_reasons if check_fresh else []
        if reasons:
            more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
            raise StaleLock(
                f"{self.manifest.lock_path} is out of date with {self.manifest.path.name}: "
                f"{reasons[0]}{more}; run `mlhub-sync lock` (or apply --frozen to use it as is)"
            )
        return self.lock

    def root_url(self, api_url: str | None = None) -> str:
        """``--api-url`` > manifest ``api_url`` > the lock's > ``MLHUB_ROOT_URL`` > default."""
        lock_url = self.lock.api_url if self.lock else None
        return resolve_root_url(api_url or self.manifest.api_url or lock_url)

    def uses_catalogue(self, api_url: str | None = None) -> bool:
        """Ids with no ``source:`` resolve in the built-in catalogue unless an MLHub API is
        named somewhere: ``--api-url``, the manifest's ``api_url``, or ``MLHUB_ROOT_URL``."""
        from ..http.config import root_url_configured

        return not (api_url or self.manifest.api_url or root_url_configured())

    def source(
        self, api_url: str | None = None, profile: str | None = None, pool_size: int = 16
    ) -> MLHubSource:
        """The MLHub API as a source, on urllib3 (no requests session is built)."""
        from ..http.api import ApiClient
        from ..http.config import resolve_api_key
        from ..http.pool import TransferPool
        from ..sources.mlhub import MLHubSource

        key = resolve_api_key(profile=profile or self.manifest.profile)
        api = ApiClient(self.root_url(api_url), key, TransferPool(pool_size))
        return MLHubSource(api)
