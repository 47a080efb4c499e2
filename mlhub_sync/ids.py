"""Validation of identifiers that become file names.

Dataset and collection ids arrive from servers, manifests and URLs; they are hostile until
checked, because they are joined onto local directories (``<collection_id>.tar.gz``).
"""

from __future__ import annotations

import re
from typing import Any

# Real MLHub ids are snake_case (``ref_african_crops_kenya_02_labels``, ``sn2_AOI_2_Vegas``);
# dots and dashes are allowed for self-hosted mirrors, separators and control characters never.
ARCHIVE_SUFFIX = ".tar.gz"  # a collection's archive is <collection_id>.tar.gz, everywhere

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


def is_safe_id(value: object) -> bool:
    """True when ``value`` can be used as a single path component without escaping a folder."""
    return isinstance(value, str) and _ID_PATTERN.fullmatch(value) is not None and ".." not in value


def check_id(value: object, what: str = "id") -> str:
    """Return ``value`` if it is a safe id, else raise ``ConfigError`` (a ``ValueError``)
    naming it: an id from an argument or a server becomes a path, so it is checked first."""
    if isinstance(value, str) and is_safe_id(value):
        return value
    from .exceptions import ConfigError

    raise ConfigError(
        f"unsafe {what} {value!r}: ids are letters, digits, '.', '_' and '-' "
        "(no path separators, no '..', at most 200 characters)"
    )


def collection_entries(dataset: object, server: str) -> list[dict[str, Any]]:
    """A dataset record's ``collections`` as a server states them, checked once for everyone
    who reads them: mappings with a safe id each, no id twice (a server listing one twice
    would have it locked, downloaded and counted twice)."""
    from .exceptions import APIError

    name = dataset.get("id") if isinstance(dataset, dict) else None
    where = f"{server}: dataset {name!r}"
    entries = dataset.get("collections", []) if isinstance(dataset, dict) else None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise APIError(f"{where}: 'collections' is not a list")
    seen: set[str] = set()
    for entry in entries:
        found = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(found, str) or not is_safe_id(found):
            raise APIError(f"{where}: a collection has no id or an unsafe one ({found!r})")
        if found in seen:
            raise APIError(f"{where}: lists collection {found!r} twice")
        seen.add(found)
    return entries
