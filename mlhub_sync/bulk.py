"""Building many objects at once without the cycle collector rescanning them.

Reading a lock and a state of 100,000 files makes some 600,000 objects (records, entries,
dicts). Each 700 allocations start a young collection, and the older generations are rescanned
as they fill: measured on an in-sync apply of 100,000 files, 1.8 s without collections against
2.2 to 2.8 s with them. These objects form no reference cycles, so pausing the collector while they
are built frees nothing late; it runs again as usual afterwards (during transfers, say).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def building() -> Iterator[None]:
    """Pause the cycle collector while the block runs (nested use is fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
