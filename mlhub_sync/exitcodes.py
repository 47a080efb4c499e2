"""The one table of exit codes every command uses (the README prints the same table).

The same situation gives the same code whatever the command: a missing or stale lock is
``STALE_LOCK`` for ``lock --check``, ``apply --locked``, ``status`` and ``verify`` alike.
"""

from __future__ import annotations

OK = 0
FAILED = 1  # some files failed (the others were reconciled); status not in sync; verify mismatch
BAD_INPUT = 2  # manifest, lock, flag, argument, folder: the message says where and how to fix it
NOT_FOUND = 3  # the server has no such dataset, collection or archive (404)
KEY = 4  # API key missing or refused (401), or a named profile without a key
REMOTE_CHANGED = 5  # status/verify --remote, lock --check --remote: the sources changed
STALE_LOCK = 6  # no lock, or one out of date with the manifest (run `mlhub-sync lock`)
KEPT_DIFFERENT = 7  # apply --strict: files kept by `if_exists: skip` differ from the lock
INTERRUPTED = 130  # SIGINT (Ctrl-C); partial downloads kept, resumable
TERMINATED = 143  # SIGTERM

TABLE = {
    OK: "done / in sync / up to date",
    FAILED: "some files failed (the others were reconciled), `status` not in sync, `verify` "
    "found a mismatch",
    BAD_INPUT: "bad input: manifest, lock, flag, argument, folder (the message says where and "
    "how to fix it)",
    NOT_FOUND: "not found on the server (404)",
    KEY: "API key missing or wrong (401), or a named profile without a key",
    REMOTE_CHANGED: "`--remote` checks: files or archives added, removed or changed at their "
    "sources since the lock",
    STALE_LOCK: "no lock, or a lock out of date with the manifest (`lock --check`, "
    "`apply --locked`, `status`, `verify`): run `mlhub-sync lock`",
    KEPT_DIFFERENT: "`apply --strict`: a file kept by `if_exists: skip` differs from the lock",
    INTERRUPTED: "stopped by SIGINT (Ctrl-C); partial downloads are kept and resume",
    TERMINATED: "stopped by SIGTERM; likewise",
}
