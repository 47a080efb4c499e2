"""Which remote file a download step fetches, checked against the lock before a byte moves.

An archive: against the server it was locked with, the lock's validators as they are (the
download's If-Match checks them); otherwise one HEAD, compared by content. A loose file: its
source's listing now (one per dataset, made only when one of its files is fetched), checked
for drift. Either way a changed remote is a ``RemoteChanged`` naming the command that updates
the lock; nothing local is touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import ConfigError, MLHubException, RemoteChanged
from ..sources.base import RemoteFile
from .layout import confined
from .lockfile import Lock, LockedCollection, differences
from .planner import Step

if TYPE_CHECKING:  # the HTTP stack is imported only when something must be downloaded
    from ..sources.mlhub import MLHubSource


class Remotes:
    """The remote files of one apply run (loose-file listings cached per dataset)."""

    def __init__(self, lock: Lock, target: Path, mirrors: dict[str, str]) -> None:
        self.lock = lock
        self.target = target
        self.mirrors = mirrors
        self._listings: dict[str, dict[str, RemoteFile] | MLHubException] = {}

    def of(self, source: MLHubSource, step: Step, trust_lock: bool) -> RemoteFile:
        """The file ``step`` downloads; ``trust_lock``: use an archive's locked validators."""
        self._no_links_within(step)
        return self._remote(source, step, trust_lock)

    def _no_links_within(self, step: Step) -> None:
        """A loose file's folders under its dataset folder are the source's tree, made by us:
        a symlink among them was planted, and writing through it would land anywhere. (The
        target and dataset folders themselves may be links: a user's choice of disk.)"""
        if (
            step.dataset.loose
            and confined(self.target / step.dataset.id, step.collection.id) is None
        ):
            raise ConfigError(
                f"{step.key}: a folder on its way under {self.target / step.dataset.id} is a "
                "symlink; not writing through it (remove the link, then apply again)"
            )

    def _remote(self, source: MLHubSource, step: Step, trust_lock: bool) -> RemoteFile:
        """The archive as the lock names it. Against the server it was locked with, the lock's
        validators are used as they are (no request: the download's If-Match checks them);
        against another server, without validators, or when the server no longer knows them,
        one HEAD — compared by content."""
        locked, dataset = step.collection, step.dataset
        if dataset.loose:
            return self._listed(step)
        same_server = source.root_url == self.lock.api_url
        if trust_lock and same_server and (locked.etag or locked.last_modified):
            return source.file(
                locked.id, locked.size, locked.etag, locked.last_modified, locked.digests
            )
        remote = source.describe(locked.id)
        changed = differences(locked, remote)
        if changed:
            raise drift_error(locked, dataset.id, "; ".join(changed))
        return remote

    def _listed(self, step: Step) -> RemoteFile:
        """A loose file as its source lists it now (one listing per dataset, made only when
        one of its files is to be fetched): its URL and validators, checked against the lock."""
        from ..http.pool import TransferPool
        from .loose import drift, remote_files

        dataset, locked = step.dataset, step.collection
        if dataset.id not in self._listings:
            try:
                files = remote_files(dataset.source or {}, self.mirrors, TransferPool(), dataset.id)
                self._listings[dataset.id] = {f.name: f for f in files}
            except MLHubException as exc:
                self._listings[dataset.id] = exc  # once per dataset, not once per file
        listing = self._listings[dataset.id]
        if isinstance(listing, MLHubException):
            raise listing
        remote = listing.get(locked.id)
        changed = drift(locked, remote)
        if changed or remote is None:
            raise RemoteChanged(
                f"{dataset.id}/{locked.id} changed at its source since it was locked "
                f"({'; '.join(changed)}); nothing local was touched. Run "
                f"`mlhub-sync lock --update {dataset.id}`"
            )
        return remote


def drift_error(locked: LockedCollection, dataset_id: str, what: str) -> RemoteChanged:
    return RemoteChanged(
        f"remote archive {locked.id} changed since it was locked ({what}); "
        f"run `mlhub-sync lock --update {dataset_id}`"
    )
