"""The radiant_mlhub-compatible library: ``from mlhub_sync.client import list_datasets`` works
as ``from radiant_mlhub.client import list_datasets`` did.

``api`` holds the functions (plain JSON as the API sent it), ``models`` the ``Dataset`` and
``Collection`` classes, ``download`` the archive downloads and ``policy`` their decision table.
"""

from .api import (
    download_archive,
    download_collection_archive,
    get_archive_info,
    get_collection,
    get_collection_archive_info,
    get_dataset,
    get_dataset_by_doi,
    get_dataset_by_id,
    list_collections,
    list_datasets,
)

__all__ = [
    "download_archive",
    "download_collection_archive",
    "get_archive_info",
    "get_collection",
    "get_collection_archive_info",
    "get_dataset",
    "get_dataset_by_doi",
    "get_dataset_by_id",
    "list_collections",
    "list_datasets",
]
