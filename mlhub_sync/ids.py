"""Validation of identifiers that become file names.

Dataset and collection ids arrive from servers, manifests and URLs; they are hostile until
checked, because they are joined onto local directories (``<collection_id>.tar.gz``).
"""

from __future__ import annotations

import re

# Real MLHub ids are snake_case (``ref_african_crops_kenya_02_labels``, ``sn2_AOI_2_Vegas``);
# dots and dashes are allowed for self-hosted mirrors, separators and control characters never.
ARCHIVE_SUFFIX = ".tar.gz"  # a collection's archive is <collection_id>.tar.gz, everywhere

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


def is_safe_id(value: object) -> bool:
    """True when ``value`` can be used as a single path component without escaping a folder."""
    return isinstance(value, str) and _ID_PATTERN.fullmatch(value) is not None and ".." not in value


def check_id(value: object, what: str = "id") -> str:
    """Return ``value`` if it is a safe id, else raise ``ValueError`` naming it."""
    if isinstance(value, str) and is_safe_id(value):
        return value
    raise ValueError(
        f"unsafe {what} {value!r}: ids are letters, digits, '.', '_' and '-' "
        "(no path separators, no '..', at most 200 characters)"
    )
