"""The library's ``if_exists`` decision table (pure): what ``download_archive`` does with a
file already at the final path. Tested as a table in ``tests/test_policies.py``.

| ``if_exists`` | file at the final path                 | action                                 |
|---------------|----------------------------------------|----------------------------------------|
| ``skip``      | any                                    | keep (no request at all)               |
| ``skip``      | none                                   | download (resuming our own ``.part``)  |
| ``resume``    | none                                   | download, resuming our own ``.part``   |
| ``resume``    | same size, the server states a digest  | check: hash it; keep it or replace it  |
| ``resume``    | same size, no digest stated            | keep                                   |
| ``resume``    | other size (another tool's partial?)   | download afresh: never resumed from    |
| ``overwrite`` | any                                    | download afresh                        |

A file another tool left at the final path is never resumed from: nothing proves its bytes
are a prefix of this version (splicing it is how wrong digests got pinned). Only our own
``.part``, with a journal of the same version, is resumed.
"""

from __future__ import annotations

IF_EXISTS_CHOICES = ("resume", "skip", "overwrite")

KEEP, CHECK, RESUME, FRESH = "keep", "check", "resume", "fresh"


def check_if_exists(value: object) -> str:
    """Validate ``if_exists`` before anything is read or written."""
    if value not in IF_EXISTS_CHOICES:
        raise ValueError(f"if_exists must be one of {', '.join(IF_EXISTS_CHOICES)}; got {value!r}")
    return str(value)


def download_action(
    if_exists: str, local_size: int | None, remote_size: int | None, digest_stated: bool
) -> tuple[str, str]:
    """(action, reason). ``remote_size`` is None when no request was made yet (``skip``)."""
    if if_exists == "overwrite":
        return FRESH, "if_exists: overwrite"
    if local_size is None:
        return RESUME, "not on disk (our own partial download is resumed, if any)"
    if if_exists == "skip":
        return KEEP, "on disk (if_exists: skip)"
    if local_size == remote_size:
        if digest_stated:
            return CHECK, "on disk with the right size: hashing it against the stated digest"
        return KEEP, "on disk with the right size (the server states no digest to check)"
    return FRESH, f"on disk with {local_size:,} bytes, not {remote_size:,}: downloading afresh"
